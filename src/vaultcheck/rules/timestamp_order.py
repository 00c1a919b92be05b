"""timestamp-order: video timestamps that go back in time within a section.

A note made from a video cites it in order, so inside one section (the text between
two headings; before the first heading is a section too) each timestamp is at or
after the one before it. Callouts, quotes and lists belong to their section, headings
inside them too. Only the fewest timestamps whose removal leaves the section in order
are reported (one displaced timestamp is one problem, not one per timestamp after it);
of equally few, the later ones. Each message names the timestamp it conflicts with and
its line. Malformed timestamps (``timestamp-malformed``) are left out; an anchor whose
text is not a bracketed time takes part with its ``data-t``. Timestamps in the visible
text of HTML blocks count; those in code, comments and math do not.

Options in ``[tool.vaultcheck.timestamps]``: ``strict = true`` makes two equal
timestamps in a row an error; ``section-level = N`` lets only headings of level 1 to N
start sections.

Passes::

    ## Understanding the roots
    Abandonment [00:00:26], trauma [00:00:28].
    > [!NOTE] Self-blame [00:04:09].
    Texting more [00:04:09], reassurance [00:09:21].

Fails::

    ## Understanding the roots
    Abandonment [00:00:26], obligations [00:08:11].
    > [!NOTE] Self-blame [00:04:09].

    [00:04:09] is earlier than [00:08:11] on line 2 in section "Understanding the roots"

Fix: move the sentence to where the video says it, or correct the timestamp.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Problem
from vaultcheck.rules.api import RuleContext, problem_at
from vaultcheck.timestamps.citation import cited_seconds, shown
from vaultcheck.timestamps.clock import ClockError
from vaultcheck.timestamps.options import TimestampOptions
from vaultcheck.timestamps.order import misplaced
from vaultcheck.timestamps.sections import split_sections

if TYPE_CHECKING:
    from vaultcheck.note.note import Note
    from vaultcheck.note.syntax import TimestampRef

NAME = "timestamp-order"
FAMILY = "timestamps"
SUMMARY = "A video timestamp out of order within its section."


def _seconds(refs: tuple[TimestampRef, ...]) -> dict[TimestampRef, int]:
    """Each timestamp that is a valid time, with its seconds, in document order."""
    found: dict[TimestampRef, int] = {}
    for ref in refs:
        try:
            found[ref] = cited_seconds(ref)
        except ClockError:
            continue
    return found


def check(note: Note, ctx: RuleContext) -> Iterator[Problem]:
    options = ctx.options(TimestampOptions)
    if not options.applies_to(note):
        return
    seconds = _seconds(note.syntax.timestamps)
    sections = split_sections(
        list(seconds), note.syntax.headings, note.text, options.section_level
    )
    for section in sections:
        items = section.items
        for found in misplaced([seconds[ref] for ref in items], options.strict):
            ref, anchor = items[found.index], items[found.anchor]
            line = note.position(anchor.start)[0]
            same = seconds[ref] == seconds[anchor]
            if found.anchor_before:
                relation = "the same time as" if same else "earlier than"
                where = f"on line {line}"
            else:
                relation = "the same time as" if same else "later than"
                where = f"that follows it on line {line}"
            message = f"{shown(ref)} is {relation} {shown(anchor)} {where} {section.describe()}"
            yield problem_at(note, NAME, ref.start, ref.end, message)
