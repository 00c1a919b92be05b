"""broken-heading: a link to a heading that the target note does not have.

``[[Note#Heading]]`` must match a heading of ``Note`` at any level; ``[[Note#A#B]]`` a
heading ``B`` below ``A``; ``[[#Heading]]`` a heading of the same note. Headings compare
case-insensitively after Obsidian's normalisation (its ``stripHeading``), applied to the
heading and to the link alike: ASCII punctuation other than ``- _ '`` becomes a space and
runs of spaces collapse, so ``## What is the Hub?`` is ``[[Note#What is the Hub]]``,
``## Q: why?`` is ``[[Note#Q why]]`` and ``## **Bold** heading`` is ``[[Note#Bold heading]]``.
Links to attachments (``[[doc.pdf#page=3]]``) are not headings and are not checked.

Passes::

    [[Letting go#Taking Responsibility vs. Blame]]

Fails (the note has ``## Taking Responsibility vs. Blame``)::

    [[Letting go#Taking Responsibility]]

    no heading "Taking Responsibility" in "Letting go"; did you mean
    [[Letting go#Taking Responsibility vs. Blame]]?

Fix: copy the heading as the target note writes it, or link to the note itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Problem
from vaultcheck.links.check import CheckedLink, Status
from vaultcheck.links.headings import find_heading, heading_parts, linkable
from vaultcheck.links.messages import target_label, written
from vaultcheck.links.suggest import NearMatcher
from vaultcheck.rules.api import RuleContext, problem_at

if TYPE_CHECKING:
    from vaultcheck.links.source import LinkSource

NAME = "broken-heading"
FAMILY = "links"
SUMMARY = "A link to a heading the target note does not have."
BROKEN_ELSEWHERE_BY = ("edit",)


def describe(checked: CheckedLink) -> str:
    link, facts = checked.link, checked.facts
    assert link is not None and facts is not None
    parts = heading_parts(link.subpath)
    label = target_label(checked)
    message = f'no heading "{"#".join(parts)}" in {label}'
    if not facts.headings:
        return f"{message}, which has no headings"
    if len(parts) > 1 and find_heading(facts.heading_keys, parts[-1:]):
        return f'{message}: "{parts[-1]}" is not below "{"#".join(parts[:-1])}" there'
    near = NearMatcher(linkable(text) for _level, text in facts.headings).near(parts[-1])
    if near is None:
        return message
    return f"{message}; did you mean {written(link, link.target, near)}?"


def check(note: LinkSource, ctx: RuleContext) -> Iterator[Problem]:
    for checked in ctx.links.checked_links(note):
        if checked.status is Status.NO_HEADING:
            yield problem_at(note, NAME, checked.start, checked.end, describe(checked))
