"""missing-attachment: an embed or link to an image, PDF or other file that is not in the vault.

A target with a file extension other than ``.md`` (``png``, ``pdf``, ``mp3``,
``canvas``...) names an attachment. It resolves as any link does: by file name,
case-insensitively, and inside git only when git tracks or has staged the file.

Passes (with ``attachments/diagram.png`` in the vault)::

    ![[diagram.png|300]] and ![](attachments/diagram.png)

Fails::

    ![[diagramm.png]]

    no file named "diagramm.png" in the vault; did you mean ![[diagram.png]]?

Fix: correct the name, or add the file (and ``git add`` it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Problem
from vaultcheck.links.check import Status
from vaultcheck.links.messages import missing_target
from vaultcheck.rules.api import RuleContext, problem_at

if TYPE_CHECKING:
    from vaultcheck.links.source import LinkSource

NAME = "missing-attachment"
FAMILY = "links"
SUMMARY = "An embed or link to an attachment (image, PDF, ...) that is not in the vault."
BROKEN_ELSEWHERE_BY = ("removal",)


def check(note: LinkSource, ctx: RuleContext) -> Iterator[Problem]:
    context = ctx.links
    for checked in context.checked_links(note):
        if checked.status is Status.NO_FILE and not checked.is_note_target:
            message = missing_target(context, checked, note.rel)
            yield problem_at(note, NAME, checked.start, checked.end, message)
