"""What checking one note alone gives (:class:`NoteRecord`), and how ``--fix`` and
``--diff`` are asked for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from vaultcheck.core.problem import Problem
from vaultcheck.note.note import Note
from vaultcheck.note.suppressions import Suppression, find_suppressions
from vaultcheck.rules.api import LINKS

if TYPE_CHECKING:
    from vaultcheck.links.source import LinkSource
    from vaultcheck.links.targets import NoteFacts
    from vaultcheck.rules.api import RuleContext
    from vaultcheck.rules.selection import Selection





@dataclass(frozen=True)
class NoteRecord:
    """What checking one note alone gives.

    ``problems`` come from the rules outside the ``links`` family. ``links`` and
    ``facts`` are None when no link rule runs or the note could not be read.
    ``suppressions`` are the note's suppression comments, and ``frontmatter_end`` the
    line that closes its frontmatter (0: none): what the gate needs of the note, so it
    never reads the note again.
    ``fix`` is what ``--fix`` or ``--diff`` did to the note (None in a plain check);
    the rest then describes the note as it is after the fix. ``seconds`` is the CPU time
    the record took to make (None when it came from the cache).
    """

    path: Path
    rel: str
    suppressions: tuple[Suppression, ...]
    frontmatter_end: int
    problems: tuple[Problem, ...]
    links: LinkSource | None
    facts: NoteFacts | None
    fix: FixOutcome | None = None
    seconds: float | None = None


class DiffNames(Protocol):
    """Names a note the way the user sees it (see :class:`~vaultcheck.reporters.ReportContext`)."""

    def display_path(self, path: Path) -> str: ...


@dataclass(frozen=True)
class FixMode:
    """``--fix`` (``write`` true: fixed notes are written) or ``--diff`` (each changed
    note's unified diff is made, under the name ``names`` gives it); ``unsafe`` applies
    unsafe fixes too (``--unsafe-fixes``)."""

    write: bool
    names: DiffNames
    unsafe: bool = False


@dataclass(frozen=True)
class FixOutcome:
    """What the fixes did to one note: ``fixed`` problems fixed in its text;
    ``failure`` why the fixed text could not be written (None: it was); ``diff``
    the note's unified diff under ``--diff``; ``by_rule`` the problems fixed, by rule."""

    fixed: int
    failure: str | None = None
    diff: str = ""
    by_rule: tuple[tuple[str, int], ...] = ()


def record_note(
    note: Note, context: RuleContext, selection: Selection, problems: Sequence[Problem] | None = None
) -> NoteRecord:
    """Check ``note`` with the rules that need no other note, and keep what links need.

    ``problems`` are those rules' problems when already known.
    """
    from vaultcheck.engine.check import check_note
    from vaultcheck.links.check import link_source
    from vaultcheck.links.targets import NoteFacts

    alone, linked = split_selection(selection)
    found = tuple(check_note(note, context, alone) if problems is None else problems)
    suppressions = find_suppressions(note) if note.error is None else ()
    frontmatter_end = frontmatter_end_line(note) if note.error is None else 0
    if not linked.severities or note.error is not None:
        return NoteRecord(note.path, note.rel, suppressions, frontmatter_end, found, None, None)
    facts = NoteFacts(note, parse=True)
    return NoteRecord(
        note.path, note.rel, suppressions, frontmatter_end, found, link_source(note), facts
    )


def frontmatter_end_line(note: Note) -> int:
    """The line of the ``---`` that closes the note's frontmatter; 0 when it has none."""
    frontmatter = note.frontmatter
    if not frontmatter.present:
        return 0
    return note.position(max(frontmatter.body_start - 1, 0))[0]


def split_selection(selection: Selection) -> tuple[Selection, Selection]:
    """The selected rules that look at one note alone, and the link rules."""
    from vaultcheck.rules.registry import RULES
    from vaultcheck.rules.selection import Selection

    alone = {name: level for name, level in selection.severities.items() if RULES[name].family != LINKS}
    linked = {name: level for name, level in selection.severities.items() if RULES[name].family == LINKS}
    return Selection(alone), Selection(linked)
