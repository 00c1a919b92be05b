"""Baselines: record today's problems so a vault can adopt the gate without fixing them first.

An entry names the rule, the note (vault path) and the offending text: the stripped
line the problem stands on. Line numbers are left out on purpose, so editing other
lines of a note does not bring an old problem back; identical entries are counted,
so a second copy of an old problem on a new line is still reported.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from vaultcheck.config import ConfigError
from vaultcheck.problem import Problem

FORMAT_VERSION = 1
Key = tuple[str, str, str]
LineText = Callable[[Path, int], str]


def line_text_reader() -> LineText:
    """A reader of a file's stripped lines, each file read once (only files with problems)."""
    cache: dict[Path, list[str]] = {}

    def line_text(path: Path, line: int) -> str:
        if path not in cache:
            try:
                cache[path] = path.read_bytes().decode("utf-8", "replace").splitlines()
            except OSError:
                cache[path] = []
        lines = cache[path]
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""

    return line_text


def problem_key(problem: Problem, root: Path, line_text: LineText) -> Key:
    rel = Path(problem.path).resolve().relative_to(root).as_posix()
    return (problem.rule, rel, line_text(problem.path, problem.line))


def write_baseline(path: Path, problems: Sequence[Problem], root: Path) -> None:
    line_text = line_text_reader()
    counts = Counter(problem_key(problem, root, line_text) for problem in problems)
    entries = [
        {"rule": rule, "path": rel, "text": text, "count": count}
        for (rule, rel, text), count in sorted(counts.items())
    ]
    document = {"version": FORMAT_VERSION, "problems": entries}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_baseline(path: Path) -> Counter[Key]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return Counter({
            (entry["rule"], entry["path"], entry["text"]): int(entry.get("count", 1))
            for entry in document["problems"]
        })
    except FileNotFoundError:
        raise ConfigError(f"baseline {path} does not exist (create it with --write-baseline)") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"baseline {path} is not a vaultcheck baseline: {error}") from None


def filter_baseline(problems: Sequence[Problem], baseline: Counter[Key], root: Path) -> list[Problem]:
    """The problems not accounted for by the baseline."""
    remaining = Counter(baseline)
    line_text = line_text_reader()
    new = []
    for problem in problems:
        key = problem_key(problem, root, line_text)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(problem)
    return new
