"""Fix one note: apply the fixes of the selected rules pass after pass, record the
fixed note, and write it back (through :mod:`vaultcheck.engine.writer`)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultcheck.core.edits import apply_edits, choose_fixes
from vaultcheck.core.problem import Problem
from vaultcheck.engine.check import check_note
from vaultcheck.engine.record import FixMode, FixOutcome, NoteRecord, record_note, split_selection
from vaultcheck.engine.writer import encode_text
from vaultcheck.note.note import Note
from vaultcheck.note.suppressions import apply_suppressions, find_suppressions
from vaultcheck.rules.api import RuleContext
from vaultcheck.rules.registry import RULES
from vaultcheck.rules.selection import Selection

if TYPE_CHECKING:
    pass



MAX_FIX_PASSES = 10
"""Overlapping fixes wait for the next pass; needing more than this means rules disagree."""


@dataclass(frozen=True)
class NoteFix:
    """What the fixes of the selected rules make of one note.

    ``left`` are the problems of the fixed ``text`` (parsed in ``final``), and
    ``fixed_by_rule`` counts the problems whose fixes were applied, by rule.
    """

    note: Note
    text: str
    left: list[Problem]
    fixed_by_rule: dict[str, int]
    final: Note

    @property
    def fixed(self) -> int:
        return sum(self.fixed_by_rule.values())

    @property
    def changed(self) -> bool:
        return self.text != self.note.text


def fix_note(note: Note, context: RuleContext, selection: Selection) -> NoteFix:
    """Apply the fixes of the selected rules, checking the text again after each pass,
    until no fix is left (fixes that overlap one applied wait for the next pass).

    Only the rules that offer fixes run until then; the others run once, on the
    fixed text.
    """
    fixers = Selection({name: level for name, level in selection.severities.items() if RULES[name].fixable})
    problems = check_note(note, context, fixers)
    current, fixed = note, Counter[str]()
    for _ in range(MAX_FIX_PASSES):
        # A problem silenced by a suppression comment is not fixed either.
        unsilenced = apply_suppressions(current.path, find_suppressions(current), problems, ())[0]
        edits, done = choose_fixes(unsilenced)
        text = apply_edits(current.text, edits)
        if text == current.text:
            break
        current = Note.from_bytes(note.path, note.rel, encode_text(text, note.bom))
        problems = check_note(current, context, fixers)
        fixed.update(problem.rule for problem in done)
    others = Selection({name: level for name, level in selection.severities.items() if name not in fixers.severities})
    order = {name: index for index, name in enumerate(RULES)}
    left = sorted([*problems, *check_note(current, context, others)], key=lambda problem: order[problem.rule])
    return NoteFix(note, current.text, left, dict(fixed), current)


def fix_record(
    note: Note, context: RuleContext, selection: Selection, mode: FixMode
) -> tuple[NoteRecord, Unwritten | None]:
    """Apply the fixes of the selected rules to ``note`` (making its diff under ``--diff``)
    and record the note as fixed; under ``--fix``, also what is left to write.

    Only rules outside ``links`` offer fixes, so they alone run while fixing; links
    are judged later against the whole vault, from the fixed notes' records.
    """
    from vaultcheck.core.diff import unified_diff
    from vaultcheck.engine.writer import remove_stale_temporaries

    if mode.write:  # what a killed run left beside the notes goes first
        remove_stale_temporaries(note.path.parent)
    result = fix_note(note, context, split_selection(selection)[0])
    if not result.changed:
        return record_note(note, context, selection, result.left), None
    diff = ""
    if not mode.write:
        # The BOM belongs to the file's first line: without it a patch whose context
        # includes that line would not apply to the file.
        bom = "\ufeff" if note.bom else ""
        diff = unified_diff(bom + note.text, bom + result.text, mode.names.display_path(note.path))
    record = record_note(result.final, context, selection, result.left)
    record = dataclasses.replace(record, fix=FixOutcome(result.fixed, diff=diff, by_rule=tuple(sorted(result.fixed_by_rule.items()))))
    return record, Unwritten(note, result.text) if mode.write else None


@dataclass(frozen=True)
class Unwritten:
    """A fixed note's text, still to be written over the note as read."""

    note: Note
    text: str

    def write(self) -> str | None:
        """Write the text (see :func:`~vaultcheck.engine.writer.write_fixed`); why not, if not."""
        from vaultcheck.engine.writer import StaleNote, write_fixed

        try:
            write_fixed(self.note, self.text)
        except StaleNote as error:
            return str(error)
        except OSError as error:
            return error.strerror or str(error)
        return None

    def not_written(self, context: RuleContext, selection: Selection, outcome: FixOutcome, failure: str) -> NoteRecord:
        """The record of a note that could not be written: its own problems, as read."""
        from vaultcheck.engine.check import check_note

        problems = check_note(self.note, context, split_selection(selection)[0])
        record = record_note(self.note, context, selection, problems)
        return dataclasses.replace(record, fix=dataclasses.replace(outcome, failure=failure))


