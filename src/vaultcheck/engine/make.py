"""Make the records of notes afresh: read, parse, check (and fix) each note, then
write the fixed notes on a few threads."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultcheck.engine.fix import Unwritten, fix_record
from vaultcheck.engine.record import FixMode, NoteRecord, record_note
from vaultcheck.engine.record_json import record_json
from vaultcheck.engine.store import content_hash
from vaultcheck.rules.api import RuleContext
from vaultcheck.vault.notes import read_note

if TYPE_CHECKING:
    from vaultcheck.rules.selection import Selection



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
    paths: Sequence[Path], context: RuleContext, selection: Selection, encode: bool, fix: FixMode | None = None
) -> list[Fresh]:
    """:func:`fresh_record` for each of ``paths``; under ``--fix``, the fixed notes are then
    written on :data:`WRITERS` threads, and a note that could not be written gets its
    own record back."""
    made = [fresh_record(path, context, selection, encode, fix) for path in paths]
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
                unwritten.not_written(context, selection, record.fix, failure), seconds=record.seconds
            )
        encoded = record_json(record) if encode else None
        settled.append(Fresh(record, item.stamp, item.digest, encoded))
    return settled


def fresh_record(
    path: Path, context: RuleContext, selection: Selection, encode: bool, fix: FixMode | None = None
) -> Fresh:
    """Read, parse and check the note at ``path`` (fixing it first with ``fix``: then a
    note to write is left in :attr:`Fresh.unwritten`, and not encoded yet)."""
    started = time.process_time()
    vault = context.vault
    rel = vault.relative(path)
    try:
        stat = path.stat()
        stamp: tuple[int, int] | None = (stat.st_size, stat.st_mtime_ns)
    except OSError:
        stamp = None
    note = read_note(path, rel, vault.root, vault.config.max_file_size)
    unwritten = None
    if fix is None:
        record = record_note(note, context, selection)
    else:
        record, unwritten = fix_record(note, context, selection, fix)
    record = dataclasses.replace(record, seconds=time.process_time() - started)
    encoded = record_json(record) if encode and unwritten is None else None
    return Fresh(record, stamp, content_hash(note.raw), encoded, unwritten)


Progress = Callable[[int], None]
"""Told how many more notes are done (a progress line on a terminal)."""


