"""Build problems at places in a note: the one way rules turn offsets into positions."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from vaultcheck.note import Note
from vaultcheck.problem import Fix, Problem


class Located(Protocol):
    """Where a problem can be placed: a note, or a note's :class:`~vaultcheck.links.source.LinkSource`."""

    @property
    def path(self) -> Path: ...

    def position(self, offset: int) -> tuple[int, int]: ...


def problem_at(
    note: Located, rule: str, start: int, end: int, message: str, fix: Fix | None = None
) -> Problem:
    """A problem covering ``note.text[start:end]``."""
    line, column = note.position(start)
    end_line, end_column = note.position(end)
    return Problem(note.path, line, column, end_line, end_column, rule, message, fix=fix)


def problem_on_line(
    note: Note, rule: str, line: int, column: int, message: str, fix: Fix | None = None
) -> Problem:
    """A problem at a 1-based line and column, spanning to the end of that line."""
    starts = note.lines.starts
    line = min(max(line, 1), len(starts))
    line_end = starts[line] if line < len(starts) else len(note.text)
    end_column = max(len(note.text[starts[line - 1] : line_end].rstrip("\r\n")) + 1, column)
    return Problem(note.path, line, column, line, end_column, rule, message, fix=fix)
