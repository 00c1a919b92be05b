"""Write a fixed note back to disk: the one place vaultcheck changes a user's file.

The new bytes are the fixed text encoded as the note was read (UTF-8, with its BOM
when it had one); fixes never touch line endings, so those stay too. The file is
replaced atomically: the bytes go to a temporary file in the same folder, are
synced, get the original's mode, and ``os.replace`` swaps it in, so a crash leaves
the old file or the new one, never half of one. A file that changed on disk after
it was read is not overwritten: someone else's edit wins, and the run says so. A
temporary file a killed run left behind is removed by the next ``--fix``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from pathlib import Path

from vaultcheck.core.reading import TooLarge, read_regular
from vaultcheck.note.note import UTF8_BOM, Note

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class StaleNote(Exception):
    """The note on disk is no longer what was read and fixed; it was left as it is."""


TEMPORARY_SUFFIX = ".vaultcheck-tmp"
#: The temporary files of :func:`atomic_write`: ``.NAME.`` + 8 characters of mkstemp.
_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}" + re.escape(TEMPORARY_SUFFIX), re.DOTALL)
STALE_AFTER_SECONDS = 60
"""A temporary file left this long (and not locked by a writer) was left by a run
that was killed; a write takes far less."""


def encode_text(text: str, bom: bool) -> bytes:
    """A note's bytes for ``text``: UTF-8, with the BOM back in front when the note had one."""
    return (UTF8_BOM if bom else b"") + text.encode("utf-8")


def write_fixed(note: Note, text: str) -> None:
    """Replace the file of ``note`` with ``text``, encoded as the note was.

    Raises :class:`StaleNote` when the file's bytes are no longer ``note.raw``, and
    ``OSError`` when it cannot (or must not) be written; in both cases the file is
    untouched.
    """
    target = Path(os.path.realpath(note.path))
    atomic_write(target, encode_text(text, note.bom), expected=note.raw)


def atomic_write(path: Path, data: bytes, expected: bytes | None = None) -> None:
    """Replace ``path`` with ``data`` through a synced temporary file in the same folder,
    keeping the file's permission bits (and owner, where the process may set it).

    With ``expected``, the file must still hold exactly those bytes: they are compared
    once the new file is written and synced, right before the rename, so an editor's
    save made meanwhile is kept (:class:`StaleNote`) rather than overwritten.

    Refused (``PermissionError``), although the rename alone would succeed: a file
    without write permission bits (also when running as root, whom ``os.access``
    always allows), and a file with other hard links, which would keep the old text
    under their names while this one got the new.
    """
    try:
        original = path.stat()
    except FileNotFoundError as error:
        if expected is None:
            raise
        raise StaleNote(f"cannot be read again: {error.strerror or error}") from None
    if not stat.S_IMODE(original.st_mode) & _WRITE_BITS or not os.access(path, os.W_OK):
        raise PermissionError(errno.EACCES, "the file is read-only", str(path))
    if original.st_nlink > 1:
        raise PermissionError(
            errno.EMLINK,
            f"the file has {original.st_nlink} hard links; writing a new file would split"
            " them (the other names would keep the old text)",
            str(path),
        )
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent
    )
    try:
        _lock(handle)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            os.chmod(temporary, stat.S_IMODE(original.st_mode))
            _keep_owner(temporary, original)
            if expected is not None:
                _still_holds(path, expected)
            os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(path.parent)


_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def _still_holds(path: Path, expected: bytes) -> None:
    """Raise :class:`StaleNote` unless the file at ``path`` holds ``expected`` exactly."""
    try:
        current = read_regular(path, len(expected))
    except TooLarge:
        current = None
    except OSError as error:
        raise StaleNote(f"cannot be read again: {error.strerror or error}") from None
    if current != expected:
        raise StaleNote("changed on disk while it was being checked")


def _lock(descriptor: int) -> None:
    """Mark a temporary file as in use, for :func:`remove_stale_temporaries` (where the
    platform has advisory locks; the lock goes with the process, however it ends)."""
    if fcntl is not None:
        with contextlib.suppress(OSError):
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)


_tidied: set[Path] = set()


def remove_stale_temporaries(folder: Path) -> None:
    """Delete the temporary files of :func:`atomic_write` that a killed run left in
    ``folder``: only regular files named as it names them, older than
    :data:`STALE_AFTER_SECONDS` and locked by no writer. Once per folder and process."""
    if folder in _tidied:
        return
    _tidied.add(folder)
    try:
        names = [name for name in os.listdir(folder) if _TEMPORARY.fullmatch(name)]
    except OSError:
        return
    for name in names:
        path = os.path.join(folder, name)
        with contextlib.suppress(OSError):
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or time.time() - info.st_mtime < STALE_AFTER_SECONDS:
                continue
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            try:
                if fcntl is not None:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # in use: OSError
                os.unlink(path)
            finally:
                os.close(descriptor)


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
