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
import stat
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vaultcheck.engine.check import rule_context
from vaultcheck.engine.make import Fresh, Progress, fresh_records
from vaultcheck.engine.record import FixMode, FixOutcome, split_selection
from vaultcheck.engine.record_json import record_from_json
from vaultcheck.engine.store import Store
from vaultcheck.rules.api import RuleContext
from vaultcheck.vault.notes import symlink_refusal

if TYPE_CHECKING:
    from vaultcheck.rules.selection import Selection
    from vaultcheck.vault.config import Config



#: Below this many notes, starting processes costs more than it saves.
PARALLEL_FROM = 400


#: Notes a worker takes at a time: big enough to keep messages few, small enough to
#: keep both workers busy to the end.
BATCH = 250


def record_notes(
    context: RuleContext,
    paths: Sequence[Path],
    selection: Selection,
    cache: Store | None = None,
    fix: FixMode | None = None,
    progress: Progress | None = None,
) -> tuple[dict[int, str], list[Fresh]]:
    """The notes at ``paths`` unchanged since ``cache``'s rows (by index: their vault
    path), and the records made afresh for the others, in order (fixed first, with
    ``fix``), in a pool of processes when there are many to make and more than one
    core; these are kept in ``cache``."""
    vault = context.vault
    known: dict[int, str] = {}
    todo: list[Path] = []
    for index, path in enumerate(paths):
        if cache is not None and cache.unchanged(vault.relative(path), path, _plain_stat(path, vault.root)):
            known[index] = vault.relative(path)
        else:
            todo.append(path)
    if progress is not None and known:
        progress(len(known))
    fresh = make_records(context, todo, selection, encode=cache is not None, fix=fix, progress=progress)
    if cache is not None:
        for item in fresh:
            cache.keep(item.record, item.stamp, item.digest, item.encoded)
    return known, fresh


def _plain_stat(path: Path, root: Path) -> os.stat_result | bool:
    """The ``stat`` of the note at ``path``, taken once: False when it cannot be had or
    the note is a symlink that is not read (:func:`symlink_refusal`), True for a
    symlink that is (whose target's ``stat`` is then taken)."""
    try:
        found = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISLNK(found.st_mode):
        return symlink_refusal(path, root) is None
    return found


class WorkerLost(RuntimeError):
    """A worker process of the pool died mid-run: the run cannot say what it found."""


def make_records(
    context: RuleContext,
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
            batch = fresh_records(paths[start : start + BATCH], context, selection, encode, fix)
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
    start_method = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    vault = context.vault
    setup = (vault.root, vault.config, vault.schema_override, selection, fix)
    links_run = bool(split_selection(selection)[1].severities)
    made: list[Fresh] = []
    with ProcessPoolExecutor(workers, mp_context=start_method, initializer=_start_worker, initargs=setup) as pool:
        try:
            with _interrupts_held():  # the workers start now: Ctrl-C is this process's
                results = pool.map(_fresh_batch, batches)
            for done in results:
                for stamp, digest, encoded, outcome, seconds in done:
                    # Records travel as the cache's JSON: the workers do the encoding, and
                    # this process keeps the text for the cache instead of encoding again.
                    record = dataclasses.replace(record_from_json(encoded), fix=outcome, seconds=seconds)
                    made.append(Fresh(record, stamp, digest, encoded if encode else None))
                    if links_run and record.links is not None:  # resolve links while waiting
                        context.links.prepare(record.links)
                if progress is not None:
                    progress(len(done))
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


_worker: tuple[RuleContext, Selection, FixMode | None] | None = None


def _start_worker(
    root: Path, config: Config, schema_override: str | None, selection: Selection, fix: FixMode | None
) -> None:
    """Give a worker process its own vault (schemas compiled once per process)."""
    from vaultcheck.rules.frontmatter_schema import NAME as SCHEMA_RULE
    from vaultcheck.vault.vault import Vault

    global _worker
    _die_with_parent()
    vault = Vault(root=root, config=config, schema_override=schema_override)
    if SCHEMA_RULE in selection.severities:
        vault.load_schemas()
    _worker = (rule_context(vault), selection, fix)


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
    context, selection, fix = _worker
    sent: list[Sent] = []
    for item in fresh_records(paths, context, selection, encode=True, fix=fix):
        record = item.record
        sent.append((item.stamp, item.digest, item.encoded or "", record.fix, record.seconds))
    return sent


