"""Read a file a stranger may have planted: only a regular file, and only up to a limit.

A note, a baseline or a schema can be a FIFO (reading it waits forever), a device
(``/dev/zero`` never ends), a folder, or a regular file of gigabytes. The file is
opened without blocking and judged on the opened descriptor (``fstat``), so nothing
can swap it between a check and the read; then at most ``limit`` bytes are read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

DEFAULT_MAX_FILE_SIZE = 8_000_000
"""Bytes: the default of ``max-file-size``. The largest notes of big real vaults are
about 1 MB; a file several times that is data, not a note someone writes."""

DEFAULT_MAX_BASELINE_SIZE = 256_000_000
"""Bytes: the default of ``max-baseline-size``. A baseline of a vault with hundreds of
thousands of old problems takes a hundred megabytes or more."""

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class NotRegularFile(OSError):
    """The path is a folder, FIFO, device or socket: not a file vaultcheck reads."""


class TooLarge(OSError):
    """The file is larger than the limit; it was not read."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"{size_text(size)}, over the limit of {size_text(limit)}")
        self.size = size
        self.limit = limit


def size_text(size: int) -> str:
    """``12_300_000`` -> ``12.3 MB``; below 100 kB in bytes (``2_030`` -> ``2,030 bytes``),
    so a small limit never reads as ``0.0 MB``."""
    if size < 100_000:
        return f"{size:,} bytes"
    return f"{size / 1_000_000:.1f} MB"


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(
    path: Path | str, limit: int = DEFAULT_MAX_FILE_SIZE, extra_flags: int = 0
) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises :class:`NotRegularFile` for anything but a regular file, :class:`TooLarge`
    for a file over ``limit`` (judged by its size, then by what a read returns, so a
    file growing meanwhile is caught too), and ``OSError`` when it cannot be opened
    (``extra_flags`` such as ``O_NOFOLLOW`` are added to the flags of ``os.open``).
    """
    descriptor = os.open(path, _OPEN_FLAGS | extra_flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(errno.EINVAL, f"is {kind_of(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise TooLarge(info.st_size, limit)
        chunks = []
        total = 0
        request = min(info.st_size, limit) + 1  # one read for a file that does not grow
        while total <= limit:
            chunk = os.read(descriptor, min(request, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            request = 1 << 16
        data = b"".join(chunks)
        if len(data) > limit:
            raise TooLarge(max(info.st_size, len(data)), limit)
        return data
    finally:
        os.close(descriptor)


def read_problem(error: OSError) -> str:
    """Why a file could not be read, in a few words: ``is a FIFO, not a regular file``."""
    if isinstance(error, TooLarge):
        return f"is {error.strerror}"
    if isinstance(error, NotRegularFile):
        return str(error.strerror)
    return f"cannot be read: {error.strerror or error}"
