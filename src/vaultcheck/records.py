"""Check many notes fast: each note once, alone, possibly in parallel; then links together.

A whole-vault run splits in two. First every note is read, parsed and checked by the
rules that look at it alone, giving a :class:`NoteRecord`: those problems, plus what
the link rules will need of it (its links, and the headings, block ids and aliases
that links into it may ask for). That part is independent per note, so large runs
spread it over a pool of processes, and a record can be kept in the cache. Then, in
one process that has every record, the link rules judge every link against the whole
vault: a cross-note verdict is never taken from an earlier run or a worker's partial
view of the vault.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from vaultcheck.cache import RecordCache, content_hash, record_from_json, record_json
from vaultcheck.note import Note
from vaultcheck.problem import Problem
from vaultcheck.suppressions import MARKER
from vaultcheck.vault import read_note, symlink_refusal

if TYPE_CHECKING:
    from vaultcheck.config import Config
    from vaultcheck.links.facts import NoteFacts
    from vaultcheck.links.source import LinkSource
    from vaultcheck.runner import Selection
    from vaultcheck.vault import Vault

#: The family whose rules judge a note's links against the rest of the vault.
LINKS = "links"
#: Below this many notes, starting processes costs more than it saves.
PARALLEL_FROM = 400
#: Notes a worker takes at a time: big enough to keep messages few, small enough to
#: keep both workers busy to the end.
BATCH = 250


@dataclass(frozen=True)
class NoteRecord:
    """What checking one note alone gives.

    ``problems`` come from the rules outside the ``links`` family. ``links`` and
    ``facts`` are None when no link rule runs or the note could not be read.
    ``directives`` tells whether the note holds suppression comments to apply.
    ``fix`` is what ``--fix`` or ``--diff`` did to the note (None in a plain check);
    the rest then describes the note as it is after the fix. ``seconds`` is the CPU time
    the record took to make (None when it came from the cache).
    """

    path: Path
    rel: str
    directives: bool
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
    the note's unified diff under ``--diff``."""

    fixed: int
    failure: str | None = None
    diff: str = ""


def record_note(
    note: Note, vault: Vault, selection: Selection, problems: Sequence[Problem] | None = None
) -> NoteRecord:
    """Check ``note`` with the rules that need no other note, and keep what links need.

    ``problems`` are those rules' problems when already known.
    """
    from vaultcheck.links.check import link_source
    from vaultcheck.links.facts import NoteFacts
    from vaultcheck.runner import check_note

    alone, linked = split_selection(selection)
    found = tuple(check_note(note, vault, alone) if problems is None else problems)
    directives = MARKER in note.text
    if not linked.severities or note.error is not None:
        return NoteRecord(note.path, note.rel, directives, found, None, None)
    facts = NoteFacts(note, parse=True)
    return NoteRecord(note.path, note.rel, directives, found, link_source(note), facts)


def fix_record(
    note: Note, vault: Vault, selection: Selection, mode: FixMode
) -> tuple[NoteRecord, Unwritten | None]:
    """Apply the fixes of the selected rules to ``note`` (making its diff under ``--diff``)
    and record the note as fixed; under ``--fix``, also what is left to write.

    Only rules outside ``links`` offer fixes, so they alone run while fixing; links
    are judged later against the whole vault, from the fixed notes' records.
    """
    from vaultcheck import runner
    from vaultcheck.fixes import unified_diff
    from vaultcheck.writer import remove_stale_temporaries

    if mode.write:  # what a killed run left beside the notes goes first
        remove_stale_temporaries(note.path.parent)
    result = runner.fix_note(note, vault, split_selection(selection)[0])
    if not result.changed:
        return record_note(note, vault, selection, result.left), None
    diff = ""
    if not mode.write:
        # The BOM belongs to the file's first line: without it a patch whose context
        # includes that line would not apply to the file.
        bom = "\ufeff" if note.bom else ""
        diff = unified_diff(bom + note.text, bom + result.text, mode.names.display_path(note.path))
    record = record_note(result.final, vault, selection, result.left)
    record = dataclasses.replace(record, fix=FixOutcome(result.fixed, diff=diff))
    return record, Unwritten(note, result.text) if mode.write else None


@dataclass(frozen=True)
class Unwritten:
    """A fixed note's text, still to be written over the note as read."""

    note: Note
    text: str

    def write(self) -> str | None:
        """Write the text (see :func:`~vaultcheck.writer.write_fixed`); why not, if not."""
        from vaultcheck.writer import StaleNote, write_fixed

        try:
            write_fixed(self.note, self.text)
        except StaleNote as error:
            return str(error)
        except OSError as error:
            return error.strerror or str(error)
        return None

    def not_written(self, vault: Vault, selection: Selection, outcome: FixOutcome, failure: str) -> NoteRecord:
        """The record of a note that could not be written: its own problems, as read."""
        from vaultcheck.runner import check_note

        problems = check_note(self.note, vault, split_selection(selection)[0])
        record = record_note(self.note, vault, selection, problems)
        return dataclasses.replace(record, fix=dataclasses.replace(outcome, failure=failure))


