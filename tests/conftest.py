"""Shared fixtures: temporary vaults built from real files, and the CLI run in-process."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from vaultcheck.cli import main

SHARED = Path(__file__).resolve().parents[2] / "shared"


@dataclass
class Run:
    """What one ``vaultcheck`` invocation printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture
def vault(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write a vault of ``{relative path: content}`` (text or bytes) with an ``.obsidian`` folder."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "vault"
        (root / ".obsidian").mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_bytes(content.encode("utf-8"))
        return root

    return make


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run ``vaultcheck ARGS`` in-process from a folder (default: the current one)."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    def invoke(*args: str | os.PathLike[str], cwd: Path | None = None) -> Run:
        out, err = io.StringIO(), io.StringIO()
        if cwd is not None:
            monkeypatch.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            code = main([str(arg) for arg in args])
        return Run(code, out.getvalue(), err.getvalue())

    return invoke


@pytest.fixture
def refuse_writes(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """``refuse_writes(name)``: the writer sees notes whose path holds ``name`` as
    read-only (a test running as root may write any file, whatever its mode)."""

    def refuse(name: str) -> None:
        from vaultcheck.engine import writer

        real_access = os.access
        monkeypatch.setattr(
            writer.os, "access", lambda path, mode: real_access(path, mode) and name not in str(path)
        )

    return refuse


@pytest.fixture
def sample_vault() -> Iterator[Path]:
    """The real notes in ../shared, when this checkout has them; skips otherwise."""
    sample = SHARED / "corpora" / "tubegraph-sample"
    if not sample.is_dir():
        pytest.skip(
            "skipped: this test runs on 634 real notes kept outside the repository, in"
            f" {sample}; this checkout has no such folder (the tests on written fixtures still run)"
        )
    yield sample


@pytest.fixture
def seed_note() -> Path:
    """The seed note of this project, when ../shared is present; skips otherwise."""
    seed = SHARED / "seeds" / "000_7b107e167c48f759.txt"
    if not seed.is_file():
        pytest.skip(
            f"skipped: this test runs on a real video note kept outside the repository, {seed};"
            " this checkout does not have it"
        )
    return seed
