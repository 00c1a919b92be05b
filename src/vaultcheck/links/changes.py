"""Deletions and renames: links in unchanged notes to a note the change removes.

pre-commit passes a hook only the files a commit changes. Deleting or renaming
``Old.md`` changes no note that links to it, so checking the changed files alone would
let ``[[Old]]`` elsewhere break silently. When some paths are checked, git tells which
notes and files the change removes (the staged changes, or the range pre-commit checks
in CI: ``PRE_COMMIT_FROM_REF...PRE_COMMIT_TO_REF``); every other note of the vault that
mentions a removed name is then checked for links to those names only.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultcheck.git import check_ref, git_output
from vaultcheck.links.files import normalize_path
from vaultcheck.note import Note
from vaultcheck.problem import Problem
from vaultcheck.vault import read_note

if TYPE_CHECKING:
    from vaultcheck.runner import Selection
    from vaultcheck.vault import Vault

CheckNote = Callable[[Note, "Vault", "Selection"], list[Problem]]


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


def _mentions(text: str, names: frozenset[str]) -> bool:
    lower = text.lower()
    return any(name in lower or name.replace(" ", "%20") in lower for name in names)


def links_to_removed_files(
    vault: Vault, checked: Sequence[Path], selection: Selection, check_note: CheckNote
) -> tuple[list[Problem], list[Path]]:
    """Problems in notes outside ``checked`` whose links named a file the change removes,
    and the notes looked at for them.

    Only notes git tracks are looked at (a change removes files only inside git).
    """
    from vaultcheck.rules import broken_block_ref, broken_heading, broken_link, missing_attachment

    # The rules a removed file can make fail in a note that did not change.
    removal_rules = {
        rule.NAME for rule in (broken_link, broken_heading, broken_block_ref, missing_attachment)
    }
    severities = {
        name: level for name, level in selection.severities.items() if name in removal_rules
    }
    names = frozenset(vault.links.removed) if severities else frozenset()
    if not names:
        return [], []
    restricted = dataclasses.replace(selection, severities=severities)
    skip = {normalize_path(vault.relative(path)) for path in checked}
    problems: list[Problem] = []
    looked_at: list[Path] = []
    for file in vault.files.files:
        if not file.is_note or file.symlink or file.path in skip or vault.is_excluded(file.path):
            continue
        note = read_note(vault.root / file.path, file.path, vault.root, vault.config.max_file_size)
        if note.error is None and _mentions(note.text, names):
            vault.links.only[note.rel] = names
            problems.extend(check_note(note, vault, restricted))
            looked_at.append(note.path)
    return problems, looked_at
