"""Check one note with the selected rules, each problem given its configured severity."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from vaultcheck.core.problem import Problem
from vaultcheck.links.check import LinkContext, link_source
from vaultcheck.links.source import LinkSource
from vaultcheck.note.note import Note
from vaultcheck.rules.api import LINKS, Rule, RuleContext
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
    """Every problem the selected rules find in one note, with configured severities.

    A note that could not be read is only ``unreadable-file``'s business. The rules of
    the ``links`` family are given the note's links (:func:`link_source`), its facts
    recorded first for links into the note itself.
    """
    problems: list[Problem] = []
    source: LinkSource | None = None
    for rule in selection.rules:
        if note.error is not None and rule.name != UNREADABLE_FILE:
            continue
        if rule.family == LINKS:
            if source is None:
                context.links.facts.record(note)
                source = link_source(note)
            problems.extend(_problems(rule, source, context, selection))
        else:
            problems.extend(_problems(rule, note, context, selection))
    return problems


def judge_links(source: LinkSource, context: RuleContext, selection: Selection) -> Iterator[Problem]:
    """The problems of the selected link rules in a note's links (parsed by a worker, or
    kept in the store), every note's facts known first."""
    for rule in selection.rules:
        if rule.family == LINKS:
            yield from _problems(rule, source, context, selection)


def _problems(
    rule: Rule, subject: Note | LinkSource, context: RuleContext, selection: Selection
) -> Iterator[Problem]:
    """The problems of one rule, each with its configured severity and its excerpt."""
    severity = selection.severities[rule.name]
    for problem in rule.check(subject, context):
        if problem.excerpt is None or problem.severity is not severity:
            # Made anew, not with dataclasses.replace: this runs for many problems.
            text = subject.excerpt_of(problem) if problem.excerpt is None else problem.excerpt
            problem = Problem(
                problem.path, problem.line, problem.column, problem.end_line, problem.end_column,
                problem.rule, problem.message, severity, problem.fix, text,
            )
        yield problem
