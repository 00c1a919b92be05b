"""What a reporter knows besides the problems."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path


@lru_cache(maxsize=65536)
def _relative(path: Path, base: Path) -> str:
    """``path`` from ``base``, ``/``-separated; remembered, as a note has many problems."""
    text, prefix = os.fspath(path), os.path.join(os.path.abspath(base), "")
    if not os.path.isabs(text) or "/." in text or "//" in text:
        text = os.path.abspath(text)
    if text.startswith(prefix):  # the common case, without relpath's normalising
        return text[len(prefix) :].replace(os.sep, "/")
    return Path(os.path.relpath(path, base)).as_posix()


@dataclass(frozen=True)
class ReportContext:
    """The run a report is about: where it ran, which vault, which notes were checked.

    ``notes`` are the checked notes in vault-path order, clean ones included, so a
    report can list what passed (JUnit) as well as what failed.
    """

    cwd: Path
    root: Path
    notes: tuple[Path, ...]
    color: bool = False

    @property
    def notes_checked(self) -> int:
        return len(self.notes)

    def display_path(self, path: Path) -> str:
        """A problem's path as users type it: relative to the current folder, ``/``-separated."""
        text = os.fspath(path)
        prefix = self._cwd_prefix
        if text.startswith(prefix) and "/." not in text and "//" not in text:  # the common case
            return text[len(prefix) :].replace(os.sep, "/")
        return _relative(path, self.cwd)

    @cached_property
    def _cwd_prefix(self) -> str:
        return os.path.join(os.path.abspath(self.cwd), "")

    def vault_path(self, path: Path) -> str:
        """A note's path inside the vault, ``/``-separated: what stays the same on every
        machine and in every checkout."""
        return _relative(path, self.root)

    @cached_property
    def repo_root(self) -> Path | None:
        """The git top level holding the vault (None outside git), looked up once, and
        only by reports that need it."""
        from vaultcheck.vault.root import git_toplevel

        return git_toplevel(self.root)

    def repo_path(self, path: Path) -> str:
        """A note's path relative to the git repository, as GitHub and GitLab name files;
        the current-folder path outside git (CI runs from the checkout's top)."""
        if self.repo_root is None or not self.root.is_relative_to(self.repo_root):
            return self.display_path(path)
        vault_in_repo = self.root.relative_to(self.repo_root)
        return (vault_in_repo / self.vault_path(path)).as_posix()
