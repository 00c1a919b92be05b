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
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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
    """

    path: Path
    rel: str
    directives: bool
    problems: tuple[Problem, ...]
    links: LinkSource | None
    facts: NoteFacts | None


def record_note(note: Note, vault: Vault, selection: Selection) -> NoteRecord:
    """Check ``note`` with the rules that need no other note, and keep what links need."""
    from vaultcheck.links.check import link_source
    from vaultcheck.links.facts import NoteFacts
    from vaultcheck.runner import check_note

    alone, linked = split_selection(selection)
    problems = tuple(check_note(note, vault, alone))
    directives = MARKER in note.text
    if not linked.severities or note.error is not None:
        return NoteRecord(note.path, note.rel, directives, problems, None, None)
    facts = NoteFacts(note, parse=True)
    return NoteRecord(note.path, note.rel, directives, problems, link_source(note), facts)


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


def fresh_record(path: Path, vault: Vault, selection: Selection, encode: bool) -> Fresh:
    """Read, parse and check the note at ``path``."""
    rel = vault.relative(path)
    try:
        stat = path.stat()
        stamp: tuple[int, int] | None = (stat.st_size, stat.st_mtime_ns)
    except OSError:
        stamp = None
    note = read_note(path, rel, vault.root, vault.config.max_file_size)
    record = record_note(note, vault, selection)
    return Fresh(record, stamp, content_hash(note.raw), record_json(record) if encode else None)


def record_notes(
    vault: Vault, paths: Sequence[Path], selection: Selection, cache: RecordCache | None = None
) -> list[NoteRecord]:
    """The records of the notes at ``paths``, in order: from ``cache`` where the note is
    unchanged, else made afresh, in a pool of processes when there are many notes to
    make and more than one core."""
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
    fresh = _make(vault, todo, selection, encode=cache is not None)
    made = iter(fresh)
    result = [records[index] if index in records else next(made).record for index in range(len(paths))]
    if cache is not None:
        for item in fresh:
            if item.stamp is not None:
                cache.store(item.record.rel, item.stamp, item.digest, item.record, item.encoded)
    return result


def _make(vault: Vault, paths: Sequence[Path], selection: Selection, encode: bool) -> list[Fresh]:
    workers = min(os.cpu_count() or 1, 2 + (os.cpu_count() or 1) // 4)
    if len(paths) < PARALLEL_FROM or workers < 2:
        return [fresh_record(path, vault, selection, encode) for path in paths]
    batches = [paths[start : start + BATCH] for start in range(0, len(paths), BATCH)]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    setup = (vault.root, vault.config, vault.schema_override, selection)
    links_run = bool(split_selection(selection)[1].severities)
    made: list[Fresh] = []
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=setup) as pool:
        try:
            with _interrupts_held():  # the workers start now: Ctrl-C is this process's
                results = pool.map(_fresh_batch, batches)
            for batch in results:
                for stamp, digest, encoded in batch:
                    # Records travel as the cache's JSON: the workers do the encoding, and
                    # this process keeps the text for the cache instead of encoding again.
                    record = record_from_json(encoded)
                    made.append(Fresh(record, stamp, digest, encoded if encode else None))
                    if links_run and record.links is not None:  # resolve links while waiting
                        vault.links.prepare(record.links)
        except BaseException:  # Ctrl-C above all: the batches not started are dropped
            pool.shutdown(wait=False, cancel_futures=True)
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


_worker: tuple[Vault, Selection] | None = None


def _start_worker(root: Path, config: Config, schema_override: str | None, selection: Selection) -> None:
    """Give a worker process its own vault (schemas compiled once per process)."""
    from vaultcheck.vault import Vault

    global _worker
    _die_with_parent()
    vault = Vault(root=root, config=config, schema_override=schema_override)
    vault.load_schemas()
    _worker = (vault, selection)


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
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The pid the parent had when it started this worker: it may be gone already.
    started_by = multiprocessing.parent_process()
    parent = started_by.pid if started_by is not None and started_by.pid else os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="vaultcheck-parent-watch", daemon=True).start()


#: What a worker sends back for a note: its stamp, content hash and record as JSON.
Sent = tuple[tuple[int, int] | None, bytes, str]


def _fresh_batch(paths: Sequence[Path]) -> list[Sent]:
    assert _worker is not None
    vault, selection = _worker
    sent: list[Sent] = []
    for path in paths:
        item = fresh_record(path, vault, selection, encode=True)
        sent.append((item.stamp, item.digest, item.encoded or ""))
    return sent
