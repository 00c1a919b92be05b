"""Which file a link target names, by Obsidian's rules.

- File names match case-insensitively; ``[[X]]`` and ``[[X.md]]`` both mean ``X.md``, any
  other file needs its extension (``[[report.pdf]]``).
- A path-qualified target (``Folder/Note``) matches a file whose vault path ends with
  that path. Among several matches the exact vault path wins, then a file in the
  linking note's own folder, then the shortest path.
- A target with ``./`` or ``../`` segments is resolved against the linking note's folder
  only, and never climbs above the vault root.

Resolution looks only at the :class:`~vaultcheck.links.files.FileIndex`: it never opens
or stats a file, so no link can make vaultcheck touch anything outside the vault.
"""

from __future__ import annotations

from dataclasses import dataclass

from vaultcheck.vault.files import FileIndex, VaultFile, is_note_path, normalize_path
from vaultcheck.vault.walk import NOTE_SUFFIX

EXACT_PATH = "the exact vault path"


@dataclass(frozen=True)
class Resolution:
    """What a target resolved to.

    ``file`` is Obsidian's pick (None when nothing matches), ``candidates`` every file
    the target could name, ``tie_break`` why Obsidian picks ``file`` among several
    (``""`` when there is one), ``outside`` is true for a relative target that climbs
    above the vault root, and ``path`` the normalised target that was looked up.
    """

    path: str
    file: VaultFile | None
    candidates: tuple[VaultFile, ...] = ()
    tie_break: str = ""
    outside: bool = False

    @property
    def ambiguous(self) -> bool:
        """True when several files match and only Obsidian's tie-break picks one: a
        target that spells out a file's whole vault path is not ambiguous."""
        return len(self.candidates) > 1 and self.tie_break != EXACT_PATH


def _relative(target: str, folder: str) -> str | None:
    """``target`` joined to ``folder`` with ``.`` and ``..`` applied; None above the root."""
    parts: list[str] = []
    for part in f"{folder}/{target}".split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return normalize_path("/".join(parts))


def is_relative(target: str) -> bool:
    """Whether a target has ``.`` or ``..`` segments, so that it depends on the linking note's folder."""
    if "." not in target:
        return False
    return any(part in (".", "..") for part in target.replace("\\", "/").split("/"))


def _spellings(path: str) -> tuple[str, ...]:
    """The paths a target may mean, in Obsidian's order: the note first, then the file
    as written (``Dr. Smith`` is ``Dr. Smith.md``; ``img.png`` may only be ``img.png``)."""
    if is_note_path(path):
        return (path,)
    return (path + NOTE_SUFFIX, path)


def resolve(target: str, source: str, index: FileIndex) -> Resolution:
    """Resolve ``target`` (a link's path, without ``#subpath``) written in the note at vault
    path ``source``."""
    source_folder = source.rpartition("/")[0]
    if is_relative(target):
        path = _relative(target.strip(), source_folder)
        if path is None:
            return Resolution(target.strip(), None, outside=True)
        for spelling in _spellings(path):
            found = index.at(spelling)
            if found:
                return Resolution(path, *_tie_break(found, spelling.lower(), source_folder))
        return Resolution(path, None)
    path = normalize_path(target.strip())
    if not path:
        return Resolution(path, None)
    for spelling in _spellings(path):
        lower = spelling.lower()
        candidates = [
            file
            for file in index.named(lower.rsplit("/", 1)[-1])
            if file.lower == lower or file.lower.endswith("/" + lower)
        ]
        if candidates:
            return Resolution(path, *_tie_break(candidates, lower, source_folder))
    return Resolution(path, None)


def _tie_break(
    candidates: list[VaultFile], lower: str, source_folder: str
) -> tuple[VaultFile, tuple[VaultFile, ...], str]:
    """Obsidian's pick among the files matching a target, all of them, and why that one:
    the exact vault path, else one in the linking note's folder, else the shortest path
    (then the first in path order)."""
    every = tuple(candidates)
    if len(every) == 1:
        return every[0], every, ""
    for file in every:
        if file.lower == lower:
            return file, every, EXACT_PATH
    folder = source_folder.lower()
    for file in every:
        if file.folder.lower() == folder:
            return file, every, "in this note's folder"
    return min(every, key=lambda file: (len(file.path), file.path)), every, "the shortest path"
