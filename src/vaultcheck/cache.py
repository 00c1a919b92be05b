"""The cache of note records: a note unchanged since the last run is not read or parsed again.

Records (:class:`~vaultcheck.records.NoteRecord`: a note's own problems, links and link
facts) are kept in ``.vaultcheck_cache/`` at the vault's root, one folder per set of
settings. The settings key covers everything a record depends on besides the note:
the vaultcheck and Python versions, the vault's place, the configuration, the rules
and severities selected and the bytes of every schema in use (with the JSON files
beside it, which its ``$ref``\\ s may name). Inside, a record is keyed by the note's
content hash; the file's size and modification time are a shortcut that spares hashing
a file that has not been touched.

Link verdicts are never cached: they depend on the whole vault, so every run judges
links again from the records.

Writes go to a temporary file renamed over the old one, so concurrent runs never read
a torn cache; the last to finish wins, and a cache that cannot be read or written is
simply not used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultcheck import __version__

if TYPE_CHECKING:
    from vaultcheck.links.facts import NoteFacts
    from vaultcheck.records import NoteRecord
    from vaultcheck.runner import Selection
    from vaultcheck.vault import Vault

CACHE_FOLDER = ".vaultcheck_cache"
_GITIGNORE = "# Written by vaultcheck: a cache, not to be committed.\n*\n"


def content_hash(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


@dataclass(frozen=True)
class Entry:
    """A record with what identifies the bytes it was made from."""

    size: int
    mtime_ns: int
    digest: bytes
    record: NoteRecord


@dataclass(frozen=True)
class StoredFacts:
    """A note's link facts with the size and modification time of the file they came from."""

    size: int
    mtime_ns: int
    facts: NoteFacts

    def still_true(self, path: Path) -> bool:
        try:
            stat = path.stat(follow_symlinks=False)
        except OSError:
            return False
        return stat.st_size == self.size and stat.st_mtime_ns == self.mtime_ns


#: Records are spread over this many files by a hash of the note's path, so a run that
#: changed ten notes rewrites ten small files, and a run over ten notes reads ten.
SHARDS = 64


@dataclass
class RecordCache:
    """The records of one vault under one set of settings, each shard loaded when first
    needed and written back only when it changed."""

    folder: Path
    shards: dict[int, dict[str, Entry]] = field(default_factory=dict)
    dirty: set[int] = field(default_factory=set)
    facts: dict[str, StoredFacts] | None = None
    facts_changed: bool = False

    @classmethod
    def open(cls, vault: Vault, selection: Selection) -> RecordCache:
        return cls(vault.root / CACHE_FOLDER / __version__ / f"records-{settings_key(vault, selection)}")

    def _shard(self, rel: str) -> tuple[int, dict[str, Entry]]:
        number = zlib.crc32(rel.encode("utf-8", "surrogateescape")) % SHARDS
        if number not in self.shards:
            self.shards[number] = _load(self.folder / f"{number:02d}.pickle")
        return number, self.shards[number]

    def reuse(self, rel: str, path: Path) -> NoteRecord | None:
        """The record of the note at ``path`` if its content is what it was made from.

        Same size and modification time: the file was not touched. Otherwise its bytes
        are hashed; the same hash (a file saved unchanged, a fresh checkout) still serves.
        """
        entry = self._shard(rel)[1].get(rel)
        if entry is None:
            return None
        try:
            stat = path.stat()
            if entry.size == stat.st_size and entry.mtime_ns == stat.st_mtime_ns:
                return entry.record
            digest = content_hash(path.read_bytes())
        except OSError:
            return None
        if digest != entry.digest:
            return None
        self.store(rel, stat, digest, entry.record)
        return entry.record

    def store(self, rel: str, stat: os.stat_result, digest: bytes, record: NoteRecord) -> None:
        number, shard = self._shard(rel)
        shard[rel] = Entry(stat.st_size, stat.st_mtime_ns, digest, record)
        self.dirty.add(number)

    def forget_all_but(self, kept: Iterable[str]) -> None:
        """Drop the records of notes that are gone (after a run over the whole vault)."""
        kept = set(kept)
        for number in range(SHARDS):
            shard = self.shards.get(number)
            if shard is None:
                shard = self.shards[number] = _load(self.folder / f"{number:02d}.pickle")
            gone = [rel for rel in shard if rel not in kept]
            for rel in gone:
                del shard[rel]
            if gone:
                self.dirty.add(number)

    def stored_facts(self) -> dict[str, StoredFacts]:
        """The link facts (headings, block ids, aliases) of every note of the last runs, by
        vault path: a run over a few notes looks up the notes they link to here instead
        of reading them, when the file is untouched (see
        :meth:`~vaultcheck.links.facts.FactsCache.of`)."""
        if self.facts is None:
            self.facts = _load(self.folder / "facts.pickle")
        return self.facts

    def remember_facts(self, rels: Iterable[str], whole_vault: bool) -> None:
        """Keep the link facts of the notes of this run (only theirs, after a whole-vault run)."""
        stored = {} if whole_vault else dict(self.stored_facts())
        for rel in rels:
            entry = self._shard(rel)[1].get(rel)
            if entry is not None and entry.record.facts is not None:
                stored[rel] = StoredFacts(entry.size, entry.mtime_ns, entry.record.facts)
        if _stamps(stored) != _stamps(self.facts or {}):
            self.facts = stored
            self.facts_changed = True

    def save(self) -> None:
        """Write the shards that changed; never fails the run."""
        try:
            for number in sorted(self.dirty):
                _write_atomically(self.folder / f"{number:02d}.pickle", self.shards[number])
            if self.facts_changed:
                _write_atomically(self.folder / "facts.pickle", self.facts)
        except OSError:
            return
        self.dirty.clear()
        self.facts_changed = False


