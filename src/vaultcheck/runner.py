"""Run the selected rules over notes and collect their problems, in a stable order."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vaultcheck.config import Config, ConfigError
from vaultcheck.note import Note
from vaultcheck.problem import Problem, Severity
from vaultcheck.rules import FAMILIES, RULES, Rule
from vaultcheck.rules.unreadable_file import NAME as UNREADABLE_FILE
from vaultcheck.vault import Vault


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
            known = ", ".join([*RULES, *FAMILIES])
            raise ConfigError(f"{origin}: unknown rule '{name}' (known: {known})")
    return expanded


def select_rules(
    config: Config, select: Sequence[str] | None = None, ignore: Sequence[str] = ()
) -> Selection:
    """Rules to run: ``--select`` (else config ``select``, else the rules on by default),
    minus config ``ignore`` and ``--ignore``, with config ``severity`` applied."""
    origin = str(config.source or "configuration")
    if select is not None:
        chosen = expand_rule_names(select, "--select")
    elif config.select is not None:
        chosen = expand_rule_names(config.select, origin)
    else:
        chosen = [name for name, rule in RULES.items() if rule.enabled_by_default]
    ignored = set(expand_rule_names(config.ignore, origin)) | set(
        expand_rule_names(ignore, "--ignore")
    )
    severities = {
        name: RULES[name].default_severity for name in chosen if name not in ignored
    }
    for name, level in config.severity.items():
        for rule in expand_rule_names([name], origin):
            if level == "off":
                severities.pop(rule, None)
            elif rule in severities or select is None and config.select is None:
                severities[rule] = Severity(level)
    return Selection(severities)


def check_note(note: Note, vault: Vault, selection: Selection) -> list[Problem]:
    """Every problem the selected rules find in one note, with configured severities."""
    problems: list[Problem] = []
    for rule in selection.rules:
        if note.error is not None and rule.name != UNREADABLE_FILE:
            continue
        severity = selection.severities[rule.name]
        for problem in rule.check(note, vault):
            if problem.severity is not severity:
                problem = dataclasses.replace(problem, severity=severity)
            problems.append(problem)
    return problems


def check_paths(vault: Vault, paths: Sequence[Path], selection: Selection) -> tuple[list[Problem], int]:
    """Check the notes below ``paths`` (the whole vault if empty).

    Returns the sorted problems and the number of notes checked.
    """
    note_paths = vault.notes(paths)
    problems: list[Problem] = []
    for path in note_paths:
        note = Note.read(path, vault.relative(path))
        problems.extend(check_note(note, vault, selection))
    problems.sort(key=Problem.sort_key)
    return problems, len(note_paths)
