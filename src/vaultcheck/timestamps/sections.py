"""Cut a note into sections at its headings and sort located items into them.

A section runs from a heading to the next heading that starts a section; the text
before the first heading is a section too. With ``max_level`` 2, only ``#`` and ``##``
headings start sections and a ``###`` heading stays inside its ``##`` section.
Callouts, quotes and lists have no sections of their own: they are text of the
section they sit in, headings inside them included (Obsidian's outline leaves those
out too). A heading's own line belongs to the section it starts.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from vaultcheck.note.syntax import Heading

ANY_LEVEL = 6
"""The deepest Markdown heading: with this ``max_level`` every heading starts a section."""


class Located(Protocol):
    """Anything found at a character offset of a note."""

    @property
    def start(self) -> int: ...


ItemT = TypeVar("ItemT", bound=Located)


@dataclass(frozen=True)
class Section(Generic[ItemT]):
    """The items between ``heading`` (None: the start of the note) and the next section."""

    heading: Heading | None
    items: tuple[ItemT, ...]

    def describe(self) -> str:
        """Where the section is, for a message: ``in section "Title"``."""
        if self.heading is None:
            return "in the section before the first heading"
        return f'in section "{self.heading.text}"'


def starts_section(heading: Heading, text: str, max_level: int = ANY_LEVEL) -> bool:
    """True for a heading of level ``max_level`` or above that is not inside a quote,
    callout or list: only indentation precedes it on its line."""
    line_start = max(text.rfind("\n", 0, heading.start), text.rfind("\r", 0, heading.start)) + 1
    return heading.level <= max_level and not text[line_start : heading.start].strip()


def split_sections(
    items: Sequence[ItemT], headings: Sequence[Heading], text: str, max_level: int = ANY_LEVEL
) -> list[Section[ItemT]]:
    """Every section of the note ``text`` in order, each with the items that start inside it."""
    bounds = sorted(
        (heading for heading in headings if starts_section(heading, text, max_level)),
        key=lambda heading: heading.start,
    )
    starts = [heading.start for heading in bounds]
    groups: list[list[ItemT]] = [[] for _ in range(len(bounds) + 1)]
    for item in items:
        groups[bisect_right(starts, item.start)].append(item)
    return [Section(heading, tuple(group)) for heading, group in zip([None, *bounds], groups, strict=True)]
