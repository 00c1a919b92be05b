"""How cache files are written: JSON, signed with a key that never lives in the vault.

A cache file sits inside the vault, where anyone who can open a pull request can put one.
So it holds only JSON (loading it can build nothing but plain values, never run code) and
starts with an HMAC-SHA256 of its content under a per-user key kept outside the vault
(``$XDG_CACHE_HOME/vaultcheck/cache-key``, else ``~/.cache/vaultcheck/cache-key``). A file
whose signature does not match, such as one committed to the repository, is ignored: it
can neither run code nor hide a problem.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

_GITIGNORE = "# Written by vaultcheck: a cache, not to be committed.\n*\n"
_KEY_BYTES = 32


def key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "vaultcheck" / "cache-key"


@cache
def signing_key() -> bytes | None:
    """This user's key, made on first use; None when it can be neither read nor made."""
    file = key_file()
    try:
        key = file.read_bytes()
        if len(key) == _KEY_BYTES:
            return key
    except OSError:
        pass
    key = secrets.token_bytes(_KEY_BYTES)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=file.parent, prefix=".key-")
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(key)
        os.replace(temporary, file)
    except OSError:
        return None
    return key


def read_signed(file: Path) -> Any:
    """The value in ``file``, or None when it is missing, unsigned, tampered with or not JSON."""
    key = signing_key()
    if key is None:
        return None
    try:
        signature, _, body = file.read_bytes().partition(b"\n")
    except OSError:
        return None
    expected = hmac.new(key, body, hashlib.sha256).hexdigest().encode("ascii")
    if not hmac.compare_digest(signature, expected):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def write_signed(file: Path, value: Any, cache_root: Path) -> None:
    """Write ``value`` as signed JSON through a temporary file renamed over ``file``, so a
    concurrent run reads the old file or the new one, never half of one; ``cache_root``
    (a folder above ``file``) gets a ``.gitignore`` that keeps the cache out of git.
    Raises OSError."""
    key = signing_key()
    if key is None:
        raise OSError("no cache key")
    body = json.dumps(value, separators=(",", ":")).encode("ascii")
    signature = hmac.new(key, body, hashlib.sha256).hexdigest().encode("ascii")
    file.parent.mkdir(parents=True, exist_ok=True)
    gitignore = cache_root / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(_GITIGNORE, encoding="utf-8")
    descriptor, temporary = tempfile.mkstemp(dir=file.parent, prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(signature + b"\n" + body)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
