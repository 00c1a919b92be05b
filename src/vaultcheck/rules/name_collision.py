"""name-collision: two files whose vault paths differ only in case.

Git and Linux keep ``Notes/Idea.md`` and ``notes/idea.md`` apart; macOS and Windows
cannot, so a checkout there silently keeps one of them, and Obsidian (which matches
names case-insensitively) links both names to the same file. Reported on each note of
the pair, at its first line. Off by default (a warning when selected).

Passes::

    Ideas/Spaced repetition.md
    Ideas/Spaced repetition (draft).md

Fails::

    Ideas/Spaced repetition.md
    ideas/spaced Repetition.md

    "Ideas/Spaced repetition.md" and "ideas/spaced Repetition.md" differ only in case:
    a macOS or Windows checkout keeps only one; rename or merge them

Fix: rename one of the files (``git mv``), or merge them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Problem, Severity
from vaultcheck.rules.api import RuleContext, problem_at
from vaultcheck.vault.files import normalize_path

if TYPE_CHECKING:
    from vaultcheck.links.source import LinkSource

NAME = "name-collision"
FAMILY = "links"
SUMMARY = "Two files whose paths differ only in case (they collide on macOS and Windows)."
ENABLED_BY_DEFAULT = False
DEFAULT_SEVERITY = Severity.WARNING


def check(note: LinkSource, ctx: RuleContext) -> Iterator[Problem]:
    path = normalize_path(note.rel)
    others = [file.path for file in ctx.vault.files.at(path) if file.path != path]
    if others:
        names = " and ".join(f'"{name}"' for name in sorted([path, *others]))
        message = (
            f"{names} differ only in case: a macOS or Windows checkout keeps only one;"
            " rename or merge them"
        )
        yield problem_at(note, NAME, 0, 0, message)
