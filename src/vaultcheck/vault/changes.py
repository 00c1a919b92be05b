"""Deletions and renames: links in unchanged notes to a note the change removes.

pre-commit passes a hook only the files a commit changes. Deleting or renaming
``Old.md`` changes no note that links to it, so checking the changed files alone would
let ``[[Old]]`` elsewhere break silently. When some paths are checked, git tells which
notes and files the change removes (the staged changes, or the range pre-commit checks
in CI: ``PRE_COMMIT_FROM_REF...PRE_COMMIT_TO_REF``); every other note of the vault that
mentions a removed name is then checked for links to those names only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultcheck.vault.files import normalize_path
from vaultcheck.vault.git import check_ref, git_output

if TYPE_CHECKING:
    pass



def hook_run_without_files(paths: Sequence[Path]) -> bool:
    """True when pre-commit runs an ``always_run`` hook with no file names: the commit
    changes no note, but may delete one or rename an attachment, so only the links to
    removed files are checked (not the whole vault, as ``vaultcheck check`` would)."""
    return not paths and os.environ.get("PRE_COMMIT") == "1"


def _diff_range(base: str | None = None) -> list[str]:
    """What the change is, as options then revisions after ``--end-of-options``: the
    working tree since ``base`` (``--diff-base``), else the range pre-commit was asked
    to check, else the staged changes. A revision from the environment that starts
    with ``-`` is refused (a ConfigError): git would take it for an option."""
    if base is not None:
        return ["--end-of-options", check_ref(base, "--diff-base")]
    from_ref = os.environ.get("PRE_COMMIT_FROM_REF")
    to_ref = os.environ.get("PRE_COMMIT_TO_REF")
    if from_ref and to_ref:
        from_ref = check_ref(from_ref, "PRE_COMMIT_FROM_REF")
        to_ref = check_ref(to_ref, "PRE_COMMIT_TO_REF")
        return ["--end-of-options", f"{from_ref}...{to_ref}"]
    return ["--cached", "--end-of-options"]


@dataclass(frozen=True)
class Removal:
    """A file the change deletes (``renamed_to`` None) or renames, by vault path."""

    path: str
    renamed_to: str | None = None


def removals(root: Path, base: str | None = None) -> list[Removal]:
    """The files the change deletes or renames away; none outside git."""
    command = ["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--relative"]
    output = git_output([*command, *_diff_range(base), "--"], root)
    return [] if output is None else list(parse_name_status(output))


def renames_since(root: Path, file: Path) -> dict[str, str]:
    """The notes git reports renamed (old vault path -> new) since ``file`` was last
    committed, and in the change being checked (staged, or pre-commit's range); none
    outside git. A baseline's entries follow its notes through them."""
    renames: dict[str, str] = {}
    bases: list[str | None] = [None]
    last = git_output(["log", "-1", "--format=%H", "--", os.path.abspath(file)], root)
    if last is not None and last.strip():
        bases.insert(0, last.decode("ascii", "replace").strip())
    for base in bases:
        for removal in removals(root, base):
            if removal.renamed_to is not None:
                renames.setdefault(removal.path, removal.renamed_to)
    return renames


def parse_name_status(output: bytes) -> Iterator[Removal]:
    """The deletions (``D``) and renames (``R``) in ``git diff --name-status -z`` output."""
    fields = [os.fsdecode(field) for field in output.split(b"\0")]
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index][:1]
        if status == "D":
            yield Removal(normalize_path(fields[index + 1]))
        elif status == "R":
            yield Removal(normalize_path(fields[index + 1]), normalize_path(fields[index + 2]))
        index += 3 if status in ("R", "C") else 2


