"""Read a note of the vault, refusing a symlink that leads out of it, into a tool
folder or to something that is not a note."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from vaultcheck.core.reading import DEFAULT_MAX_FILE_SIZE
from vaultcheck.note.note import Note, UnreadableNote
from vaultcheck.vault.walk import NOTE_SUFFIX, SKIPPED_FOLDERS

if TYPE_CHECKING:

    pass



def symlink_refusal(path: Path, root: Path) -> str | None:
    """Why the note at ``path`` is not read: it is a symlink that leads outside the vault
    at ``root``, into a tool folder (``.git/config``), or to something that is not a
    note; None for any other file."""
    try:
        if not stat.S_ISLNK(os.lstat(path).st_mode):
            return None
    except OSError:
        return None
    target = Path(os.path.realpath(path))
    if not target.is_relative_to(root):
        return "a symlink that leads outside the vault: not read"
    if not SKIPPED_FOLDERS.isdisjoint(target.relative_to(root).parts):
        return "a symlink into a tool folder of the vault (.git, .obsidian, ...): not read"
    if target.suffix.lower() != NOTE_SUFFIX:
        return "a symlink to a file that is not a note: not read"
    try:
        if not stat.S_ISREG(target.stat().st_mode):
            return "a symlink to something that is not a file: not read"
    except OSError:
        return None  # a broken symlink: reading it says why
    return None


def read_note(path: Path, rel: str, root: Path, limit: int = DEFAULT_MAX_FILE_SIZE) -> Note:
    """The note at ``path`` (:meth:`Note.read`, at most ``limit`` bytes), unless
    :func:`symlink_refusal` refuses it: then a note that is only ``unreadable-file``'s
    business, never read."""
    reason = symlink_refusal(path, root)
    if reason is None:
        return Note.read(path, rel, limit)
    return Note(path=path, rel=rel, raw=b"", text="", bom=False, error=UnreadableNote(reason))


