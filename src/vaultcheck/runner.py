"""Run the selected rules over notes and collect their problems, in a stable order."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from vaultcheck.cache import RecordCache, SuggestionCache
from vaultcheck.config import Config, ConfigError, located
from vaultcheck.fixes import apply_edits, choose_fixes
from vaultcheck.links.changes import hook_run_without_files, links_to_removed_files
from vaultcheck.links.source import LinkSource
from vaultcheck.links.suggest import did_you_mean
from vaultcheck.note import Note
from vaultcheck.problem import Problem, Severity
from vaultcheck.records import FixMode, NoteRecord, link_problems, record_notes, split_selection
from vaultcheck.rules import FAMILIES, RULES, Rule
from vaultcheck.rules.unreadable_file import NAME as UNREADABLE_FILE
from vaultcheck.rules.unreadable_file import vault_problems
from vaultcheck.suppressions import apply_suppressions
from vaultcheck.vault import Vault
from vaultcheck.writer import encode_text


@dataclass(frozen=True)
class Selection:
    """The rules a run uses, each with the severity its problems get."""

    severities: dict[str, Severity]

    @property
    def rules(self) -> list[Rule]:
        return [RULES[name] for name in RULES if name in self.severities]


def expand_rule_names(names: Iterable[str], origin: str) -> list[str]:
    """Rule names and family names (``links``) to rule names; unknown names are a ConfigError."""
    expanded: list[str] = []
    for name in names:
        if name in RULES:
            expanded.append(name)
        elif name in FAMILIES:
            expanded.extend(FAMILIES[name])
        else:
            hint = did_you_mean(name, [*RULES, *FAMILIES]) or (
                f" (known: {', '.join([*RULES, *FAMILIES])})"
            )
            raise ConfigError(f"{origin}: unknown rule '{name}'{hint}")
    return expanded


def select_rules(
    config: Config, select: Sequence[str] | None = None, ignore: Sequence[str] = ()
) -> Selection:
    """Rules to run: ``--select`` (else config ``select``, else the rules on by default),
    minus config ``ignore`` and ``--ignore``, with config ``severity`` applied."""
    if select is not None:
        chosen = expand_rule_names(select, "--select")
    elif config.select is not None:
        chosen = expand_rule_names(config.select, located(config, "select"))
    else:
        chosen = [name for name, rule in RULES.items() if rule.enabled_by_default]
    ignored = set(expand_rule_names(config.ignore, located(config, "ignore"))) | set(
        expand_rule_names(ignore, "--ignore")
    )
    severities = {
        name: RULES[name].default_severity for name in chosen if name not in ignored
    }
    for name, level in config.severity.items():
        for rule in expand_rule_names([name], located(config, "severity", name)):
            if level == "off":
                severities.pop(rule, None)
            elif rule in severities or select is None and config.select is None:
                severities[rule] = Severity(level)
    if not severities:
        # A run that checks nothing must not pass as a clean vault.
        raise ConfigError(
            "no rules selected (check --select, --ignore and the select, ignore and"
            " severity settings)"
        )
    return Selection(severities)


NoteCheck = Callable[[Note, Vault, Selection], list[Problem]]
"""What checks one note: :func:`check_note`."""


def check_note(note: Note, vault: Vault, selection: Selection) -> list[Problem]:
    """Every problem the selected rules find in one note, with configured severities."""
    return list(with_severities(note, vault, selection))


def with_severities(note: Note | LinkSource, vault: Vault, selection: Selection) -> Iterator[Problem]:
    """The problems of the selected rules in ``note``, each with its rule's severity.

    A note that could not be read is only ``unreadable-file``'s business.
    """
    for rule in selection.rules:
        if note.error is not None and rule.name != UNREADABLE_FILE:
            continue
        severity = selection.severities[rule.name]
        for problem in rule.check(note, vault):
            if problem.severity is not severity:
                problem = dataclasses.replace(problem, severity=severity)
            yield problem


def check_paths(
    vault: Vault,
    paths: Sequence[Path],
    selection: Selection,
    fix: FixMode | None = None,
    cache: RecordCache | None = None,
    on_record: Callable[[NoteRecord], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Problem], list[Path]]:
    """Check the notes below ``paths`` (the whole vault if empty); given paths, also the
    links elsewhere in the vault to files the change deletes or renames (only those when
    pre-commit runs the hook for a commit that changes no note).

    Returns the sorted problems and the notes checked, in vault-path order.
    The notes are checked through their records (see :mod:`vaultcheck.records`: in
    parallel, with ``cache``), each passed to ``on_record``; with ``fix`` (``--fix``,
    ``--diff``) each note is fixed first, and its record tells what the fix did.
    ``progress`` is told the notes done so far and the number to do.
    """
    from vaultcheck import incremental

    return incremental.check_paths(vault, paths, selection, fix, cache, on_record, progress)


MAX_FIX_PASSES = 10
"""Overlapping fixes wait for the next pass; needing more than this means rules disagree."""


@dataclass(frozen=True)
class NoteFix:
    """What the fixes of the selected rules make of one note.

    ``left`` are the problems of the fixed ``text`` (parsed in ``final``), and
    ``fixed`` counts the problems whose fixes were applied.
    """

    note: Note
    text: str
    left: list[Problem]
    fixed: int
    final: Note

    @property
    def changed(self) -> bool:
        return self.text != self.note.text


def fix_note(note: Note, vault: Vault, selection: Selection) -> NoteFix:
    """Apply the fixes of the selected rules, checking the text again after each pass,
    until no fix is left (fixes that overlap one applied wait for the next pass).

    Only the rules that offer fixes run until then; the others run once, on the
    fixed text.
    """
    fixers = Selection({name: level for name, level in selection.severities.items() if RULES[name].fixable})
    problems = check_note(note, vault, fixers)
    current, fixed = note, 0
    for _ in range(MAX_FIX_PASSES):
        # A problem silenced by a suppression comment is not fixed either.
        edits, count = choose_fixes(apply_suppressions(current, problems, ())[0])
        text = apply_edits(current.text, edits)
        if text == current.text:
            break
        current = Note.from_bytes(note.path, note.rel, encode_text(text, note.bom))
        problems = check_note(current, vault, fixers)
        fixed += count
    others = Selection({name: level for name, level in selection.severities.items() if name not in fixers.severities})
    order = {name: index for index, name in enumerate(RULES)}
    left = sorted([*problems, *check_note(current, vault, others)], key=lambda problem: order[problem.rule])
    return NoteFix(note, current.text, left, fixed, current)
