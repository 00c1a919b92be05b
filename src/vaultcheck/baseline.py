"""Baselines: record today's problems so a vault can adopt the gate without fixing them first.

An entry names the rule, the note (vault path) and the offending text: the line the
problem stands on, stripped. Line numbers are left out on purpose, so editing other
lines of a note does not bring an old problem back; identical entries are counted,
so a second copy of an old problem on a new line is still reported. Rewriting the
baseline drops the problems fixed since.

The file is JSON, sorted, one entry per distinct problem, so it reviews well in a
pull request::

    {
      "version": 1,
      "problems": [
        {"path": "People/Ada.md", "rule": "broken-link", "text": "See [[Babbage]].", "count": 1}
      ]
    }
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from vaultcheck.config import ConfigError
from vaultcheck.note import Note
from vaultcheck.problem import Problem
from vaultcheck.reading import DEFAULT_MAX_BASELINE_SIZE, NotRegularFile, TooLarge, read_regular
from vaultcheck.writer import atomic_write

FORMAT_VERSION = 1
Key = tuple[str, str, str]
"""(rule, vault path, stripped line text)."""


def problem_key(problem: Problem, note: Note) -> Key:
    """What identifies a problem in a baseline: its rule, its note and its line's text."""
    starts = note.lines.starts
    index = min(max(problem.line, 1), len(starts)) - 1
    end = starts[index + 1] if index + 1 < len(starts) else len(note.text)
    return (problem.rule, note.rel, note.text[starts[index] : end].strip())


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
        key = (entry["rule"], entry["path"], entry["text"])
        count = entry.get("count", 1)
        if not all(isinstance(part, str) for part in key):
            raise TypeError(f"rule, path and text must be strings in {entry!r}")
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
    atomically (:func:`vaultcheck.writer.atomic_write`)."""
    problems = [
        {"path": rel, "rule": rule, "text": text, "count": count}
        for (rule, rel, text), count in sorted(entries.items(), key=lambda item: (item[0][1], *item[0]))
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


def filter_baseline(problems: Iterable[tuple[Problem, Key]], baseline: Counter[Key]) -> list[Problem]:
    """The problems the baseline does not account for, each entry absorbing ``count`` of them."""
    remaining = Counter(baseline)
    new: list[Problem] = []
    for problem, key in problems:
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(problem)
    return new
