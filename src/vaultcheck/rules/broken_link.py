"""broken-link: a link to a note that does not exist, or text that is not the link it looks like.

Targets resolve exactly as Obsidian resolves them: file names case-insensitively,
``[[X]]`` and ``[[X.md]]`` both meaning ``X.md``, ``[[Folder/X]]`` any note whose path
ends with ``Folder/X``, ``./`` and ``../`` from the linking note's folder. Inside git, a
file counts when git tracks it or it is staged, not when it merely sits on disk. Links
in frontmatter property values are checked too; links in code, comments and math are
not links. Frontmatter ``aliases`` are not link targets.

Also reported: a ``[[`` closed only on a later line (Obsidian does not read it as a
link), a URL written as a wikilink, and a relative path that climbs out of the vault.
Links to attachments are ``missing-attachment``'s.

Passes::

    See [[understanding_anxiety]] and [[Understanding_Anxiety.md|the same note]].

Fails (the vault has ``understanding_anxiety.md``, no ``understanding_anxeity.md``)::

    See [[understanding_anxeity]].

    no note named "understanding_anxeity" in the vault; did you mean [[understanding_anxiety]]?

Fix: correct the name as suggested, create the note, or, for an alias, link to the
note it belongs to: ``[[Real note|Some Alias]]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Problem
from vaultcheck.links.check import Status
from vaultcheck.links.messages import missing_target, web_address
from vaultcheck.rules.api import RuleContext, problem_at

if TYPE_CHECKING:
    from vaultcheck.links.source import LinkSource

NAME = "broken-link"
FAMILY = "links"
SUMMARY = "A link to a note that does not exist (or a link split across lines, a URL as a wikilink)."
BROKEN_ELSEWHERE_BY = ("removal",)

SPLIT = "link is split across lines: Obsidian only reads [[...]] on one line; join the lines"


def check(note: LinkSource, ctx: RuleContext) -> Iterator[Problem]:
    context = ctx.links
    for checked in context.checked_links(note):
        if checked.status is Status.SPLIT:
            yield problem_at(note, NAME, checked.start, checked.end, SPLIT)
        elif checked.status is Status.OUTSIDE:
            assert checked.link is not None
            message = f'"{checked.link.target}" points outside the vault'
            yield problem_at(note, NAME, checked.start, checked.end, message)
        elif checked.status is Status.URL:
            assert checked.link is not None
            yield problem_at(note, NAME, checked.start, checked.end, web_address(checked.link))
        elif checked.status is Status.NO_FILE and checked.is_note_target:
            message = missing_target(context, checked, note.rel)
            yield problem_at(note, NAME, checked.start, checked.end, message)
