"""Ask git something: the one way vaultcheck runs it."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from vaultcheck.vault.config import ConfigError

#: What git says in a folder outside any work tree (``git diff`` there turns into
#: ``git diff --no-index`` and prints its usage): then vaultcheck does without git.
_NOT_A_REPOSITORY = (b"not a git repository", b"git diff --no-index")


class GitError(ConfigError):
    """git refused to answer for a reason other than "not a repository" (a repository
    it does not trust, an unknown revision, a broken index): the run stops (exit 2)
    with git's own message, rather than going on as if the vault were not in git."""


def git_output(arguments: Sequence[str], cwd: Path) -> bytes | None:
    """What ``git ARGUMENTS`` prints in ``cwd``; None outside a work tree or when git is
    missing (callers then do without git). Raises :class:`GitError` for any other failure,
    such as "detected dubious ownership" (``safe.directory``)."""
    try:
        completed = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, check=False)
    except OSError:
        return None
    if completed.returncode == 0:
        return completed.stdout
    if any(sign in completed.stderr for sign in _NOT_A_REPOSITORY):
        return None
    raise GitError(f"git {arguments[0]} failed: {first_message(completed.stderr, completed.returncode)}")


def first_message(stderr: bytes, returncode: int) -> str:
    """The line of git's error output that says what went wrong."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line
    return lines[0] if lines else f"exit status {returncode}"


def check_ref(ref: str, origin: str) -> str:
    """``ref`` if git can only read it as a revision: one starting with ``-`` would be
    taken for an option (``--output=FILE``). Raises ConfigError naming ``origin``."""
    if not ref or ref.startswith("-"):
        raise ConfigError(f"{origin}: '{ref}' is not a commit")
    return ref
