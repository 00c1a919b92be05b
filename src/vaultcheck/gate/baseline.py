"""Baselines: record today's problems so a vault can adopt the gate without fixing them first.

An entry names the rule, the note (vault path), the line the problem stands on
(stripped) and the problem's own text on it (``excerpt``: the link, the key, the
timestamp). Line numbers are left out on purpose, so editing other lines of a note
does not bring an old problem back; the excerpt keeps an entry to its own problem, so
a new broken link on a line that already held an old one is still reported.
Identical entries are counted, so a second copy of an old problem on a new line is
still reported. Rewriting the baseline drops the problems fixed since. Entries
written before excerpts existed (no ``excerpt``) match any problem of their rule on
their line.

The file is JSON, sorted, one entry per distinct problem, so it reviews well in a
pull request::

    {
      "version": 1,
      "problems": [
        {"path": "People/Ada.md", "rule": "broken-link", "text": "See [[Babbage]].",
         "excerpt": "[[Babbage]]", "count": 1}
      ]
    }

A note renamed (as git reports it) keeps its entries: see :func:`follow_renames`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from vaultcheck.core.problem import Problem
from vaultcheck.core.reading import (
    DEFAULT_MAX_BASELINE_SIZE,
    NotRegularFile,
    TooLarge,
    read_regular,
)
from vaultcheck.engine.writer import atomic_write
from vaultcheck.note.note import Note
from vaultcheck.vault.config import ConfigError

FORMAT_VERSION = 1
Key = tuple[str, str, str, "str | None"]
"""(rule, vault path, stripped line text, excerpt); the excerpt is None in an entry
written before excerpts existed."""


def baseline_key(problem: Problem, note: Note) -> Key:
    """What identifies a problem in a baseline: its rule, its note, its line's text and
    its own text on that line."""
    starts = note.lines.starts
    index = min(max(problem.line, 1), len(starts)) - 1
    end = starts[index + 1] if index + 1 < len(starts) else len(note.text)
    line = note.text[starts[index] : end].strip()
    return (problem.rule, note.rel, line, problem.excerpt if problem.excerpt is not None else note.excerpt_of(problem))


def read_baseline(path: Path, limit: int = DEFAULT_MAX_BASELINE_SIZE) -> Counter[Key]:
    """The entries of a baseline file; a missing or malformed file is a usage error, and
    so is one that is no regular file (a FIFO, ``/dev/zero``) or is over ``limit`` bytes:
    it is not read."""
    try:
        document = json.loads(read_regular(path, limit).decode("utf-8"))
    except TooLarge as error:
        raise ConfigError(
            f"baseline {path} is {error.strerror} (max-baseline-size); not read"
        ) from None
    except NotRegularFile as error:
        raise ConfigError(f"baseline {path} {error.strerror}; not read") from None
    except FileNotFoundError:
        raise ConfigError(
            f"baseline {path} does not exist (create it with --write-baseline {path})"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ConfigError(f"baseline {path} cannot be read: {error}") from None
    try:
        return _entries(document)
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"baseline {path} is not a vaultcheck baseline: {error}") from None


def _entries(document: Any) -> Counter[Key]:
    if document.get("version") != FORMAT_VERSION:
        raise ValueError(f"expected version {FORMAT_VERSION}, got {document.get('version')!r}")
    entries: Counter[Key] = Counter()
    for entry in document["problems"]:
        key = (entry["rule"], entry["path"], entry["text"], entry.get("excerpt"))
        count = entry.get("count", 1)
        if not all(isinstance(part, str) for part in key[:3]) or not isinstance(
            key[3], (str, type(None))
        ):
            raise TypeError(f"rule, path, text and excerpt must be strings in {entry!r}")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise ValueError(f"count must be a positive integer in {entry!r}")
        entries[key] += count
    return entries


def updated(
    old: Counter[Key], new: Iterable[Key], checked: Collection[str], ran: Collection[str]
) -> Counter[Key]:
    """A baseline rewritten by a run: the run's problems, plus the old entries the run
    could not have found again (notes it did not check, rules it did not run)."""
    kept = Counter(
        {key: count for key, count in old.items() if key[1] not in checked or key[0] not in ran}
    )
    return kept + Counter(new)


def write_baseline(path: Path, entries: Counter[Key]) -> None:
    """Write a baseline, sorted by note, rule and text; an existing file is replaced
    atomically (:func:`vaultcheck.engine.writer.atomic_write`)."""
    problems = [
        {"path": rel, "rule": rule, "text": text}
        | ({} if excerpt is None else {"excerpt": excerpt})
        | {"count": count}
        for (rule, rel, text, excerpt), count in sorted(entries.items(), key=_entry_order)
    ]
    document = {"version": FORMAT_VERSION, "problems": problems}
    data = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode(
        "utf-8", "backslashreplace"  # a name byte that is not UTF-8 stays a JSON escape
    )
    if path.exists():
        atomic_write(path, data)
    else:
        with path.open("xb") as stream:
            stream.write(data)


def _entry_order(item: tuple[Key, int]) -> tuple[str, str, str, str, bool]:
    rule, rel, text, excerpt = item[0]
    return (rel, rule, text, excerpt or "", excerpt is None)


def filter_baseline(problems: Iterable[tuple[Problem, Key]], baseline: Counter[Key]) -> list[Problem]:
    """The problems the baseline does not account for, each entry absorbing ``count`` of
    them: an entry absorbs only problems with its own excerpt (an entry without one,
    any problem of its rule on its line)."""
    remaining = Counter(baseline)
    new: list[Problem] = []
    for problem, key in problems:
        legacy = (*key[:3], None)
        if remaining[key] > 0:
            remaining[key] -= 1
        elif remaining[legacy] > 0:
            remaining[legacy] -= 1
        else:
            new.append(problem)
    return new


def follow_renames(entries: Counter[Key], renames: Mapping[str, str]) -> Counter[Key]:
    """The entries with the notes git reports renamed (old vault path -> new) under
    their new paths, so a rename does not bring a note's old problems back."""
    if not renames:
        return entries
    moved: Counter[Key] = Counter()
    for (rule, rel, text, excerpt), count in entries.items():
        moved[(rule, renames.get(rel, rel), text, excerpt)] += count
    return moved


def paths_of(entries: Counter[Key]) -> set[str]:
    """The vault paths a baseline has entries for."""
    return {key[1] for key in entries}
