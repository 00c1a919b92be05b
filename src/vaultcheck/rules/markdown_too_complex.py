"""markdown-too-complex: Markdown nested or bracketed beyond what vaultcheck parses in full.

No reader writes block quotes 17 deep or a paragraph of 20,000 nested brackets; a
note built to make a parser hang does. vaultcheck keeps every note's parse linear
in its size (see SECURITY.md): past :data:`~vaultcheck.note.syntax.limits.MAX_CONTAINER_DEPTH`
nested quotes and lists the deeper markers are read as text, and in text too dense
in brackets, emphasis or backticks only wikilinks, embeds and timestamps are looked
for. Either way the note is still checked, but links in those places may go
unchecked, so the note gets this problem at the first such place, saying how many
there are.

Passes::

    > [!note] A callout
    > > quoted inside it, with a [[link]]

Fails::

    > > > > > > > > > > > > > > > > > [[link]]

    block quotes and lists nested deeper than 16 levels; the deeper markers were read as text

Fix: flatten the nesting or split the paragraph; such Markdown renders badly in
Obsidian too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Problem
from vaultcheck.rules.api import RuleContext, problem_at

if TYPE_CHECKING:
    from vaultcheck.note.note import Note

NAME = "markdown-too-complex"
FAMILY = "input"
SUMMARY = "Markdown nested or bracketed too deeply to parse in full (links there may go unchecked)."


def check(note: Note, ctx: RuleContext) -> Iterator[Problem]:
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for place in note.syntax.simplified:
        first.setdefault(place.reason, place.start)
        count[place.reason] = count.get(place.reason, 0) + 1
    for reason, start in first.items():
        more = count[reason] - 1
        places = "place" if more == 1 else "places"
        message = reason if not more else f"{reason} (here and in {more} more {places})"
        end = note.text.find("\n", start)
        yield problem_at(note, NAME, start, len(note.text) if end < 0 else end, message)
