"""The cache of note records: a note unchanged since the last run is not read or parsed again.

Records (:class:`~vaultcheck.engine.record.NoteRecord`: a note's own problems, links and link
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
simply not used. A record that does not decode (written by another build, damaged)
counts as missing and is made again.

Who may put files in the cache folder decides whether it may be trusted. A pull
request can only bring one by committing it, or by committing a symlink in its place
or inside it; so a cache folder that git tracks anything in, that is a symlink or that
holds one, is not used at all (:func:`check_cache_folder`), and the run says so. Any
other cache folder was written by vaultcheck on this machine, or restored by the CI's
own cache step (``actions/cache``): it is trusted without a key, which is what lets a
restored cache serve on a fresh runner.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultcheck import __version__
from vaultcheck.core.reading import DEFAULT_MAX_FILE_SIZE, read_regular
from vaultcheck.engine.record_json import (
    _UNDECODABLE,
    decode_facts,
    encode_facts,
    record_from_json,
    record_json,
)
from vaultcheck.engine.store_files import keep_gitignore, read_json, write_json
from vaultcheck.links.targets import StoredFacts
from vaultcheck.vault.git import git_output

if TYPE_CHECKING:
    from vaultcheck.engine.record import NoteRecord
    from vaultcheck.rules.selection import Selection
    from vaultcheck.vault.vault import Vault



CACHE_FOLDER = ".vaultcheck_cache"


class CacheRefused(Exception):
    """The cache folder may not be trusted (see :func:`check_cache_folder`); the message
    says why, and the run goes on without a cache."""


def check_cache_folder(cache_root: Path, vault_root: Path) -> None:
    """Raise :class:`CacheRefused` when ``cache_root`` is a symlink or not a folder, holds
    a symlink anywhere, or (inside the vault) holds a file git tracks: a cache that a
    pull request could have planted. A missing folder is fine: it will be made."""
    shown = os.path.relpath(cache_root, vault_root) if cache_root.is_relative_to(vault_root) else str(cache_root)
    try:
        mode = os.lstat(cache_root).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise CacheRefused(f"{shown}: {error.strerror or error}") from None
    if stat.S_ISLNK(mode):
        raise CacheRefused(f"{shown} is a symlink (remove it and a new cache is made)")
    if not stat.S_ISDIR(mode):
        raise CacheRefused(f"{shown} is not a folder (remove it and a new cache is made)")
    pending = [cache_root]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as error:
            raise CacheRefused(f"{shown}: {error.strerror or error}") from None
        for entry in entries:
            if entry.is_symlink():
                name = os.path.join(shown, os.path.relpath(entry.path, cache_root))
                raise CacheRefused(f"{name} is a symlink (remove {shown} and a new cache is made)")
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
    if cache_root.is_relative_to(vault_root):
        tracked = git_output(["ls-files", "--cached", "-z", "--", shown], vault_root)
        if tracked:
            raise CacheRefused(
                f"{shown} holds files committed to git (git rm -r --cached {shown}, then remove it)"
            )


def content_hash(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


#: Records are spread over this many files by a hash of the note's path, so a run that
#: changed ten notes rewrites ten small files, and a run over ten notes reads ten.
SHARDS = 64


#: A shard maps a note's vault path to ``[size, mtime_ns, content hash, record]``, the
#: record as the JSON text of :func:`record_json`, decoded only when the note is reused.
Shard = dict[str, list[Any]]


@dataclass
class RecordCache:
    """The records of one vault under one set of settings, each shard loaded when first
    needed and written back only when it changed."""

    folder: Path
    shards: dict[int, Shard] = field(default_factory=dict)
    dirty: set[int] = field(default_factory=set)
    facts: dict[str, StoredFacts] | None = None
    facts_changed: bool = False
    #: Notes over this many bytes are not read to be hashed (see ``max-file-size``).
    limit: int = DEFAULT_MAX_FILE_SIZE

    @classmethod
    def open(cls, vault: Vault, selection: Selection, cache_root: Path | None = None) -> RecordCache:
        """The records in ``cache_root`` (``.vaultcheck_cache`` at the vault's root unless
        ``--cache-dir`` names another); raises :class:`CacheRefused` when that folder may
        not be trusted (:func:`check_cache_folder`)."""
        if cache_root is None:
            cache_root = vault.root / CACHE_FOLDER
        check_cache_folder(cache_root, vault.root)
        folder = cache_root / __version__ / f"records-{settings_key(vault, selection)}"
        return cls(folder, limit=vault.config.max_file_size)

    @property
    def root(self) -> Path:
        """The cache folder this cache lives in."""
        return self.folder.parents[1]

    def _shard(self, rel: str) -> tuple[int, Shard]:
        number = zlib.crc32(rel.encode("utf-8", "surrogateescape")) % SHARDS
        if number not in self.shards:
            self.shards[number] = _read_dict(self.folder / f"{number:02d}.json")
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
            size, mtime_ns, digest_hex, encoded = entry
            found = path.stat()
            if size == found.st_size and mtime_ns == found.st_mtime_ns:
                return _decoded(encoded, path)
            digest = content_hash(read_regular(path, self.limit))
        except OSError:
            return None
        except _UNDECODABLE:
            return None
        if digest.hex() != digest_hex:
            return None
        record = _decoded(encoded, path)
        if record is not None:
            self.store(rel, (found.st_size, found.st_mtime_ns), digest, record, encoded)
        return record

    def store(
        self, rel: str, stamp: tuple[int, int], digest: bytes, record: NoteRecord, encoded: str | None
    ) -> None:
        """Keep a record made from bytes of ``digest`` in a file of ``stamp`` (size, mtime);
        ``encoded`` is the record's JSON when already made."""
        number, shard = self._shard(rel)
        shard[rel] = [*stamp, digest.hex(), encoded if encoded is not None else record_json(record)]
        self.dirty.add(number)

    def forget_all_but(self, kept: Iterable[str]) -> None:
        """Drop the records of notes that are gone (after a run over the whole vault)."""
        kept = set(kept)
        for number in range(SHARDS):
            shard = self.shards.get(number)
            if shard is None:
                shard = self.shards[number] = _read_dict(self.folder / f"{number:02d}.json")
            gone = [rel for rel in shard if rel not in kept]
            for rel in gone:
                del shard[rel]
            if gone:
                self.dirty.add(number)

    def stored_facts(self) -> dict[str, StoredFacts]:
        """The link facts (headings, block ids, aliases) of every note of the last runs, by
        vault path: a run over a few notes looks up the notes they link to here instead
        of reading them, when the file is untouched (see
        :meth:`~vaultcheck.links.targets.FactsCache.of`)."""
        if self.facts is None:
            try:
                self.facts = {
                    rel: StoredFacts(size, mtime_ns, decode_facts(facts))
                    for rel, (size, mtime_ns, facts) in _read_dict(self.folder / "facts.json").items()
                }
            except _UNDECODABLE:  # another layout: as if there were none
                self.facts = {}
        return self.facts

    def remember_facts(self, records: Iterable[NoteRecord], whole_vault: bool) -> None:
        """Keep the link facts of the notes of this run (only theirs, after a whole-vault run,
        which changed them only if it changed a record)."""
        if whole_vault and not self.dirty and (self.folder / "facts.json").exists():
            return
        stored = {} if whole_vault else dict(self.stored_facts())
        for record in records:
            entry = self._shard(record.rel)[1].get(record.rel)
            if entry is not None and record.facts is not None:
                stored[record.rel] = StoredFacts(entry[0], entry[1], record.facts)
        if whole_vault or _stamps(stored) != _stamps(self.stored_facts()):
            self.facts = stored
            self.facts_changed = True

    def save(self) -> None:
        """Write the shards that changed; never fails the run."""
        try:
            if self.root.is_dir():  # mend a .gitignore a failed first write left wrong
                keep_gitignore(self.root)
            for number in sorted(self.dirty):
                write_json(self.folder / f"{number:02d}.json", self.shards[number], self.root)
            if self.facts_changed and self.facts is not None:
                facts = {
                    rel: [item.size, item.mtime_ns, encode_facts(item.facts)]
                    for rel, item in self.facts.items()
                }
                write_json(self.folder / "facts.json", facts, self.root)
        except OSError:
            return
        self.dirty.clear()
        self.facts_changed = False


