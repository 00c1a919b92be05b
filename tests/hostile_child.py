"""Run ``vaultcheck`` in a child process that a hang fails by timeout and a memory blow-up
fails by a limit, instead of hanging or swapping the machine that runs the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: Address space a child may map: far above what a run over a small vault needs, far
#: below what reading a 2 GB note or ``/dev/zero`` whole would take.
MEMORY_LIMIT = 1_500_000_000


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def vaultcheck_child(
    *args: str | os.PathLike[str], cwd: Path, timeout: float = 60, limit_memory: bool = True
) -> subprocess.CompletedProcess[str]:
    """``python -m vaultcheck ARGS`` from ``cwd``; a run past ``timeout`` seconds fails the test."""
    environ = {**os.environ, "NO_COLOR": "1"}
    environ.pop("GITHUB_ACTIONS", None)
    try:
        return subprocess.run(
            [sys.executable, "-m", "vaultcheck", *map(str, args)],
            cwd=cwd,
            env=environ,
            capture_output=True,
            text=True,
            errors="surrogateescape",  # a name byte that is not UTF-8 may be printed raw
            timeout=timeout,
            check=False,
            preexec_fn=_limit_memory if limit_memory and sys.platform != "win32" else None,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"vaultcheck {' '.join(map(str, args))} still running after {timeout} s")
