"""Write a fixed note back to disk: the one place vaultcheck changes a user's file.

The new bytes are the fixed text encoded as the note was read (UTF-8, with its BOM
when it had one); fixes never touch line endings, so those stay too. The file is
replaced atomically: the bytes go to a temporary file in the same folder, are
synced, get the original's mode, and ``os.replace`` swaps it in, so a crash leaves
the old file or the new one, never half of one. A file that changed on disk after
it was read is not overwritten: someone else's edit wins, and the run says so.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from vaultcheck.note import UTF8_BOM, Note


class StaleNote(Exception):
    """The note on disk is no longer what was read and fixed; it was left as it is."""


def encode_text(text: str, bom: bool) -> bytes:
    """A note's bytes for ``text``: UTF-8, with the BOM back in front when the note had one."""
    return (UTF8_BOM if bom else b"") + text.encode("utf-8")


def write_fixed(note: Note, text: str) -> None:
    """Replace the file of ``note`` with ``text``, encoded as the note was.

    Raises :class:`StaleNote` when the file's bytes are no longer ``note.raw``, and
    ``OSError`` when it cannot be written; in both cases the file is untouched.
    """
    target = Path(os.path.realpath(note.path))
    try:
        current = target.read_bytes()
    except OSError as error:
        raise StaleNote(f"cannot be read again: {error.strerror or error}") from None
    if current != note.raw:
        raise StaleNote("changed on disk while it was being checked")
    atomic_write(target, encode_text(text, note.bom))


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` through a synced temporary file in the same folder,
    keeping the file's permission bits (and owner, where the process may set it).

    A file without write permission is refused (``PermissionError``) rather than
    replaced behind its owner's back, although the rename alone would succeed.
    """
    original = path.stat()
    if not os.access(path, os.W_OK):
        raise PermissionError(errno.EACCES, "the file is read-only", str(path))
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".vaultcheck-tmp", dir=path.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(original.st_mode))
        _keep_owner(temporary, original)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(path.parent)


def _keep_owner(path: str, original: os.stat_result) -> None:
    """Give the new file the original's owner and group when they differ (a root run
    fixing someone's vault); a process that may not do so keeps its own."""
    chown = getattr(os, "chown", None)
    created = os.stat(path)
    if chown is None or (created.st_uid, created.st_gid) == (original.st_uid, original.st_gid):
        return
    with contextlib.suppress(OSError):
        chown(path, original.st_uid, original.st_gid)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable; folders cannot be opened for syncing on every platform."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)
