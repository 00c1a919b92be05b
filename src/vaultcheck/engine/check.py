"""Check one note with the selected rules, each problem given its configured severity."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

from vaultcheck.core.problem import Problem
from vaultcheck.links.check import LinkContext
from vaultcheck.links.source import LinkSource
from vaultcheck.note.note import Note
from vaultcheck.rules.api import RuleContext
from vaultcheck.rules.registry import RULES
from vaultcheck.rules.selection import Selection
from vaultcheck.rules.unreadable_file import NAME as UNREADABLE_FILE
from vaultcheck.vault.vault import Vault

NoteCheck = Callable[[Note, RuleContext, Selection], list[Problem]]
"""What checks one note: :func:`check_note`."""


def rule_context(vault: Vault) -> RuleContext:
    """The context the rules of one run share: the vault, a fresh link index, the rule names."""
    return RuleContext(vault, LinkContext(vault), frozenset(RULES))


def check_note(note: Note, context: RuleContext, selection: Selection) -> list[Problem]:
    """Every problem the selected rules find in one note, with configured severities."""
    return list(with_severities(note, context, selection))


def with_severities(note: Note | LinkSource, context: RuleContext, selection: Selection) -> Iterator[Problem]:
    """The problems of the selected rules in ``note``, each with its rule's severity.

    A note that could not be read is only ``unreadable-file``'s business.
    """
    for rule in selection.rules:
        if note.error is not None and rule.name != UNREADABLE_FILE:
            continue
        severity = selection.severities[rule.name]
        for problem in rule.check(note, context):
            if problem.severity is not severity:
                problem = dataclasses.replace(problem, severity=severity)
            yield problem


