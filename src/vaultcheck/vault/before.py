"""The vault as it was before the change being checked, as far as link repairs need it.

git says what the change is (the staged changes, ``--diff-base REF``, or pre-commit's
``PRE_COMMIT_FROM_REF...PRE_COMMIT_TO_REF``): which files it renames, deletes, adds
and edits, and the revision that holds every file as it was before. A note's earlier
text is read from that revision (``git show REV:./path``), never from outside the vault.
Outside git there is no change: nothing was renamed, nothing was edited.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from vaultcheck.core.reading import read_regular
from vaultcheck.vault.files import normalize_path
from vaultcheck.vault.git import GitError, check_ref, git_output

#: The spellings Obsidian's ``newLinkFormat`` setting takes (``.obsidian/app.json``).
LINK_FORMATS = ("shortest", "relative", "absolute")
_APP_SETTINGS_LIMIT = 1 << 20


@dataclass(frozen=True)
class Change:
    """What the change does to the files of the vault, by vault path.

    ``renamed`` maps each old path to its new one, ``deleted`` and ``added`` are the
    files the change removes and creates, ``edited`` the files whose text changes
    (by their path after the change), and ``base`` the revision holding the files as
    they were before (None when there is none: outside git, or before a first commit).
    """

    renamed: dict[str, str] = field(default_factory=dict)
    deleted: frozenset[str] = frozenset()
    added: frozenset[str] = frozenset()
    edited: frozenset[str] = frozenset()
    base: str | None = None

    def earlier_path(self, path: str) -> str:
        """Where the file at ``path`` was before the change (itself unless renamed)."""
        return self.renamed_from.get(path, path)

    @cached_property
    def renamed_from(self) -> dict[str, str]:
        return {new: old for old, new in self.renamed.items()}


def _range(root: Path, base: str | None) -> tuple[list[str], str | None]:
    """The revisions ``git diff`` compares, and the one holding the earlier files."""
    if base is not None:
        base = check_ref(base, "--diff-base")
        return ["--end-of-options", base], base
    from_ref = os.environ.get("PRE_COMMIT_FROM_REF")
    to_ref = os.environ.get("PRE_COMMIT_TO_REF")
    if from_ref and to_ref:
        from_ref = check_ref(from_ref, "PRE_COMMIT_FROM_REF")
        to_ref = check_ref(to_ref, "PRE_COMMIT_TO_REF")
        found = git_output(["merge-base", "--end-of-options", from_ref, to_ref], root)
        earlier = found.decode("ascii", "replace").strip() if found else None
        return ["--end-of-options", f"{from_ref}...{to_ref}"], earlier or None
    try:
        head = git_output(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root)
    except GitError:  # no commit yet: every file is new, none had an earlier text
        head = None
    return ["--cached", "--end-of-options"], "HEAD" if head else None


def parse_changes(output: bytes, base: str | None = None) -> Change:
    """A :class:`Change` from ``git diff --name-status -z -M`` output."""
    fields = [os.fsdecode(item) for item in output.split(b"\0")]
    renamed: dict[str, str] = {}
    deleted, added, edited = set(), set(), set()
    index = 0
    while index + 1 < len(fields) and fields[index]:
        status = fields[index]
        first = normalize_path(fields[index + 1])
        if status[:1] in ("R", "C") and index + 2 < len(fields):
            second = normalize_path(fields[index + 2])
            if status[:1] == "R":
                renamed[first] = second
            else:
                added.add(second)
            if status[1:] != "100":
                edited.add(second)
            index += 3
            continue
        if status[:1] == "D":
            deleted.add(first)
        elif status[:1] == "A":
            added.add(first)
        elif status[:1] in ("M", "T"):
            edited.add(first)
        index += 2
    return Change(renamed, frozenset(deleted), frozenset(added), frozenset(edited), base)


def change_of(root: Path, base: str | None = None) -> Change:
    """The change being checked in the vault at ``root`` (see the module docstring)."""
    if git_output(["rev-parse", "--is-inside-work-tree"], root) is None:
        return Change()
    revisions, earlier = _range(root, base)
    command = ["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--relative"]
    output = git_output([*command, *revisions, "--"], root)
    return Change() if output is None else parse_changes(output, earlier)


def earlier_bytes(root: Path, change: Change, path: str) -> bytes | None:
    """The bytes of the file at vault path ``path`` (its path before the change) in the
    revision before the change; None when git has no such file there."""
    if change.base is None:
        return None
    try:
        return git_output(["show", "--end-of-options", f"{change.base}:./{path}"], root)
    except GitError:  # no such file in that revision: nothing known of its earlier text
        return None


def link_format(root: Path) -> str:
    """The ``newLinkFormat`` of ``.obsidian/app.json`` (``shortest`` when unset or unreadable)."""
    settings = root / ".obsidian" / "app.json"
    try:
        if settings.is_symlink():
            return "shortest"
        value = json.loads(read_regular(settings, _APP_SETTINGS_LIMIT)).get("newLinkFormat")
    except (OSError, ValueError, AttributeError):
        return "shortest"
    return value if value in LINK_FORMATS else "shortest"
