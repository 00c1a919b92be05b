"""Walk the vault's files: tool folders skipped, symlinked folders never followed out
of the vault, globs matched as git matches ``.gitignore`` lines."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec




SKIPPED_FOLDERS = frozenset({".git", ".obsidian", ".trash", ".vaultcheck_cache"})


NOTE_SUFFIX = ".md"


def matchable(rel: str) -> str:
    """A vault path globs can be matched against: a name byte that is not UTF-8 (a lone
    surrogate once decoded, which the glob engine cannot encode) becomes U+FFFD."""
    if rel.isascii():
        return rel
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def walk_entries(
    root: Path, unlisted: list[tuple[Path, OSError]] | None = None
) -> Iterator[os.DirEntry[str]]:
    """Every file below ``root`` (symlinks to files included, wherever they lead: reading
    them is :func:`read_note`'s decision), skipping tool folders, never walking a
    symlinked folder that leads out of the vault or into a tool folder, and never
    visiting a real folder twice (so symlink loops end).

    A folder that cannot be listed (a path over the system's length limit, no
    permission) is added to ``unlisted`` with the error, so it can be reported."""
    real_root = root.resolve()
    seen: set[Path] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        real = folder.resolve()
        if real in seen or not real.is_relative_to(real_root):
            continue
        if not SKIPPED_FOLDERS.isdisjoint(real.relative_to(real_root).parts):
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            if unlisted is not None:
                unlisted.append((folder, error))
            continue
        for entry in entries:
            if entry.is_dir():
                if entry.name not in SKIPPED_FOLDERS:
                    pending.append(Path(entry.path))
            elif entry.is_file() or entry.is_symlink():
                yield entry


def gitignore_spec(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """Globs matched as git matches ``.gitignore`` lines; pathspec is imported only by a
    vault whose configuration has globs (start-up time)."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)