def split_selection(selection: Selection) -> tuple[Selection, Selection]:
    """The selected rules that look at one note alone, and the link rules."""
    from vaultcheck.rules import RULES
    from vaultcheck.runner import Selection

    alone = {name: level for name, level in selection.severities.items() if RULES[name].family != LINKS}
    linked = {name: level for name, level in selection.severities.items() if RULES[name].family == LINKS}
    return Selection(alone), Selection(linked)


def link_problems(records: Sequence[NoteRecord], vault: Vault, selection: Selection) -> Iterator[Problem]:
    """The problems of the link rules over ``records``, every note's facts known first."""
    from vaultcheck.runner import with_severities

    linked = split_selection(selection)[1]
    if not linked.severities:
        return
    facts = vault.links.facts
    for record in records:
        if record.facts is not None:
            facts.add(record.rel, record.facts)
    for record in records:
        if record.links is not None:
            yield from with_severities(record.links, vault, linked)


@dataclass(frozen=True)
class Fresh:
    """A record just made, with the size and modification time of the file (taken before
    it was read, so a change made meanwhile shows next run), the hash of the bytes read,
    and, when made for the cache, the record in the cache's JSON."""

    record: NoteRecord
    stamp: tuple[int, int] | None
    digest: bytes
    encoded: str | None = None
    unwritten: Unwritten | None = None


#: Fixed notes written at once by a process: each write waits on the disk (``fsync``)
#: far longer than it works, so several wait together.
WRITERS = 8


def fresh_records(
    paths: Sequence[Path], vault: Vault, selection: Selection, encode: bool, fix: FixMode | None = None
) -> list[Fresh]:
    """:func:`fresh_record` for each of ``paths``; under ``--fix``, the fixed notes are then
    written on :data:`WRITERS` threads, and a note that could not be written gets its
    own record back."""
    made = [fresh_record(path, vault, selection, encode, fix) for path in paths]
    pending = [item.unwritten for item in made if item.unwritten is not None]
    if not pending:
        return made
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(WRITERS) as threads:
        failed = dict(zip(map(id, pending), threads.map(Unwritten.write, pending), strict=True))
    settled = []
    for item in made:
        record, unwritten = item.record, item.unwritten
        failure = None if unwritten is None else failed[id(unwritten)]
        if unwritten is not None and failure is not None and record.fix is not None:
            record = dataclasses.replace(
                unwritten.not_written(vault, selection, record.fix, failure), seconds=record.seconds
            )
        encoded = record_json(record) if encode else None
        settled.append(Fresh(record, item.stamp, item.digest, encoded))
    return settled


def fresh_record(
    path: Path, vault: Vault, selection: Selection, encode: bool, fix: FixMode | None = None
) -> Fresh:
    """Read, parse and check the note at ``path`` (fixing it first with ``fix``: then a
    note to write is left in :attr:`Fresh.unwritten`, and not encoded yet)."""
    started = time.process_time()
    rel = vault.relative(path)
    try:
        stat = path.stat()
        stamp: tuple[int, int] | None = (stat.st_size, stat.st_mtime_ns)
    except OSError:
        stamp = None
    note = read_note(path, rel, vault.root, vault.config.max_file_size)
    unwritten = None
    if fix is None:
        record = record_note(note, vault, selection)
    else:
        record, unwritten = fix_record(note, vault, selection, fix)
    record = dataclasses.replace(record, seconds=time.process_time() - started)
    encoded = record_json(record) if encode and unwritten is None else None
    return Fresh(record, stamp, content_hash(note.raw), encoded, unwritten)


Progress = Callable[[int], None]
"""Told how many more notes are done (a progress line on a terminal)."""


def record_notes(
    vault: Vault,
    paths: Sequence[Path],
    selection: Selection,
    cache: RecordCache | None = None,
    fix: FixMode | None = None,
    progress: Progress | None = None,
) -> list[NoteRecord]:
    """The records of the notes at ``paths``, in order: from ``cache`` where the note is
    unchanged, else made afresh (fixed first, with ``fix``), in a pool of processes when
    there are many notes to make and more than one core."""
    records: dict[int, NoteRecord] = {}
    todo: list[Path] = []
    for index, path in enumerate(paths):
        found = None
        if cache is not None and symlink_refusal(path, vault.root) is None:
            found = cache.reuse(vault.relative(path), path)
        if found is None:
            todo.append(path)
        else:
            records[index] = found
    if progress is not None and records:
        progress(len(records))
    fresh = _make(vault, todo, selection, encode=cache is not None, fix=fix, progress=progress)
    made = iter(fresh)
    result = [records[index] if index in records else next(made).record for index in range(len(paths))]
    if cache is not None:
        for item in fresh:
            if item.stamp is not None:
                cache.store(item.record.rel, item.stamp, item.digest, item.record, item.encoded)
    return result



