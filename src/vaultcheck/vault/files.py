"""Which files a vault has, as link resolution sees them: built once per run.

Inside a git work tree the files are what git tracks plus what is staged
(``git ls-files --cached``), not the disk: a note that exists only untracked on a
contributor's machine must not make a link pass locally that fails in CI. Outside git
it is the disk, walked as :mod:`vaultcheck.vault` walks it; so it is when none of the
notes being checked is in git's index (a vault folder that an enclosing repository
ignores or does not track): git's listing would hold none of them, and every link
would look broken. The index then carries a :attr:`FileIndex.notice` saying why. Either way Obsidian's
view applies: files and folders whose names start with ``.`` are not part of the vault.

Paths are compared the way Obsidian normalises them (``normalize_path``): NFC, ``/``
separators, no-break spaces as spaces; names case-insensitively.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from vaultcheck.vault.git import git_output
from vaultcheck.vault.walk import NOTE_SUFFIX, walk_entries

_SEPARATORS = re.compile(r"[\\/]+")
_GITLINK_MODE = "160000"
_SYMLINK_MODE = "120000"


def normalize_path(path: str) -> str:
    """A vault path as Obsidian normalises it: ``\\`` and repeated ``/`` become one ``/``,
    no leading or trailing ``/``, no-break spaces become spaces, Unicode in NFC."""
    if path.isascii() and "\\" not in path and "//" not in path and path[:1] != "/" and path[-1:] != "/":
        return path  # already normal: the common case, asked for every file of the vault
    path = _SEPARATORS.sub("/", path).strip("/")
    path = path.replace("\u00a0", " ").replace("\u202f", " ")
    return unicodedata.normalize("NFC", path)


def is_note_path(path: str) -> bool:
    return path.lower().endswith(NOTE_SUFFIX)


def spelled(path: str) -> str:
    """A vault path as a link spells it: without ``.md`` for a note."""
    return path[: -len(NOTE_SUFFIX)] if is_note_path(path) else path


def note_name(path: str) -> str:
    """What Obsidian shows for a file: a note's name without ``.md``, any other file's
    full name (``Folder/diagram.png`` -> ``diagram.png``)."""
    return spelled(path).rsplit("/", 1)[-1]


def _hidden(path: str) -> bool:
    return any(part.startswith(".") for part in path.split("/"))


@dataclass(frozen=True)
class VaultFile:
    """One file of the vault. ``path`` is its vault path (``/``-separated, normalised)."""

    path: str
    symlink: bool = False

    @cached_property
    def lower(self) -> str:
        return self.path.lower()

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def folder(self) -> str:
        """The vault path of the folder holding the file (``""`` at the root)."""
        return self.path.rpartition("/")[0]

    @property
    def is_note(self) -> bool:
        return is_note_path(self.path)


@dataclass
class FileIndex:
    """Every file of the vault, looked up by lower-case file name and by lower-case path.

    ``tracked_by_git`` says where the listing came from, so messages can say why a file
    on disk does not count.
    """

    files: tuple[VaultFile, ...]
    tracked_by_git: bool
    notice: str | None = None
    by_name: dict[str, list[VaultFile]] = field(init=False)
    by_path: dict[str, list[VaultFile]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = defaultdict(list)
        self.by_path = defaultdict(list)
        for file in sorted(self.files, key=lambda file: file.path):
            self.by_name[file.name.lower()].append(file)
            self.by_path[file.lower].append(file)

    @classmethod
    def from_paths(
        cls,
        paths: Iterable[tuple[str, bool]],
        tracked_by_git: bool,
        leave_out: frozenset[str] = frozenset(),
    ) -> FileIndex:
        """An index of ``(vault path, is symlink)`` pairs, hidden paths and ``leave_out``
        (normalised vault paths) left out."""
        files = {}
        for raw, symlink in paths:
            path = normalize_path(raw)
            if path and not _hidden(path) and path not in leave_out:
                files[path] = VaultFile(path, symlink)
        return cls(tuple(files.values()), tracked_by_git)

    @classmethod
    def build(
        cls,
        root: Path,
        checked: Iterable[str] = (),
        disk: Callable[[], Iterable[tuple[str, bool]] | None] = lambda: None,
    ) -> FileIndex:
        """The files of the vault at ``root``: git's index inside a work tree, else the disk.

        The disk also when git tracks nothing below ``root``, or when none of the notes
        ``checked`` (vault paths; none: no notes to go by) is in git's index: then git
        ignores or does not track the vault, and the index says so in its notice.
        ``disk`` gives the files on disk when they were listed already (see
        :func:`disk_files`).
        """
        listed = git_files(root)
        if not listed:
            return cls.from_disk(root, listing=disk())
        tracked = {normalize_path(path) for path, _symlink in listed}
        wanted = 0
        for rel in checked:
            if normalize_path(rel) in tracked:
                return cls.from_paths(listed, tracked_by_git=True)
            wanted += 1
        if not wanted:
            return cls.from_paths(listed, tracked_by_git=True)
        index = cls.from_disk(root, listing=disk())
        index.notice = (
            f"none of the {wanted} notes checked is in git's index (git ignores or does"
            " not track them), so links are resolved against the files on disk"
            if wanted > 1
            else f"{normalize_path(rel)} is not in git's index (git ignores or does not track it),"
            " so links are resolved against the files on disk"
        )
        return index

    @classmethod
    def from_disk(
        cls,
        root: Path,
        leave_out: frozenset[str] = frozenset(),
        listing: Iterable[tuple[str, bool]] | None = None,
    ) -> FileIndex:
        """The files on disk below ``root`` (``listing``, when already listed), whatever
        git says, but for ``leave_out``."""
        files = disk_files(root) if listing is None else listing
        return cls.from_paths(files, tracked_by_git=False, leave_out=leave_out)

    def named(self, name: str) -> list[VaultFile]:
        """Files whose name is ``name``, compared case-insensitively."""
        return self.by_name.get(name.lower(), [])

    def at(self, path: str) -> list[VaultFile]:
        """Files at vault path ``path``, compared case-insensitively (several when the
        vault has paths that differ only in case)."""
        return self.by_path.get(path.lower(), [])

    @cached_property
    def attachments_by_stem(self) -> dict[str, list[VaultFile]]:
        """Files other than notes by lower-case name without extension
        (``assets/Diagram.png`` -> ``diagram``): what ``[[diagram]]`` was probably meant for."""
        stems: dict[str, list[VaultFile]] = defaultdict(list)
        for file in self.files:
            stem, dot, _extension = file.name.rpartition(".")
            if dot and stem and not file.is_note:
                stems[stem.lower()].append(file)
        return stems


def git_files(root: Path) -> list[tuple[str, bool]] | None:
    """``(vault path, is symlink)`` of every file git tracks or has staged below ``root``;
    None when ``root`` is not in a git work tree (or git is missing).

    Submodules are left out: their files are another repository's.
    """
    output = git_output(["ls-files", "--cached", "--stage", "-z", "--", "."], root)
    return None if output is None else list(_parse_ls_files(output))


def git_ignored(root: Path) -> frozenset[str]:
    """The vault paths of the files below ``root`` that git ignores (empty outside git)."""
    output = git_output(
        ["ls-files", "--others", "--ignored", "--exclude-standard", "-z", "--", "."], root
    )
    if output is None:
        return frozenset()
    return frozenset(normalize_path(os.fsdecode(raw)) for raw in output.split(b"\0") if raw)


def _parse_ls_files(output: bytes) -> Iterator[tuple[str, bool]]:
    for record in output.split(b"\0"):
        if not record:
            continue
        info, _tab, raw_path = record.partition(b"\t")
        mode = info.split(b" ", 1)[0].decode("ascii", "replace")
        if mode == _GITLINK_MODE:
            continue
        yield os.fsdecode(raw_path), mode == _SYMLINK_MODE


def disk_files(root: Path) -> Iterator[tuple[str, bool]]:
    """``(vault path, is symlink)`` of every file below ``root`` on disk."""
    prefix = len(os.path.join(root, ""))
    for entry in walk_entries(root):
        yield entry.path[prefix:].replace(os.sep, "/"), entry.is_symlink()
