"""Inline suppressions: comments that silence named rules on some lines of a note.

Written as Obsidian comments, invisible in reading view, or as HTML comments::

    %% vaultcheck-disable-next-line broken-link %%
    %% vaultcheck-disable timestamp-order, alias-format %%   ...   %% vaultcheck-enable timestamp-order %%
    %% vaultcheck-disable-file frontmatter-schema %%
    <!-- vaultcheck-disable-next-line broken-link -->

Without rule names a comment applies to every rule. ``disable`` without a matching
``enable`` lasts to the end of the note; ``disable-file`` covers the whole note,
frontmatter included, wherever it stands. A suppression that silences nothing, or
names a rule that does not exist, is itself a problem (``unused-suppression``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from vaultcheck.note import Note
from vaultcheck.problem import Problem
from vaultcheck.rules.report import problem_at

_DIRECTIVE = re.compile(
    r"(?:%%|<!--)[ \t]*vaultcheck-(disable-next-line|disable-file|disable|enable)\b"
    r"([^%\n>]*?)[ \t]*(?:%%|-->)"
)
ALL_RULES = "*"
UNUSED_SUPPRESSION = "unused-suppression"


@dataclass
class Suppression:
    """One comment: which rules it names, which lines (1-based, inclusive) it covers."""

    start: int
    end: int
    rules: tuple[str, ...]
    first_line: int
    last_line: int
    used: bool = False

    def covers(self, problem: Problem) -> bool:
        return self.first_line <= problem.line <= self.last_line and (
            ALL_RULES in self.rules or problem.rule in self.rules
        )


def _rule_names(text: str) -> tuple[str, ...]:
    names = tuple(name for name in re.split(r"[\s,]+", text.strip()) if name)
    return names or (ALL_RULES,)


def find_suppressions(note: Note) -> list[Suppression]:
    """Every suppression comment of a note with the lines it covers."""
    found: list[Suppression] = []
    open_ranges: dict[str, Suppression] = {}
    last_line = note.lines.line_count
    for match in _DIRECTIVE.finditer(note.text):
        kind, names = match.group(1), _rule_names(match.group(2))
        line = note.position(match.start())[0]
        if kind == "enable":
            for name in names:
                for key in list(open_ranges) if name == ALL_RULES else [name]:
                    if key in open_ranges:
                        open_ranges.pop(key).last_line = line
            continue
        first, last = {
            "disable-next-line": (line + 1, line + 1),
            "disable-file": (1, last_line),
            "disable": (line, last_line),
        }[kind]
        suppression = Suppression(match.start(), match.end(), names, first, last)
        found.append(suppression)
        if kind == "disable":
            open_ranges.update(dict.fromkeys(names, suppression))
    return found


def apply_suppressions(
    note: Note, problems: Sequence[Problem], selected: Collection[str]
) -> tuple[list[Problem], list[Problem]]:
    """Split a note's problems into those kept and ``unused-suppression`` problems for
    comments that silenced nothing although every rule they name ran."""
    if "vaultcheck-" not in note.text:
        return list(problems), []
    suppressions = find_suppressions(note)
    kept = []
    for problem in problems:
        covering = [suppression for suppression in suppressions if suppression.covers(problem)]
        for suppression in covering:
            suppression.used = True
        if not covering:
            kept.append(problem)
    unused = [
        problem_at(note, UNUSED_SUPPRESSION, suppression.start, suppression.end,
                   "suppression silences no problem; remove it")
        for suppression in suppressions
        if not suppression.used and all(name in selected for name in suppression.rules)
    ]
    return kept, unused
