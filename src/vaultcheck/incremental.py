"""Draft of the run: notes recorded or taken from the store, then links judged only where
their verdict can have changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from vaultcheck.cache import SuggestionCache
from vaultcheck.found import Found, Stored
from vaultcheck.links.changes import hook_run_without_files, links_to_removed_files
from vaultcheck.links.files import normalize_path
from vaultcheck.problem import Problem
from vaultcheck.records import Fresh, NoteRecord, _make, split_selection
from vaultcheck.rules.unreadable_file import NAME as UNREADABLE_FILE
from vaultcheck.rules.unreadable_file import vault_problems
from vaultcheck.store_db import ResultRow, Store
from vaultcheck.vault import Vault, symlink_refusal
from vaultcheck.verdicts import encode_deps, facts_digest, link_targets, world_key


def check_paths(
    vault: Vault,
    paths: Sequence[Path],
    selection,
    fix=None,
    cache: Store | None = None,
    on_record: Callable[[NoteRecord], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Found, list[Path]]:
    from vaultcheck.runner import check_note, with_severities

    removals_only = hook_run_without_files(paths)
    note_paths = [] if removals_only else vault.notes(paths)
    whole = not removals_only and all(Path(path) == vault.root for path in paths)
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, len(note_paths))

    known, fresh = record_notes(vault, note_paths, selection, cache, fix, step if progress else None)
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

        world = world_key(vault, aliases_of)
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
            again = _make(vault, lost, selection, encode=True, fix=None)
            for item in again:
                _keep(cache, item)
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
    context = vault.links
    suggestions = None
    if links_run and judged:
        if cache is not None:
            suggestions = SuggestionCache.open(vault, cache.root)
            context.suggester.remember(suggestions.known)
            context.facts.stored = cache.stored_facts()
        for record in judged:
            if record.facts is not None:
                context.facts.add(record.rel, record.facts)
    digests: dict[str, bytes] = {}
    for record in judged:
        problems = list(record.problems)
        deps = "[]"
        if links_run and record.links is not None:
            problems.extend(with_severities(record.links, vault, linked))
            if cache is not None:
                deps = encode_deps(link_targets(context, record.links), digests)
        problems.sort(key=Problem.sort_key)
        loose.extend(problems)
        if cache is not None and all(problem.path == record.path for problem in problems):
            cache.put_result(record.rel, world, deps, Stored.of(record.path, problems))
    if suggestions is not None:
        suggestions.save(context.suggester.answers())
    if cache is not None:
        if whole:
            cache.forget_all_but(vault.relative(path) for path in note_paths)
        cache.save()
    if UNREADABLE_FILE in selection.severities:
        severity = selection.severities[UNREADABLE_FILE]
        loose.extend(
            dataclasses.replace(problem, severity=severity)
            for problem in vault_problems(vault, note_paths, whole_vault=not paths)
        )
    if paths or removals_only:
        found, looked_at = links_to_removed_files(vault, note_paths, selection, check_note)
        loose.extend(found)
        note_paths = sorted([*note_paths, *looked_at], key=vault.relative)
    return Found.of(stored.values(), loose), note_paths


def _keep(cache: Store, item: Fresh) -> None:
    if item.stamp is not None:
        cache.put_record(item.record, item.stamp, item.digest, item.encoded)


def record_notes(vault, paths, selection, cache=None, fix=None, progress=None) -> tuple[dict[int, str], list[Fresh]]:
    """The notes at ``paths`` unchanged since the store's rows (by index: vault path), and
    the records made afresh for the others, in order (fixed first, with ``fix``)."""
    known: dict[int, str] = {}
    todo: list[Path] = []
    for index, path in enumerate(paths):
        rel = vault.relative(path)
        if cache is not None and symlink_refusal(path, vault.root) is None and cache.unchanged(rel, path):
            known[index] = rel
        else:
            todo.append(path)
    if progress is not None and known:
        progress(len(known))
    fresh = _make(vault, todo, selection, encode=cache is not None, fix=fix, progress=progress)
    if cache is not None:
        for item in fresh:
            _keep(cache, item)
    return known, fresh
