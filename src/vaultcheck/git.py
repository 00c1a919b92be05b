"""Ask git something: the one way vaultcheck runs it."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path


def git_output(arguments: Sequence[str], cwd: Path) -> bytes | None:
    """What ``git ARGUMENTS`` prints in ``cwd``; None when git is missing or fails
    (outside a work tree, an unknown revision): callers then do without git."""
    try:
        completed = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, check=False)
    except OSError:
        return None
    return completed.stdout if completed.returncode == 0 else None
