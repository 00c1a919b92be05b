"""unreadable-file: a note whose bytes are not UTF-8 text, or that cannot be read at all.

Obsidian shows such a file as garbage or not at all, and no other rule can check it.
The problem points at the line and byte column of the first byte that is not text.
Also reported, so that no note goes unchecked silently: a name that is not UTF-8; a
FIFO, device or folder given as a note; a note over ``max-file-size`` (not read); two
notes whose names differ only in Unicode normalization (``café`` composed, NFC, and
decomposed, NFD: Obsidian and macOS see one of them); a folder that cannot be listed
(a path over the system's length limit), at the folder.

Passes (any note saved as UTF-8, with or without a BOM, LF or CRLF line endings)::

    Working from a café adds just enough background noise.

Fails (the note saved as Latin-1, where ``é`` is the one byte ``\\xe9``; so does a binary
file named ``.md``, or a NUL byte)::

    Working from a caf\\xe9 adds just enough background noise.

    not valid UTF-8 (byte 0xe9)

Fix: save the note as UTF-8; move binary files out of ``.md`` names; rename one of two
notes that differ only in normalization; shorten a path that is too long.
"""

from __future__ import annotations

import os
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Problem

if TYPE_CHECKING:
    from vaultcheck.note.note import Note
    from vaultcheck.rules.api import RuleContext
    from vaultcheck.vault.vault import Vault

NAME = "unreadable-file"
FAMILY = "input"
SUMMARY = "A note that is not UTF-8 text or cannot be read."


def check(note: Note, ctx: RuleContext) -> Iterator[Problem]:
    if note.error is not None:
        error = note.error
        yield Problem(
            note.path, error.line, error.column, error.line, error.column + 1, NAME, error.reason
        )


def vault_problems(vault: Vault, checked: Sequence[Path], whole_vault: bool) -> Iterator[Problem]:
    """What no note alone shows, found again on every run (never cached): folders the
    walk could not list, and checked notes whose vault paths are equal once
    normalized to NFC (in a run on some paths, their folders' other notes count too)."""
    for folder, error in dict(vault.unlisted).items():  # a folder walked twice, once
        reason = error.strerror or str(error)
        message = f"folder cannot be read ({reason}): the notes in it are not checked"
        yield Problem(folder, 1, 1, 1, 2, NAME, message)
    spellings: dict[str, set[str]] = defaultdict(set)
    for path in checked:
        rel = vault.relative(path)
        spellings[unicodedata.normalize("NFC", rel)].add(rel)
    if not whole_vault:
        for folder in {path.parent for path in checked}:
            for rel in _notes_beside(vault, folder):
                spellings[unicodedata.normalize("NFC", rel)].add(rel)
    for path in checked:
        rel = vault.relative(path)
        others = sorted(spellings[unicodedata.normalize("NFC", rel)] - {rel})
        if others:
            message = (
                f'"{rel}" ({_form(rel)}) and "{others[0]}" ({_form(others[0])}) are one name'
                " once Unicode is normalized: Obsidian and macOS see only one of them,"
                " and links reach only one; rename or merge them"
            )
            yield Problem(path, 1, 1, 1, 2, NAME, message)


def _form(rel: str) -> str:
    """How a name spells its accents: composed (NFC), decomposed (NFD) or mixed."""
    if unicodedata.is_normalized("NFC", rel):
        return "NFC"
    return "NFD" if unicodedata.is_normalized("NFD", rel) else "mixed"


def _notes_beside(vault: Vault, folder: Path) -> Iterator[str]:
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.lower().endswith(".md"):
            yield vault.relative(folder / name)
