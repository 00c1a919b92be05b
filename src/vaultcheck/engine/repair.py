"""The second step of ``--fix`` and ``--diff``: link repairs, once every link is judged.

The first step fixes each note alone where it is checked (see
:func:`vaultcheck.engine.fix.fix_record`). Link problems are known only later, in one
process that sees the whole vault; those that carry a fix (a link to a file or heading
the change moved, see :mod:`vaultcheck.links.repair`) are applied here, to the notes
holding them: each such note is read again, its link rules run on what is on disk now
(so every edit is placed in the text it is applied to), their fixes applied pass by pass
as for any rule, and the note written through the same writer, never over a newer edit.
Under ``--diff`` nothing was written by the first step: it is done again on the text
read, so the note's one diff shows both steps.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultcheck.core.diff import unified_diff
from vaultcheck.core.problem import Problem
from vaultcheck.engine.check import check_note
from vaultcheck.engine.fix import Unwritten, fix_note
from vaultcheck.engine.record import FixMode, split_selection
from vaultcheck.vault.notes import read_note

if TYPE_CHECKING:
    from vaultcheck.rules.api import RuleContext
    from vaultcheck.rules.selection import Selection


@dataclass(frozen=True)
class Repaired:
    """What the link repairs did to one note: ``by_rule`` the problems fixed in this
    step, by rule; ``diff`` the note's whole diff under ``--diff`` (it replaces the
    first step's); ``failure`` why the note could not be written (None: it was)."""

    path: Path
    by_rule: tuple[tuple[str, int], ...]
    diff: str = ""
    failure: str | None = None


def _by_rule(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items()))


def _wanted(problem: Problem, rules: Collection[str], unsafe: bool) -> bool:
    return problem.rule in rules and problem.fix is not None and (problem.fix.safe or unsafe)


def repair_links(
    context: RuleContext, problems: Sequence[Problem], selection: Selection, mode: FixMode
) -> tuple[list[Problem], list[Repaired]]:
    """Apply the fixes of the link problems among ``problems``; returns the problems
    left (those of the repaired notes found again in their new text) and what was done."""
    vault = context.vault
    alone, linked = split_selection(selection)
    rules = set(linked.severities)
    paths = sorted({problem.path for problem in problems if _wanted(problem, rules, mode.unsafe)})
    if not paths:
        return list(problems), []
    touched = set(paths)
    left = [problem for problem in problems if problem.path not in touched or problem.rule not in rules]
    done: list[Repaired] = []
    for path in paths:
        note = read_note(path, vault.relative(path), vault.root, vault.config.max_file_size)
        if note.error is not None:
            continue
        start = note if mode.write else fix_note(note, context, alone).final
        result = fix_note(start, context, linked, mode.unsafe)
        if not result.changed:
            left.extend(result.left)
            continue
        if not mode.write:
            bom = "\ufeff" if note.bom else ""
            diff = unified_diff(bom + note.text, bom + result.text, mode.names.display_path(path))
            done.append(Repaired(path, _by_rule(result.fixed_by_rule), diff))
            left.extend(result.left)
            continue
        failure = Unwritten(note, result.text).write()
        left.extend(result.left if failure is None else check_note(note, context, linked))
        done.append(Repaired(path, () if failure else _by_rule(result.fixed_by_rule), failure=failure))
    left.sort(key=Problem.sort_key)
    return left, done
