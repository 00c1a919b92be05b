"""Build problems at places in a note: the one way rules turn offsets into positions."""

from __future__ import annotations

from vaultcheck.note import Note
from vaultcheck.problem import Fix, Problem


def problem_at(
    note: Note, rule: str, start: int, end: int, message: str, fix: Fix | None = None
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
