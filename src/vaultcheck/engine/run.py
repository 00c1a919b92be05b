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
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vaultcheck.core.problem import Problem
from vaultcheck.engine.check import check_note, judge_links
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
    on_looked_at: Callable[[NoteRecord], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    whole_records: bool = False,
) -> tuple[Found, list[Path]]:
    """Check the notes below ``paths`` (the whole vault if empty); given paths, also the
    links elsewhere in the vault to files the change deletes or renames (only those when
    pre-commit runs the hook for a commit that changes no note).

    Returns the problems in report order and the notes checked, in vault-path order.
    The notes are checked through their records (see :mod:`vaultcheck.engine.pool`: in
    parallel), or taken from ``cache`` (see the module's docstring); each record is
    passed to ``on_record`` (a note taken whole from the store as a record without
    problems, and without links unless ``whole_records``), and the notes looked at only
    for links to removed files to ``on_looked_at``. With ``fix`` (``--fix``, ``--diff``)
    each note is fixed first, and its record tells what the fix did. ``progress`` is
    told the notes done so far and the number to do.
    """
    vault = context.vault
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
    judging = Judging(context, linked if linked.severities else None, cache, whole)
    judging.know(made.values())
    stored = judging.reuse(known, note_paths)
    again = {rel: index for index, rel in known.items() if index not in stored}
    # The gate needs the suppression comments of every note (and its links for --diff-base).
    told = {
        rel: index
        for index, rel in known.items()
        if cache is not None and on_record is not None and (whole_records or cache.notes[rel].suppressed)
    }
    decoded = judging.stored_records({**again, **told}, note_paths, selection)
    if on_record is not None:
        _tell(on_record, note_paths, known, [item.record for item in fresh], decoded, cache)
    loose = judging.judge([*made.values(), *(decoded[rel] for rel in again if rel in decoded)])
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
        for record in looked_at:
            if on_looked_at is not None:
                on_looked_at(record)
        note_paths = sorted([*note_paths, *(record.path for record in looked_at)], key=vault.relative)
    return Found.of(stored.values(), loose), note_paths


@dataclass
class Judging:
    """The link verdicts of one run: which stored results still hold, and the verdicts of
    the notes judged again (kept in the store with what they depend on).

    ``linked`` is the selection of link rules (None: no link rule runs); ``whole`` tells
    a run over the whole vault, which has looked at every note.
    """

    context: RuleContext
    linked: Selection | None
    cache: Store | None
    whole: bool
    world: bytes = b""
    #: Facts hashes of the notes made afresh, by normalised vault path.
    fresh_digests: dict[str, bytes] = field(default_factory=dict)

    def know(self, records: Collection[NoteRecord]) -> None:
        """Take in the facts of the notes made afresh, and work out the world."""
        for record in records:
            self.fresh_digests[normalize_path(record.rel)] = facts_digest(record.facts)
        if self.linked is None:
            return
        links = self.context.links
        for record in records:
            if record.facts is not None:
                links.facts.add(record.rel, record.facts)
        if self.cache is not None:
            links.facts.stored = self.cache.stored_facts()
            links.facts.known_aliases = self.cache.aliases
            self.world = world_key(self.context.vault, links)

    def reuse(self, known: dict[int, str], paths: Sequence[Path]) -> dict[int, Stored]:
        """The stored results that still hold of the notes ``known`` unchanged (by index
        into ``paths``)."""
        if self.cache is None or not known:
            return {}
        rows = self.cache.results(None if len(known) > len(self.cache.notes) // 2 else known.values())
        stored: dict[int, Stored] = {}
        for index, rel in known.items():
            row = rows.get(rel)
            if row is not None and self._holds(rel, row):
                try:
                    stored[index] = row.block(paths[index])
                except ValueError:  # a row of another layout, or damaged
                    continue
        return stored

    def _holds(self, rel: str, row: ResultRow) -> bool:
        """Whether a stored result still holds: judged in this world, against targets whose
        facts are what they were."""
        assert self.cache is not None
        if row.world != self.world:
            return False
        if self.whole and row.generation and row.generation == self.cache.generation:
            return True  # no note's facts changed since it was last found to hold
        try:
            depends_on = row.depends_on()
        except ValueError:
            return False
        for key, digest in depends_on:
            current = self.fresh_digests.get(key)
            if current is None:
                current = self.cache.facts_digest(key)
            if current is None or current.hex() != digest:
                return False
        self.cache.confirm(rel)
        return True

    def stored_records(
        self, wanted: dict[str, int], paths: Sequence[Path], selection: Selection
    ) -> dict[str, NoteRecord]:
        """The stored records of the unchanged notes ``wanted`` (vault path: index into
        ``paths``) whose results no longer hold; a record that does not decode is made
        again."""
        if not wanted or self.cache is None:
            return {}
        records = self.cache.records({rel: paths[index] for rel, index in wanted.items()})
        lost = [paths[index] for rel, index in wanted.items() if rel not in records]
        for item in make_records(self.context, lost, selection, encode=True, fix=None) if lost else ():
            self.cache.keep(item.record, item.stamp, item.digest, item.encoded)
            records[item.record.rel] = item.record
        return records

    def judge(self, records: Collection[NoteRecord]) -> list[Problem]:
        """The problems of ``records``, link problems included, kept in the store."""
        links = self.context.links
        suggestions = None
        if self.linked is not None and records:
            if self.cache is not None:
                suggestions = SuggestionCache.open(self.context.vault, self.cache.root)
                links.suggester.remember(suggestions.known)
            for record in records:
                if record.facts is not None:
                    links.facts.add(record.rel, record.facts)
        found: list[Problem] = []
        digests: dict[str, bytes] = {}
        for record in records:
            problems = list(record.problems)
            deps, tracked = "[]", True
            if self.linked is not None and record.links is not None:
                problems.extend(judge_links(record.links, self.context, self.linked))
                if self.cache is not None:
                    targets = link_targets(links, record.links)
                    deps = encode_deps(targets, digests)
                    tracked = all(self.cache.facts_digest(key) is not None for key in targets)
            problems.sort(key=Problem.sort_key)
            found.extend(problems)
            if self.cache is not None and all(problem.path == record.path for problem in problems):
                self.cache.put_result(record.rel, self.world, deps, Stored.of(record.path, problems), tracked)
        if suggestions is not None:
            suggestions.save(links.suggester.answers())
        return found


def _tell(
    on_record: Callable[[NoteRecord], None],
    paths: Sequence[Path],
    known: dict[int, str],
    fresh: Sequence[NoteRecord],
    decoded: dict[str, NoteRecord],
    cache: Store | None,
) -> None:
    """Pass each note's record to ``on_record``, in order: a note taken whole from the
    store, unless its record was ``decoded``, as a record without problems, suppression
    comments, links or facts."""
    made = iter(fresh)
    for index, path in enumerate(paths):
        rel = known.get(index)
        if rel is None:
            on_record(next(made))
        elif rel in decoded:
            on_record(decoded[rel])
        else:
            frontmatter_end = cache.notes[rel].frontmatter_end if cache is not None else 0
            on_record(NoteRecord(path, rel, (), frontmatter_end, (), None, None))