def _stamps(stored: dict[str, StoredFacts]) -> dict[str, tuple[int, int]]:
    return {rel: (item.size, item.mtime_ns) for rel, item in stored.items()}


def _load(file: Path) -> dict[Any, Any]:
    """A pickled dict, or an empty one when the file is missing or unreadable."""
    try:
        with file.open("rb") as stream:
            value = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


@dataclass
class SuggestionCache:
    """The "did you mean" answers of earlier runs, valid while the vault's file names stay
    the same (finding a near name among tens of thousands costs more than a link check)."""

    file: Path
    known: dict[bool, dict[str, str | None]] = field(default_factory=dict)

    @classmethod
    def open(cls, vault: Vault) -> SuggestionCache:
        names = hashlib.blake2b(digest_size=12)
        for indexed in vault.files.files:
            names.update(indexed.path.encode("utf-8", "surrogateescape") + b"\0")
        file = vault.root / CACHE_FOLDER / __version__ / f"names-{names.hexdigest()}.pickle"
        known: dict[bool, dict[str, str | None]] = _load(file)
        return cls(file, known)

    def save(self, answers: dict[bool, dict[str, str | None]]) -> None:
        if answers == self.known:
            return
        try:
            _write_atomically(self.file, answers)
        except OSError:
            return


def _write_atomically(file: Path, value: object) -> None:
    """Pickle ``value`` to ``file`` through a temporary file renamed over it."""
    file.parent.mkdir(parents=True, exist_ok=True)
    gitignore = file.parents[1] / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(_GITIGNORE, encoding="utf-8")
    handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def settings_key(vault: Vault, selection: Selection) -> str:
    """What every record depends on besides its note, as a short hash."""
    digest = hashlib.blake2b(digest_size=12)
    for part in (
        __version__,
        sys.version,
        str(vault.root),
        repr(vault.config),
        repr(vault.schema_override),
        repr(sorted((name, level.value) for name, level in selection.severities.items())),
    ):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for schema in sorted(_schema_files(vault)):
        digest.update(str(schema).encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(schema.read_bytes())
        except OSError:
            digest.update(b"\0missing")
    return digest.hexdigest()


def _schema_files(vault: Vault) -> set[Path]:
    """The schemas in use and the JSON files beside them."""
    files: set[Path] = set()
    for schema in vault.schemas_in_use():
        files.add(schema)
        files.update(schema.parent.glob("*.json"))
    return files