class WorkerLost(RuntimeError):
    """A worker process of the pool died mid-run: the run cannot say what it found."""


def _make(
    vault: Vault,
    paths: Sequence[Path],
    selection: Selection,
    encode: bool,
    fix: FixMode | None,
    progress: Progress | None = None,
) -> list[Fresh]:
    workers = min(os.cpu_count() or 1, 2 + (os.cpu_count() or 1) // 4)
    if len(paths) < PARALLEL_FROM or workers < 2:
        one_by_one: list[Fresh] = []
        for start in range(0, len(paths), BATCH):
            batch = fresh_records(paths[start : start + BATCH], vault, selection, encode, fix)
            one_by_one.extend(batch)
            if progress is not None:
                progress(len(batch))
        return one_by_one
    # Imported only for a pool: a hook run on a few notes does without (start-up time).
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    batches = [paths[start : start + BATCH] for start in range(0, len(paths), BATCH)]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    setup = (vault.root, vault.config, vault.schema_override, selection, fix)
    links_run = bool(split_selection(selection)[1].severities)
    made: list[Fresh] = []
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=setup) as pool:
        try:
            with _interrupts_held():  # the workers start now: Ctrl-C is this process's
                results = pool.map(_fresh_batch, batches)
            for batch in results:
                for stamp, digest, encoded, outcome, seconds in batch:
                    # Records travel as the cache's JSON: the workers do the encoding, and
                    # this process keeps the text for the cache instead of encoding again.
                    record = dataclasses.replace(record_from_json(encoded), fix=outcome, seconds=seconds)
                    made.append(Fresh(record, stamp, digest, encoded if encode else None))
                    if links_run and record.links is not None:  # resolve links while waiting
                        vault.links.prepare(record.links)
                if progress is not None:
                    progress(len(batch))
        except BaseException as error:  # Ctrl-C above all: the batches not started are dropped
            pool.shutdown(wait=False, cancel_futures=True)
            if isinstance(error, BrokenProcessPool):
                raise WorkerLost(
                    "a worker process died before the run ended (killed, or out of memory);"
                    " nothing was reported"
                ) from None
            raise
    return made


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C back while workers are started: a worker inherits the held signal and
    ignores it once it runs (:func:`_die_with_parent`), and this process receives it
    when the hold ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


_worker: tuple[Vault, Selection, FixMode | None] | None = None


def _start_worker(
    root: Path, config: Config, schema_override: str | None, selection: Selection, fix: FixMode | None
) -> None:
    """Give a worker process its own vault (schemas compiled once per process)."""
    from vaultcheck.rules.frontmatter_schema import NAME as SCHEMA_RULE
    from vaultcheck.vault import Vault

    global _worker
    _die_with_parent()
    vault = Vault(root=root, config=config, schema_override=schema_override)
    if SCHEMA_RULE in selection.severities:
        vault.load_schemas()
    _worker = (vault, selection, fix)


#: How often a worker looks whether the process that started it is still there.
PARENT_POLL_SECONDS = 0.2


def _die_with_parent() -> None:
    """End this worker as soon as its parent is gone (killed by SIGTERM or SIGKILL, it
    cannot shut the pool down): an orphan would run on, holding the run's stdout open,
    so whoever reads it would wait forever. Ctrl-C is the parent's to handle: the
    worker ignores it and the parent stops the pool.

    A thread watches the parent's pid, which changes when the parent dies (the orphan
    is adopted), on every POSIX system.
    """
    import multiprocessing

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The pid the parent had when it started this worker: it may be gone already.
    started_by = multiprocessing.parent_process()
    parent = started_by.pid if started_by is not None and started_by.pid else os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="vaultcheck-parent-watch", daemon=True).start()


#: What a worker sends back for a note: its stamp, content hash, record as JSON, what
#: the fixes did (under ``--fix`` or ``--diff``) and the CPU seconds it took.
Sent = tuple[tuple[int, int] | None, bytes, str, FixOutcome | None, float | None]


def _fresh_batch(paths: Sequence[Path]) -> list[Sent]:
    assert _worker is not None
    vault, selection, fix = _worker
    sent: list[Sent] = []
    for item in fresh_records(paths, vault, selection, encode=True, fix=fix):
        record = item.record
        sent.append((item.stamp, item.digest, item.encoded or "", record.fix, record.seconds))
    return sent
