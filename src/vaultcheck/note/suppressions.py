"""Inline suppressions: comments that silence named rules on some lines of a note.

Written as Obsidian comments, invisible in reading view, or as HTML comments::

    %% vaultcheck-disable-next-line broken-link %%
    %% vaultcheck-disable timestamp-order, alias-format %%   ...   %% vaultcheck-enable timestamp-order %%
    %% vaultcheck-disable-file frontmatter-schema %%
    <!-- vaultcheck-disable-next-line broken-link -->

Rule names are separated by commas or spaces; without any, a comment applies to every
rule. ``disable-next-line`` covers the line after the comment; ``disable`` covers its
own line up to the line of the ``enable`` naming the same rule (a bare ``enable`` ends
every open ``disable``), or to the end of the note; ``disable-file`` covers the whole
note, frontmatter included, wherever it stands, so no property is needed for it.
A problem is silenced by the line it starts on.

Each rule named by a comment is tracked on its own, so ``unused-suppression`` can say
which name of ``disable broken-link, alias-format`` silenced nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from vaultcheck.core.positions import excerpt
from vaultcheck.core.problem import Problem
from vaultcheck.note.note import Note

# The names group holds no ``%``, ``<``, ``>`` or line break, so an attempt scans at most
# to the next comment marker on its line: linear on any input.
_DIRECTIVE = re.compile(
    r"(?:%%|<!--)[ \t]*vaultcheck-(disable-next-line|disable-file|disable|enable)(?![\w-])"
    r"([^%<>\r\n]*?)(?:%%|-->)"
)
_NAME_SEPARATORS = re.compile(r"[\s,]+")
ALL_RULES = "*"
UNUSED_SUPPRESSION = "unused-suppression"
MARKER = "vaultcheck-"
"""Every directive holds this; a note without it has no suppressions (a fast test)."""


@dataclass(frozen=True, slots=True)
class Suppression:
    """One rule named by one comment, and the lines (1-based, inclusive) it covers.

    ``rule`` is a rule name, or :data:`ALL_RULES` for a comment naming none. ``place``
    is where the comment stands (line, column, end line, end column) and ``comment`` its
    text, where and what an ``unused-suppression`` problem about it reports. A plain value: a note's
    suppressions travel with its record, so the note is never read again to apply them.
    """

    rule: str
    first_line: int
    last_line: int
    place: tuple[int, int, int, int]
    comment: str = ""

    def covers(self, problem: Problem) -> bool:
        return self.first_line <= problem.line <= self.last_line and self.rule in (
            ALL_RULES,
            problem.rule,
        )


def rule_names(text: str) -> tuple[str, ...]:
    """The rule names of a directive, ``(ALL_RULES,)`` when it names none."""
    names = tuple(dict.fromkeys(name for name in _NAME_SEPARATORS.split(text) if name))
    return names or (ALL_RULES,)


def find_suppressions(note: Note) -> tuple[Suppression, ...]:
    """Every rule named by a suppression comment of a note, with the lines it covers."""
    if MARKER not in note.text:
        return ()
    found: list[list[object]] = []  # [rule, first line, last line, place], closed by ``enable``
    open_ranges: dict[str, list[object]] = {}
    last_line = note.lines.line_count
    for match in _DIRECTIVE.finditer(note.text):
        kind, names = match.group(1), rule_names(match.group(2))
        line = note.position(match.start())[0]
        if kind == "enable":
            for name in list(open_ranges) if names == (ALL_RULES,) else names:
                if name in open_ranges:
                    open_ranges.pop(name)[2] = line
            continue
        first, last = {
            "disable-next-line": (line + 1, line + 1),
            "disable-file": (1, last_line),
            "disable": (line, last_line),
        }[kind]
        place = (*note.position(match.start()), *note.position(match.end()))
        for name in names:
            entry: list[object] = [name, first, last, place, excerpt(match.group())]
            found.append(entry)
            if kind == "disable":
                open_ranges[name] = entry
    return tuple(Suppression(*entry) for entry in found)  # type: ignore[arg-type]


def apply_suppressions(
    path: Path, suppressions: Sequence[Suppression], problems: Sequence[Problem], ran: Collection[str]
) -> tuple[list[Problem], list[Problem]]:
    """Split the problems of the note at ``path`` into those none of its ``suppressions``
    silences, and ``unused-suppression`` problems for names that silenced nothing
    although the rule they name is in ``ran`` (the caller puts :data:`ALL_RULES` there
    when every rule on by default ran).

    Problems of ``unused-suppression`` itself are silenced only by a comment naming it,
    so a bare ``disable`` never hides its own report.
    """
    if not suppressions:
        return list(problems), []
    used: set[int] = set()
    kept = [problem for problem in problems if not _silenced(problem, suppressions, used)]
    unused = [
        Problem(
            path, *suppression.place, UNUSED_SUPPRESSION, _unused_message(suppression.rule),
            excerpt=suppression.comment,
        )
        for index, suppression in enumerate(suppressions)
        if index not in used and suppression.rule in ran
    ]
    named = [suppression for suppression in suppressions if suppression.rule == UNUSED_SUPPRESSION]
    return kept, [problem for problem in unused if not _silenced(problem, named, set())]


def _silenced(problem: Problem, suppressions: Sequence[Suppression], used: set[int]) -> bool:
    """True when one of ``suppressions`` covers ``problem``; each that does goes in ``used``."""
    covering = [index for index, suppression in enumerate(suppressions) if suppression.covers(problem)]
    used.update(covering)
    return bool(covering)


def _unused_message(rule: str) -> str:
    if rule == ALL_RULES:
        return "suppression of every rule silences no problem; remove it"
    return f"suppression of {rule} silences no problem; remove it"
