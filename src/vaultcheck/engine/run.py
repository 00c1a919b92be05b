"""Run the selected rules over notes and collect their problems, in report order.

A run over a vault with a store (see :mod:`vaultcheck.engine.store`) costs, for a note
unchanged since the last run, a ``stat`` and a row of the store: its problems, link
problems included, are reported as stored. Only the notes that changed are read and
checked again, and only the notes whose link verdicts can have changed are judged
again: those that changed, those whose links lead to a note whose headings, block ids
or aliases changed, and every note when the vault's names changed (a note or file
added, removed or renamed, an alias, what the change being checked removes; see
:mod:`vaultcheck.engine.verdicts`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from vaultcheck.core.problem import Problem
from vaultcheck.engine.check import check_note, with_severities
from vaultcheck.engine.found import Found, Stored
from vaultcheck.engine.pool import make_records, record_notes
from vaultcheck.engine.record import FixMode, NoteRecord, split_selection
from vaultcheck.engine.removals import links_to_removed_files
from vaultcheck.engine.store import ResultRow, Store, SuggestionCache
from vaultcheck.engine.verdicts import encode_deps, facts_digest, link_targets, world_key
from vaultcheck.rules.api import RuleContext
from vaultcheck.rules.selection import Selection
from vaultcheck.rules.unreadable_file import NAME as UNREADABLE_FILE
from vaultcheck.rules.unreadable_file import vault_problems
from vaultcheck.vault.changes import hook_run_without_files
from vaultcheck.vault.files import normalize_path


def check_paths(
    context: RuleContext,
    paths: Sequence[Path],
    selection: Selection,
    fix: FixMode | None = None,
    cache: Store | None = None,
    on_record: Callable[[NoteRecord], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Found, list[Path]]:
    """Check the notes below ``paths`` (the whole vault if empty); given paths, also the
    links elsewhere in the vault to files the change deletes or renames (only those when
    pre-commit runs the hook for a commit that changes no note).

    Returns the problems in report order and the notes checked, in vault-path order.
    The notes are checked through their records (see :mod:`vaultcheck.engine.pool`: in
    parallel), or taken from ``cache`` (see the module's docstring); each record is
    passed to ``on_record`` (a note taken whole from the store as a record without
    problems or links). With ``fix`` (``--fix``, ``--diff``) each note is fixed first,
    and its record tells what the fix did. ``progress`` is told the notes done so far
    and the number to do.
    """
    vault, links = context.vault, context.links
    removals_only = hook_run_without_files(paths)
    note_paths = [] if removals_only else vault.notes(paths)
    whole = not removals_only and all(Path(path) == vault.root for path in paths)
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, len(note_paths))

    known, fresh = record_notes(context, note_paths, selection, cache, fix, step if progress else None)
    made = {item.record.rel: item.record for item in fresh}
    linked = split_selection(selection)[1]
    links_run = bool(linked.severities)

    world = b""
    if cache is not None and links_run:
        fresh_aliases = {
            normalize_path(rel): (record.facts.aliases if record.facts is not None else ())
            for rel, record in made.items()
        }

        def aliases_of(key: str) -> tuple[str, ...] | None:
            return fresh_aliases[key] if key in fresh_aliases else cache.aliases(key)

        world = world_key(vault, links, aliases_of)
    rows: dict[str, ResultRow] = {}
    if cache is not None and known:
        rows = cache.results(None if len(known) > 2000 else known.values())
    fresh_digests = {normalize_path(rel): facts_digest(record.facts) for rel, record in made.items()}

    def reusable(row: ResultRow | None) -> bool:
        if row is None or row.world != world:
            return False
        try:
            depends_on = row.depends_on()
        except ValueError:
            return False
        for key, digest in depends_on:
            current = fresh_digests.get(key)
            if current is None and cache is not None:
                current = cache.facts_digest(key)
            if current is None or current.hex() != digest:
                return False
        return True

    stored: dict[int, Stored] = {}
    judge: dict[str, int] = {}
    for index, rel in known.items():
        row = rows.get(rel)
        if reusable(row):
            assert row is not None
            try:
                stored[index] = row.block(note_paths[index])
                continue
            except ValueError:
                pass
        judge[rel] = index
    decoded: dict[str, NoteRecord] = {}
    if judge and cache is not None:
        decoded = cache.records({rel: note_paths[index] for rel, index in judge.items()})
        lost = [note_paths[index] for rel, index in judge.items() if rel not in decoded]
        if lost:  # a record that does not decode is made again
            again = make_records(context, lost, selection, encode=True, fix=None)
            for item in again:
                cache.keep(item.record, item.stamp, item.digest, item.encoded)
                decoded[item.record.rel] = item.record
    judged = [*made.values(), *decoded.values()]
    if on_record is not None:
        by_index: dict[int, NoteRecord] = {}
        for index, rel in known.items():
            record = decoded.get(rel)
            if record is None:
                row_directives = bool(cache.notes[rel].directives) if cache is not None else False
                record = NoteRecord(note_paths[index], rel, row_directives, (), None, None)
            by_index[index] = record
        made_iter = iter(fresh)
        for index in range(len(note_paths)):
            on_record(by_index[index] if index in by_index else next(made_iter).record)

    loose: list[Problem] = []
    suggestions = None
    if links_run and judged:
        if cache is not None:
            suggestions = SuggestionCache.open(vault, cache.root)
            links.suggester.remember(suggestions.known)
            links.facts.stored = cache.stored_facts()
        for record in judged:
            if record.facts is not None:
                links.facts.add(record.rel, record.facts)
    digests: dict[str, bytes] = {}
    for record in judged:
        problems = list(record.problems)
        deps = "[]"
        if links_run and record.links is not None:
            problems.extend(with_severities(record.links, context, linked))
            if cache is not None:
                deps = encode_deps(link_targets(links, record.links), digests)
        problems.sort(key=Problem.sort_key)
        loose.extend(problems)
        if cache is not None and all(problem.path == record.path for problem in problems):
            cache.put_result(record.rel, world, deps, Stored.of(record.path, problems))
    if suggestions is not None:
        suggestions.save(links.suggester.answers())
    if cache is not None:
        if whole:
            cache.forget_all_but([*known.values(), *made])
        cache.save()
    if UNREADABLE_FILE in selection.severities:
        severity = selection.severities[UNREADABLE_FILE]
        loose.extend(
            dataclasses.replace(problem, severity=severity)
            for problem in vault_problems(vault, note_paths, whole_vault=whole)
        )
    if paths or removals_only:
        found, looked_at = links_to_removed_files(context, note_paths, selection, check_note)
        loose.extend(found)
        note_paths = sorted([*note_paths, *looked_at], key=vault.relative)
    return Found.of(stored.values(), loose), note_paths
