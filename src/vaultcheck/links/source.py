"""What link checking needs of a note, and no more: small enough to cache and to send
from a worker process to the one that checks links against the whole vault."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vaultcheck.core.positions import LineIndex
from vaultcheck.note.syntax.model import LinkRef


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
    splits: tuple[tuple[int, int], ...]
    lines: LineIndex
    error: None = None

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset into the note's text."""
        return self.lines.position(offset)