def _stamps(stored: dict[str, StoredFacts]) -> dict[str, tuple[int, int]]:
    return {rel: (item.size, item.mtime_ns) for rel, item in stored.items()}


def _read_dict(file: Path) -> dict[str, Any]:
    """The JSON object in ``file``; empty when missing or damaged."""
    value = read_json(file)
    return value if isinstance(value, dict) else {}


def _decoded(encoded: Any, path: Path) -> NoteRecord | None:
    """The stored record of the note at ``path``; None when it does not decode (another
    build's layout, damage) or names another file."""
    try:
        record = record_from_json(encoded)
    except _UNDECODABLE:
        return None
    return record if record.path == path else None


@dataclass
class SuggestionCache:
    """The "did you mean" answers of earlier runs, valid while the vault's file names stay
    the same (finding a near name among tens of thousands costs more than a link check)."""

    file: Path
    known: dict[bool, dict[str, str | None]] = field(default_factory=dict)

    @classmethod
    def open(cls, vault: Vault, cache_root: Path) -> SuggestionCache:
        """The answers kept in ``cache_root`` (already checked by :meth:`RecordCache.open`)."""
        names = hashlib.blake2b(digest_size=12)
        for indexed in vault.files.files:
            names.update(indexed.path.encode("utf-8", "surrogateescape") + b"\0")
        file = cache_root / __version__ / f"names-{names.hexdigest()}.json"
        stored = _read_dict(file)
        known = {True: _answers(stored.get("notes")), False: _answers(stored.get("files"))}
        return cls(file, known)

    def save(self, answers: dict[bool, dict[str, str | None]]) -> None:
        if answers == self.known:
            return
        try:
            answers_by_kind = {"notes": answers[True], "files": answers[False]}
            write_json(self.file, answers_by_kind, self.file.parents[1])
        except OSError:
            return


def _answers(stored: Any) -> dict[str, str | None]:
    """Stored "did you mean" answers, keeping only well-formed ones."""
    if not isinstance(stored, dict):
        return {}
    return {
        key: value for key, value in stored.items() if value is None or isinstance(value, str)
    }


@cache
def build_id() -> str:
    """A hash of this build's own code: records written by another build (another
    layout, other rules) under the same version string are never read."""
    digest = hashlib.blake2b(digest_size=12)
    package = Path(__file__).parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(source.read_bytes())
        except OSError:
            digest.update(b"\0missing")
    return digest.hexdigest()


def settings_key(vault: Vault, selection: Selection) -> str:
    """What every record depends on besides its note, as a short hash."""
    digest = hashlib.blake2b(digest_size=12)
    for part in (
        __version__,
        build_id(),
        sys.version,
        str(vault.root),
        repr(vault.config),
        repr(vault.schema_override),
        repr(sorted((name, level.value) for name, level in selection.severities.items())),
    ):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for schema in sorted(_schema_files(vault)):
        digest.update(str(schema).encode("utf-8", "surrogateescape") + b"\0")
        try:  # only regular files: a FIFO beside the schema must not hang the run
            digest.update(read_regular(schema))
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


