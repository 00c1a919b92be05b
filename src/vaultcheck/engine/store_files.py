"""How cache files are read and written: plain JSON, never through a symlink.

A cache file holds only JSON, so loading one builds nothing but plain values and never
runs code. Files are read with ``O_NOFOLLOW`` and written through a temporary file
renamed over the old one (a rename replaces a symlink, it never writes through it);
folders are made one by one, and one that already exists must be a real folder.
Whether a cache folder may be used at all (not a symlink, holding none, not committed)
is decided when it is opened: see :func:`vaultcheck.engine.store.check_cache_folder`.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

GITIGNORE = b"# Written by vaultcheck: a cache, not to be committed.\n*\n"
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def read_bytes(file: Path) -> bytes | None:
    """The bytes of ``file``; None when it is missing, unreadable or a symlink."""
    try:
        descriptor = os.open(file, os.O_RDONLY | _NO_FOLLOW)
    except OSError:
        return None
    try:
        with os.fdopen(descriptor, "rb") as stream:
            return stream.read()
    except OSError:
        return None


def read_json(file: Path) -> Any:
    """The value in ``file``, or None when it is missing, a symlink or not JSON."""
    data = read_bytes(file)
    if data is None:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


def write_json(file: Path, value: Any, cache_root: Path) -> None:
    """Write ``value`` as JSON through a temporary file renamed over ``file``, so a
    concurrent run reads the old file or the new one, never half of one; the folders
    from ``cache_root`` down are made as needed, and ``cache_root`` keeps a
    ``.gitignore`` that keeps the cache out of git. Raises OSError."""
    body = json.dumps(value, separators=(",", ":")).encode("ascii")
    make_folders(file.parent, cache_root)
    keep_gitignore(cache_root)
    replace_file(file, body)


def make_folders(folder: Path, cache_root: Path) -> None:
    """Make ``cache_root`` and the folders from it down to ``folder``; raises OSError
    when one of them exists as anything but a real folder (a symlink above all)."""
    cache_root.parent.mkdir(parents=True, exist_ok=True)
    for level in (cache_root, *(cache_root / part for part in _parts_below(folder, cache_root))):
        try:
            os.mkdir(level)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(level).st_mode):
                raise NotADirectoryError(f"{level} is not a folder") from None


def _parts_below(folder: Path, top: Path) -> list[str]:
    parts = folder.relative_to(top).parts
    return [os.path.join(*parts[: index + 1]) for index in range(len(parts))]


def keep_gitignore(cache_root: Path) -> None:
    """Give ``cache_root`` its ``.gitignore``, and mend one left empty or changed (by
    a full disk during the first write, say). Raises OSError."""
    if read_bytes(cache_root / ".gitignore") != GITIGNORE:
        replace_file(cache_root / ".gitignore", GITIGNORE)


def replace_file(file: Path, data: bytes) -> None:
    """Put ``data`` in ``file`` through a new temporary file renamed over it. Raises OSError."""
    descriptor, temporary = tempfile.mkstemp(dir=file.parent, prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
