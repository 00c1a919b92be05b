"""What a change did since a base commit: the lines it added or changed in each note.

Used by ``--diff-base REF`` to gate a pull request on what it touched. The change is
the working tree (staged, unstaged and untracked files included) compared with the
merge base of ``REF`` and ``HEAD``, as ``git diff REF...`` would, so commits that
land on ``REF`` after the branch started are not taken for the branch's own work.
Paths are vault paths (relative to the vault root, ``/``-separated, Unicode in NFC);
files outside the vault are left out.
"""

from __future__ import annotations

import os
import re
import subprocess
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from vaultcheck.vault.config import ConfigError
from vaultcheck.vault.files import normalize_path
from vaultcheck.vault.git import check_ref, git_output

_HUNK = re.compile(r"@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_C_ESCAPE = re.compile(rb"\\([0-7]{3}|.)", re.DOTALL)
_C_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13}
# A user's git configuration must not change what we parse: no pager, no colours, no
# external diff tool, no escaped non-ASCII names, the usual a/ and b/ prefixes.
_DIFF_OPTIONS = (
    "diff", "--no-color", "--no-ext-diff", "--relative", "-M", "--src-prefix=a/", "--dst-prefix=b/",
)
SHALLOW_HINT = (
    "in a shallow CI checkout, fetch the base first"
    " (actions/checkout with fetch-depth: 0, or git fetch origin BRANCH)"
)


@dataclass(frozen=True)
class FileChange:
    """How one file differs from the base.

    ``lines`` are the 1-based lines of the current file the change added or rewrote,
    sorted; ``deleted_after`` the lines after which it deleted some (0: before the
    first line); ``whole`` marks a file git does not track yet, new in every line.
    """

    lines: tuple[int, ...] = ()
    deleted_after: tuple[int, ...] = ()
    whole: bool = False

    def touches(self, first: int, last: int) -> bool:
        """True when the change added or rewrote a line of ``first..last``, or deleted
        lines from between two of them."""
        if self.whole:
            return True
        added = bisect_left(self.lines, first)
        if added < len(self.lines) and self.lines[added] <= last:
            return True
        deleted = bisect_left(self.deleted_after, first)
        return deleted < len(self.deleted_after) and self.deleted_after[deleted] < last


@dataclass
class DiffSummary:
    """The change since ``base`` (a commit id): the files it changed, by vault path.

    The files it deletes or renames away are the link checker's business
    (:func:`vaultcheck.links.changes.removals`, given the same ``base``).
    """

    base: str
    files: dict[str, FileChange] = field(default_factory=dict)

    def changed(self, rel: str) -> bool:
        """True when the change added, edited or renamed in the file at vault path ``rel``."""
        return normalize_path(rel) in self.files

    def touches(self, rel: str, first: int, last: int) -> bool:
        """True when the change touches lines ``first..last`` of the file at ``rel``."""
        change = self.files.get(normalize_path(rel))
        return change is not None and change.touches(first, last)


def _git(root: Path, *args: str) -> str:
    command = ["git", "-c", "core.quotepath=false", *args]
    try:
        completed = subprocess.run(command, cwd=root, capture_output=True, check=False)
    except OSError as error:
        raise ConfigError(f"--diff-base needs git: {error.strerror or error}") from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[-1] if message else f"exit status {completed.returncode}"
        raise ConfigError(f"--diff-base: git {args[0]} failed: {reason}")
    return os.fsdecode(completed.stdout)


def merge_base(ref: str, root: Path) -> str:
    """The commit where ``HEAD`` left ``ref``; a usage error when git does not know ``ref``."""
    check_ref(ref, "--diff-base")
    git_output(["rev-parse", "--git-dir"], root)  # a repository git refuses is not a shallow one
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except ConfigError:
        raise ConfigError(f"--diff-base: no commit '{ref}' in this repository; {SHALLOW_HINT}") from None
    try:
        return _git(root, "merge-base", "--end-of-options", ref, "HEAD").strip()
    except ConfigError:
        raise ConfigError(
            f"--diff-base: '{ref}' and HEAD have no common commit; {SHALLOW_HINT}"
        ) from None


def unquote_path(name: str) -> str:
    """A file name as git's patch headers print it: C-quoted (``"a \\"b\\".md"``) when it
    holds a quote, backslash or control character, else as it is."""
    if len(name) < 2 or not name.startswith('"') or not name.endswith('"'):
        return name

    def unescape(match: re.Match[bytes]) -> bytes:
        escaped = match.group(1)
        if len(escaped) == 3:
            return bytes([int(escaped, 8) & 0xFF])
        return bytes([_C_ESCAPES[escaped]]) if escaped in _C_ESCAPES else escaped

    raw = os.fsencode(name[1:-1])
    return os.fsdecode(_C_ESCAPE.sub(unescape, raw))


def parse_patch(patch: str) -> dict[str, FileChange]:
    """The changed lines of each file of a ``git diff --unified=0`` patch."""
    found: dict[str, tuple[list[int], list[int]]] = {}
    current: tuple[list[int], list[int]] | None = None
    for line in patch.splitlines():
        if line.startswith("+++ "):
            # git ends the name with a tab when it holds a space.
            name = unquote_path(line[4:].removesuffix("\t"))
            current = None
            if name.startswith("b/"):
                current = found.setdefault(normalize_path(name[2:]), ([], []))
        elif current is not None and line.startswith("@@ "):
            match = _HUNK.match(line)
            if match is None:
                continue
            start, count = int(match.group(1)), int(match.group(2) or 1)
            if count:
                current[0].extend(range(start, start + count))
            else:
                current[1].append(start)
    return {
        name: FileChange(tuple(sorted(lines)), tuple(sorted(deleted)))
        for name, (lines, deleted) in found.items()
    }


def diff_since(ref: str, root: Path) -> DiffSummary:
    """What the working tree of the vault at ``root`` changed since it left ``ref``."""
    base = merge_base(ref, root)
    summary = DiffSummary(base)
    summary.files = parse_patch(
        _git(root, *_DIFF_OPTIONS, "--unified=0", "--end-of-options", base, "--")
    )
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    for name in filter(None, untracked.split("\0")):
        summary.files[normalize_path(name)] = FileChange(whole=True)
    return summary
