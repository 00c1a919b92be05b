"""What link checking needs of a note, and no more: small enough to cache and to send
from a worker process to the one that checks links against the whole vault."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultcheck.core.positions import LineIndex, excerpt
from vaultcheck.note.syntax.model import LinkRef

if TYPE_CHECKING:
    from vaultcheck.core.problem import Problem


@dataclass(frozen=True)
class LinkSource:
    """A note's links (frontmatter properties first, then the body, in order), the spans
    of its ``[[`` closed only on a later line, and its line starts for positions.

    It stands in for the :class:`~vaultcheck.note.Note` the link rules are given when
    the note was parsed elsewhere: in a worker process, or in an earlier run.
    """

    path: Path
    rel: str
    links: tuple[LinkRef, ...]
    splits: tuple[tuple[int, int, str], ...]
    lines: LineIndex

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset into the note's text."""
        return self.lines.position(offset)

    def excerpt_of(self, problem: Problem) -> str:
        """The text ``problem`` points at: one of the note's links or split links."""
        start = self.lines.offset(problem.line, problem.column)
        end = self.lines.offset(problem.end_line, problem.end_column)
        return self.excerpt(start, end)

    def excerpt(self, start: int, end: int) -> str:
        """The text of the note from ``start`` to ``end`` when that is one of its links or
        split links (the only spans link problems cover), as :func:`excerpt` gives it."""
        for link in self.links:
            if link.start == start and link.end == end and end - start == len(link.raw):
                return excerpt(link.raw)
        for split_start, split_end, text in self.splits:
            if split_start == start and split_end == end:
                return excerpt(text)
        return ""
