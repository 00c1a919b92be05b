"""Run the selected rules over notes and collect their problems, in a stable order."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from vaultcheck.core.problem import Problem
from vaultcheck.engine.check import check_note
from vaultcheck.engine.pool import record_notes
from vaultcheck.engine.record import FixMode, NoteRecord, link_problems, split_selection
from vaultcheck.engine.removals import links_to_removed_files
from vaultcheck.engine.store import RecordCache, SuggestionCache
from vaultcheck.rules.api import RuleContext
from vaultcheck.rules.selection import Selection
from vaultcheck.rules.unreadable_file import NAME as UNREADABLE_FILE
from vaultcheck.rules.unreadable_file import vault_problems
from vaultcheck.vault.changes import hook_run_without_files


def check_paths(
    context: RuleContext,
    paths: Sequence[Path],
    selection: Selection,
    fix: FixMode | None = None,
    cache: RecordCache | None = None,
    on_record: Callable[[NoteRecord], None] | None = None,
    on_looked_at: Callable[[NoteRecord], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Problem], list[Path]]:
    """Check the notes below ``paths`` (the whole vault if empty); given paths, also the
    links elsewhere in the vault to files the change deletes or renames (only those when
    pre-commit runs the hook for a commit that changes no note).

    Returns the sorted problems and the notes checked, in vault-path order.
    The notes are checked through their records (see :mod:`vaultcheck.engine.pool`: in
    parallel, with ``cache``), each passed to ``on_record`` (and the notes looked at only for
    links to removed files, to ``on_looked_at``); with ``fix`` (``--fix``,
    ``--diff``) each note is fixed first, and its record tells what the fix did.
    ``progress`` is told the notes done so far and the number to do.
    """
    vault, links = context.vault, context.links
    removals_only = hook_run_without_files(paths)
    note_paths = [] if removals_only else vault.notes(paths)
    problems: list[Problem] = []
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, len(note_paths))

    records = record_notes(context, note_paths, selection, cache, fix, step if progress else None)
    for record in records:
        problems.extend(record.problems)
        if on_record is not None:
            on_record(record)
    links_run = bool(split_selection(selection)[1].severities)
    suggestions = SuggestionCache.open(vault, cache.root) if cache is not None and links_run else None
    if suggestions is not None and cache is not None:
        links.suggester.remember(suggestions.known)
        if paths:  # a whole-vault run has every note's facts in its records
            links.facts.stored = cache.stored_facts()
    problems.extend(link_problems(records, context, selection))
    if suggestions is not None:
        suggestions.save(links.suggester.answers())
    if cache is not None:
        if not paths:
            cache.forget_all_but(record.rel for record in records)
        if links_run:
            cache.remember_facts(records, whole_vault=not paths)
        cache.save()
    if UNREADABLE_FILE in selection.severities:
        severity = selection.severities[UNREADABLE_FILE]
        problems.extend(
            dataclasses.replace(problem, severity=severity)
            for problem in vault_problems(vault, note_paths, whole_vault=not paths)
        )
    if paths or removals_only:
        found, looked_at = links_to_removed_files(context, note_paths, selection, check_note)
        problems.extend(found)
        for record in looked_at:
            if on_looked_at is not None:
                on_looked_at(record)
        note_paths = sorted([*note_paths, *(record.path for record in looked_at)], key=vault.relative)
    problems.sort(key=Problem.sort_key)
    return problems, note_paths


