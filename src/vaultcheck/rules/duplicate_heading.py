"""duplicate-heading: a heading no link can reach, since an earlier one reads the same.

Obsidian opens ``[[note#Summary]]`` at the first heading that reads "Summary" (compared
as links compare headings: case, punctuation and spacing aside). A second "Summary"
can still be reached through the headings above it, ``[[note#Part 2#Summary]]``, unless
those are the same too: then every link to it opens the first one. This rule reports
such a heading, at the later place. Headings under different parents pass.

Off by default (transcripts and journals repeat headings on purpose); turn it on with
``--select duplicate-heading`` or ``[severity] duplicate-heading = "warning"``.

Passes::

    # Part 1
    ## Summary
    # Part 2
    ## Summary

Fails::

    # Dopamine
    ## Summary
    Motivation and reward.
    ## Summary
    Tolerance.

    heading "Summary" reads as the one on line 2, under the same headings: links to it open line 2; rename one of them

Fix: rename one of the headings (``## Summary (tolerance)``), or give it a parent
heading of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Problem, Severity
from vaultcheck.links.headings import heading_key
from vaultcheck.rules.api import RuleContext, problem_at

if TYPE_CHECKING:
    from vaultcheck.note.note import Note

NAME = "duplicate-heading"
FAMILY = "headings"
SUMMARY = "A heading that reads as an earlier one under the same headings: links to it open the first."
DEFAULT_SEVERITY = Severity.WARNING
ENABLED_BY_DEFAULT = False


def check(note: Note, ctx: RuleContext) -> Iterator[Problem]:
    first_line: dict[tuple[str, ...], int] = {}
    parents: list[tuple[int, str]] = []  # the enclosing headings: (level, key), outermost first
    for heading in note.syntax.headings:
        while parents and parents[-1][0] >= heading.level:
            parents.pop()
        key = heading_key(heading.text)
        path = (*(parent for _level, parent in parents), key)
        parents.append((heading.level, key))
        line = note.position(heading.start)[0]
        if not key:  # an empty heading: no link names it
            continue
        if path not in first_line:
            first_line[path] = line
            continue
        earlier = first_line[path]
        message = (
            f'heading "{heading.text}" reads as the one on line {earlier}, under the same'
            f" headings: links to it open line {earlier}; rename one of them"
        )
        yield problem_at(note, NAME, heading.start, heading.end, message)
