"""Links in unchanged notes to files the change deletes or renames: the notes that
mention a removed name are checked for links to those names only (see
:mod:`vaultcheck.vault.changes` for what git says the change removes)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from vaultcheck.core.problem import Problem
from vaultcheck.engine.record import NoteRecord, record_note
from vaultcheck.note.note import Note
from vaultcheck.rules.api import RuleContext
from vaultcheck.rules.registry import RULES
from vaultcheck.rules.selection import Selection
from vaultcheck.vault.files import normalize_path
from vaultcheck.vault.notes import read_note

CheckNote = Callable[[Note, RuleContext, Selection], list[Problem]]


def _mentions(text: str, names: frozenset[str]) -> bool:
    lower = text.lower()
    return any(name in lower or name.replace(" ", "%20") in lower for name in names)


def links_to_removed_files(
    context: RuleContext, checked: Sequence[Path], selection: Selection, check_note: CheckNote
) -> tuple[list[Problem], list[NoteRecord]]:
    """Problems in notes outside ``checked`` whose links named a file the change removes,
    and the records of the notes looked at for them (what the gate needs of them).

    Only notes git tracks are looked at (a change removes files only inside git).
    """
    vault, links = context.vault, context.links
    # The rules a change can make fail in a note that did not change.
    severities = {
        name: level for name, level in selection.severities.items() if RULES[name].broken_elsewhere
    }
    names = frozenset(links.removed) if severities else frozenset()
    if not names:
        return [], []
    restricted = dataclasses.replace(selection, severities=severities)
    skip = {normalize_path(vault.relative(path)) for path in checked}
    problems: list[Problem] = []
    looked_at: list[NoteRecord] = []
    for file in vault.files.files:
        if not file.is_note or file.symlink or file.path in skip or vault.is_excluded(file.path):
            continue
        note = read_note(vault.root / file.path, file.path, vault.root, vault.config.max_file_size)
        if note.error is None and _mentions(note.text, names):
            links.only[note.rel] = names
            problems.extend(check_note(note, context, restricted))
            looked_at.append(record_note(note, context, restricted, ()))
    return problems, looked_at


