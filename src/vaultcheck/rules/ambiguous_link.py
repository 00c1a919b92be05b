"""ambiguous-link: a link whose target matches several files, settled only by Obsidian's tie-break.

``[[Note]]`` with ``Note.md`` in two folders resolves to one of them: the exact vault
path, else the one in the linking note's folder, else the shortest path. The link
works, but moving a note can silently change where it points, and readers of the raw
Markdown cannot tell. Off by default (a warning when selected).

Passes::

    [[Projects/Note]]

Fails (with ``Projects/Note.md`` and ``Archive/2023/Note.md``)::

    [[Note]]

    "Note" matches 2 files (Archive/2023/Note.md, Projects/Note.md); Obsidian picks
    Projects/Note.md (the shortest path); write [[Projects/Note]] to say which

Fix: qualify the link with enough of the folder path to name one file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Problem, Severity
from vaultcheck.links.check import CheckedLink
from vaultcheck.links.messages import link_to
from vaultcheck.rules.api import RuleContext, problem_at

if TYPE_CHECKING:
    from vaultcheck.links.check import LinkContext
    from vaultcheck.links.source import LinkSource

NAME = "ambiguous-link"
FAMILY = "links"
SUMMARY = "A link that matches several files and relies on Obsidian's tie-break."
ENABLED_BY_DEFAULT = False
DEFAULT_SEVERITY = Severity.WARNING


def describe(checked: CheckedLink, context: LinkContext) -> str:
    link, resolution = checked.link, checked.resolution
    assert link is not None and resolution is not None and resolution.file is not None
    paths = ", ".join(file.path for file in resolution.candidates)
    fix = link_to(context, link, resolution.file, link.subpath, link.alias)
    return (
        f'"{link.target}" matches {len(resolution.candidates)} files ({paths}); Obsidian picks'
        f" {resolution.file.path} ({resolution.tie_break}); write {fix} to say which"
    )


def check(note: LinkSource, ctx: RuleContext) -> Iterator[Problem]:
    context = ctx.links
    for checked in context.checked_links(note):
        resolution = checked.resolution
        if resolution is not None and resolution.file is not None and resolution.ambiguous:
            yield problem_at(note, NAME, checked.start, checked.end, describe(checked, context))
