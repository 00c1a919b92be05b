"""Stable identities for problems, for CI systems that track findings across commits.

A problem's fingerprint hashes its rule, its note's vault path, the offending text
(the characters of its span, newlines normalised and surrounding whitespace
stripped) and its message with every number blanked, never its line or column. So a
finding keeps its fingerprint when lines are inserted or removed elsewhere in the
note, and a message such as "first defined on line 2" survives a line added above
it. Identical findings in one note are told apart by their order: the second one
gets a different fingerprint from the first.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from vaultcheck.core.positions import normalise_newlines
from vaultcheck.core.problem import Problem
from vaultcheck.note.note import Note
from vaultcheck.vault.notes import read_note

_NUMBER = re.compile(r"\d+")


def offending_text(note: Note, problem: Problem) -> str:
    """The text a problem points at, clamped to the note (positions past the end are the end)."""
    lines = note.lines

    def offset(line: int, column: int) -> int:
        line = min(max(line, 1), lines.line_count)
        return min(lines.offset(line, max(column, 1)), len(note.text))

    start = offset(problem.line, problem.column)
    end = max(start, offset(problem.end_line, problem.end_column))
    return normalise_newlines(note.text[start:end]).strip()


def problem_key(problem: Problem, note: Note) -> tuple[str, str, str, str]:
    """What identifies a problem independently of where the note's lines moved:
    rule, vault path, offending text and the message without its numbers."""
    return (
        problem.rule,
        note.rel,
        offending_text(note, problem),
        _NUMBER.sub("0", problem.message),
    )


def fingerprints(problems: Sequence[Problem], root: Path) -> list[str]:
    """One fingerprint per problem, in order; each note is read once, from disk."""
    notes: dict[Path, Note] = {}
    seen: Counter[tuple[str, str, str, str]] = Counter()
    result: list[str] = []
    for problem in problems:
        if problem.path not in notes:
            rel = Path(os.path.relpath(problem.path, root)).as_posix()
            notes[problem.path] = read_note(problem.path, rel, root)
        key = problem_key(problem, notes[problem.path])
        occurrence = seen[key]
        seen[key] += 1
        material = "\0".join((*key, str(occurrence)))
        result.append(hashlib.sha256(material.encode("utf-8", "surrogateescape")).hexdigest())
    return result
