"""broken-block-ref: a link to a block id that the target note does not have.

``[[Note#^id]]`` (or ``[[#^id]]`` in the same note) must match a block id ``^id`` that
ends a paragraph or list item of the target note, or stands alone on the line after a
block. Ids are Latin letters, digits and dashes, compared case-insensitively.

Passes (``Letting go`` has a paragraph ending in ``^key-idea``)::

    ![[Letting go#^key-idea]]

Fails::

    ![[Letting go#^keyidea]]

    no block "^keyidea" in "Letting go"; did you mean ![[Letting go#^key-idea]]?

Fix: use the id the note has, or add `` ^keyidea`` at the end of the paragraph meant.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Problem
from vaultcheck.links.check import CheckedLink, Status
from vaultcheck.links.headings import BLOCK_ID, block_part
from vaultcheck.links.messages import target_label, written
from vaultcheck.links.suggest import NearMatcher
from vaultcheck.rules.api import RuleContext, problem_at

if TYPE_CHECKING:
    from vaultcheck.links.source import LinkSource

NAME = "broken-block-ref"
FAMILY = "links"
SUMMARY = "A link to a block id the target note does not have."
BROKEN_ELSEWHERE_BY = ("edit",)


def describe(checked: CheckedLink) -> str:
    link, facts = checked.link, checked.facts
    assert link is not None and facts is not None
    block = block_part(link.subpath) or ""
    if BLOCK_ID.fullmatch(block) is None:
        return f'"^{block}" is not a block id: ids are Latin letters, digits and dashes'
    message = f'no block "^{block}" in {target_label(checked)}'
    near = NearMatcher(facts.block_ids).near(block)
    if near is not None:
        return f"{message}; did you mean {written(link, link.target, '^' + near)}?"
    return f'{message}: end the paragraph meant with " ^{block}" to create it'


def check(note: LinkSource, ctx: RuleContext) -> Iterator[Problem]:
    for checked in ctx.links.checked_links(note):
        if checked.status is Status.NO_BLOCK:
            yield problem_at(note, NAME, checked.start, checked.end, describe(checked))
