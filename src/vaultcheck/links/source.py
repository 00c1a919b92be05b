"""What link checking needs of a note, and no more: small enough to cache and to send
from a worker process to the one that checks links against the whole vault."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property
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
    #: Where the frontmatter's YAML ends and the spans of table rows, for a link repair
    #: to write what a YAML value or a table cell can hold. Known for a note parsed in
    #: this run (not kept by the cache): the fix that ``--fix`` applies always is.
    frontmatter_end: int = 0
    table_rows: tuple[tuple[int, int], ...] = ()

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
        split links (the only spans link problems cover), as :func:`excerpt` gives it.

        Found by bisecting the links' starts, so a note with many broken links asks in
        time linear in their number, not links times problems."""
        starts = self._starts
        index = bisect_left(starts, start)
        while index < len(starts) and starts[index] == start:
            link = self.links[self._order[index]]
            if link.end == end and end - start == len(link.raw):
                return excerpt(link.raw)
            index += 1
        for split_start, split_end, text in self.splits:
            if split_start == start and split_end == end:
                return excerpt(text)
        return ""

    @cached_property
    def _order(self) -> array[int]:
        """The indexes of :attr:`links` sorted by where each starts."""
        return array("q", sorted(range(len(self.links)), key=lambda index: self.links[index].start))

    @cached_property
    def _starts(self) -> array[int]:
        return array("q", (self.links[index].start for index in self._order))
