"""unreadable-file: a note whose bytes are not UTF-8 text, or that cannot be read at all.

Obsidian shows such a file as garbage or not at all, and no other rule can check it.
The problem points at the line and byte column of the first byte that is not text.

Passes: any note saved as UTF-8, with or without a BOM, LF or CRLF line endings.

Fails: a note saved as Latin-1 (``caf\\xe9``), a binary file named ``.md``, a NUL byte.

Fix: save the note as UTF-8; move binary files out of ``.md`` names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.problem import Problem

if TYPE_CHECKING:
    from vaultcheck.note import Note
    from vaultcheck.vault import Vault

NAME = "unreadable-file"
FAMILY = "input"
SUMMARY = "A note that is not UTF-8 text or cannot be read."


def check(note: Note, vault: Vault) -> Iterator[Problem]:
    if note.error is not None:
        error = note.error
        yield Problem(
            note.path, error.line, error.column, error.line, error.column + 1, NAME, error.reason
        )
