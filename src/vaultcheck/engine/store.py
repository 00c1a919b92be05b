"""The store: what each note gave, kept so that a note unchanged since the last run is
not read, parsed or judged again.

It lives in ``.vaultcheck_cache/`` at the vault's root (or the folder ``--cache-dir``
names), one SQLite database per set of settings. The settings key covers everything
a record depends on besides the note: the vaultcheck and Python versions, this build's
code, the vault's place, the configuration, the rules and severities selected and the
bytes of every schema in use (with the JSON files beside it, which its ``$ref``\\ s may
name). Per note (by vault path) the database keeps:

- ``notes``: the file's size, modification time and content hash (what tells an
  unchanged note: same size and time, else the same hash), the hash of its link facts,
  its aliases and whether it holds suppression comments; read whole every run.
- ``records``: the note's record (:class:`~vaultcheck.engine.record.NoteRecord` as
  JSON: its own problems, links and link facts), read only for a note whose links are
  judged again.
- ``facts``: its link facts alone, read when a link into it is judged.
- ``results``: everything reported for it, link problems included, as the text report
  prints it and as JSON (see :class:`~vaultcheck.engine.found.Stored`), with what its
  link verdicts depend on (see :mod:`vaultcheck.engine.verdicts`). A result serves while
  the note, the vault's names and the facts of the notes it links to are what they were.

SQLite reads only the columns a run needs and writes only the rows that changed, in
one transaction: a concurrent run waits for it (or, after a few seconds, goes on
without the store), and never reads a torn one. A database that does not open, or
does not hold exactly the tables this layout makes, is made anew; a row that does not
decode counts as missing and is made again.

Who may put files in the cache folder decides whether it may be trusted. A pull
request can only bring one by committing it, or by committing a symlink in its place
or inside it; so a cache folder that git tracks anything in, that is a symlink or that
holds one, is not used at all (:func:`check_cache_folder`), and the run says so. Any
other cache folder was written by vaultcheck on this machine, or restored by the CI's
own cache step (``actions/cache``): it is trusted without a key, which is what lets a
restored cache serve on a fresh runner. Even so, only the store's own tables are read:
no trigger, view or function of the file runs (``trusted_schema`` off), and the
database is never opened through a symlink.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import astuple, dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultcheck import __version__
from vaultcheck.core.reading import read_regular
from vaultcheck.engine.found import Stored, intact
from vaultcheck.engine.record_json import (
    _UNDECODABLE,
    decode_facts,
    encode_facts,
    record_from_json,
    record_json,
)
from vaultcheck.engine.store_files import keep_gitignore, make_folders, read_json, write_json
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


#: The layout of the tables; a database of another layout is made anew.
LAYOUT = 1

TABLES = {
    "notes": "CREATE TABLE notes (rel BLOB PRIMARY KEY, size INTEGER, mtime_ns INTEGER,"
    " digest BLOB, facts_digest BLOB, aliases TEXT, suppressed INTEGER, frontmatter_end INTEGER)",
    "records": "CREATE TABLE records (rel BLOB PRIMARY KEY, record TEXT)",
    "facts": "CREATE TABLE facts (rel BLOB PRIMARY KEY, facts TEXT)",
    "results": "CREATE TABLE results (rel BLOB PRIMARY KEY, world BLOB, deps TEXT, lines TEXT,"
    " packed BLOB, rules TEXT, fixable INTEGER, errors INTEGER, generation BLOB)",
    "meta": "CREATE TABLE meta (rel BLOB PRIMARY KEY, value BLOB)",
}

#: How long a run waits for another run's write to end before going on without the store.
BUSY_SECONDS = 5.0


class StoreUnusable(Exception):
    """The database cannot be used this run (locked, damaged, unwritable)."""


@dataclass(frozen=True)
class NoteRow:
    """What the ``notes`` table says of one note."""

    size: int
    mtime_ns: int
    digest: bytes
    facts_digest: bytes
    aliases: str | None
    suppressed: int
    frontmatter_end: int

    def stamp_matches(self, size: int, mtime_ns: int) -> bool:
        return self.size == size and self.mtime_ns == mtime_ns


@dataclass(frozen=True)
class ResultRow:
    """What the ``results`` table says of one note."""

    world: bytes
    deps: str
    lines: str
    packed: bytes
    rules: str
    fixable: int
    errors: int
    generation: bytes

    def block(self, path: Path) -> Stored:
        """The stored problems as a block of :class:`~vaultcheck.found.Found`; raises
        ValueError when the row is not what this layout writes."""
        rules = json.loads(self.rules)
        total = 0
        for rule, count in rules:
            if type(rule) is not str or type(count) is not int or count < 1:
                raise ValueError("not a stored result")
            total += count
        lines = self.lines
        if not (
            type(lines) is str and type(self.fixable) is int and type(self.errors) is int
            and lines.count("\n") == total and lines[-1:] in ("\n", "") and intact(self.packed)
        ):
            raise ValueError("not a stored result")
        return Stored(path, lines, self.packed, tuple(map(tuple, rules)), self.fixable, self.errors)

    def depends_on(self) -> list[tuple[str, str]]:
        """``(vault path, facts hash in hex)`` of each note whose facts the verdicts used."""
        values = json.loads(self.deps)
        if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
            raise ValueError("not a list of dependencies")
        return list(zip(values[::2], values[1::2], strict=True))


@dataclass
class Database:
    """An open store database: rows read on demand, writes gathered until :meth:`commit`."""

    file: Path
    connection: sqlite3.Connection
    pending: dict[str, dict[str, tuple[Any, ...]]] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)
    #: Results found to hold at a generation (see :attr:`Store.generation`).
    confirmed: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def open(cls, file: Path) -> Database:
        """The database in ``file``, made (anew, when damaged or of another layout) as
        needed. Raises :class:`StoreUnusable`."""
        for attempt in (1, 2):
            try:
                return cls(file, _connect(file))
            except (sqlite3.Error, _Mismatch) as error:
                if attempt == 2 or isinstance(error, sqlite3.OperationalError) and _locked(error):
                    raise StoreUnusable(str(error)) from None
                _remove(file)
        raise AssertionError("unreachable")

    def notes(self) -> dict[str, NoteRow]:
        return {
            _rel(key): NoteRow(*values)
            for key, *values in self._select(
                "SELECT rel, size, mtime_ns, digest, facts_digest, aliases, suppressed, frontmatter_end FROM notes"
            )
        }

    def results(self, rels: Iterable[str] | None = None) -> dict[str, ResultRow]:
        """The stored results of ``rels`` (of every note when None)."""
        query = "SELECT rel, world, deps, lines, packed, rules, fixable, errors, generation FROM results"
        rows = self._select(query) if rels is None else self._select_keys(query, rels)
        return {_rel(key): ResultRow(*values) for key, *values in rows}

    def records(self, rels: Iterable[str]) -> dict[str, str]:
        return {_rel(key): record for key, record in self._select_keys("SELECT rel, record FROM records", rels)}

    def meta(self, name: str) -> Any:
        found = list(self._select_keys("SELECT rel, value FROM meta", [f"\0{name}"]))
        return found[0][1] if found else None

    def facts(self, rel: str) -> str | None:
        found = list(self._select_keys("SELECT rel, facts FROM facts", [rel]))
        return found[0][1] if found else None

    def put(self, table: str, rel: str, values: tuple[Any, ...]) -> None:
        self.pending.setdefault(table, {})[rel] = values

    def drop(self, rels: Iterable[str]) -> None:
        self.dropped.update(rels)

    def commit(self) -> None:
        """Write what :meth:`put` and :meth:`drop` gathered, in one transaction. Raises
        :class:`StoreUnusable`."""
        if not self.pending and not self.dropped and not self.confirmed:
            return
        try:
            with self.connection:
                self.connection.execute("BEGIN IMMEDIATE")
                for table in TABLES:
                    rows = self.pending.get(table, {})
                    if rows:
                        marks = ",".join("?" * (1 + len(next(iter(rows.values())))))
                        self.connection.executemany(
                            f"INSERT OR REPLACE INTO {table} VALUES ({marks})",
                            ((_key(rel), *values) for rel, values in rows.items()),
                        )
                    if self.dropped:
                        self.connection.executemany(
                            f"DELETE FROM {table} WHERE rel = ?", ((_key(rel),) for rel in self.dropped)
                        )
                self.connection.executemany(
                    "UPDATE results SET generation = ? WHERE rel = ?",
                    ((generation, _key(rel)) for rel, generation in self.confirmed.items()),
                )
        except sqlite3.Error as error:
            raise StoreUnusable(str(error)) from None
        self.pending.clear()
        self.dropped.clear()
        self.confirmed.clear()

    def close(self) -> None:
        self.connection.close()

    def _select(self, query: str) -> list[Any]:
        try:
            return self.connection.execute(query).fetchall()
        except sqlite3.Error as error:
            raise StoreUnusable(str(error)) from None

    def _select_keys(self, query: str, rels: Iterable[str]) -> Iterator[Any]:
        keys = [_key(rel) for rel in rels]
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                yield from self.connection.execute(f"{query} WHERE rel IN ({marks})", chunk).fetchall()
            except sqlite3.Error as error:
                raise StoreUnusable(str(error)) from None


def _key(rel: str) -> bytes:
    """A vault path as the store keys it: bytes, as a name that is not UTF-8 holds
    characters SQLite's text cannot."""
    return rel.encode("utf-8", "surrogateescape")


def _rel(key: bytes) -> str:
    if not isinstance(key, bytes):
        raise StoreUnusable("a row of another layout")
    return key.decode("utf-8", "surrogateescape")


class _Mismatch(Exception):
    """The file is a database, but not of this layout."""


def _connect(file: Path) -> sqlite3.Connection:
    """Open (or make) the database in ``file``, refusing a symlink or anything but a
    regular file, and check it holds this layout's tables and nothing else."""
    try:
        mode = os.lstat(file).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise StoreUnusable(f"{file.name} is not a regular file")
    connection = sqlite3.connect(file, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    try:
        connection.execute("PRAGMA trusted_schema = OFF")
        connection.execute("PRAGMA cell_size_check = ON")
        layout = connection.execute("PRAGMA user_version").fetchone()[0]
        found = dict(
            connection.execute("SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
        )
        if not found and layout == 0:
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                for sql in TABLES.values():
                    connection.execute(sql)
                connection.execute(f"PRAGMA user_version = {LAYOUT}")
        elif layout != LAYOUT or found != TABLES:
            raise _Mismatch(f"{file.name} holds another layout")
    except BaseException:
        connection.close()
        raise
    return connection


def _locked(error: sqlite3.OperationalError) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _remove(file: Path) -> None:
    for extra in ("", "-journal", "-wal", "-shm"):
        try:
            os.unlink(f"{file}{extra}")
        except FileNotFoundError:
            pass
        except OSError as error:
            raise StoreUnusable(f"{file.name}: {error.strerror or error}") from None


@dataclass
class Store:
    """The store of one vault under one set of settings: what earlier runs found, note by
    note, and what this run found, written back by :meth:`save`."""

    folder: Path
    database: Database
    vault_root: Path
    limit: int
    notes: dict[str, NoteRow]
    #: Notes whose row this run found true (unchanged on disk) or wrote.
    valid: set[str] = field(default_factory=set)
    #: Notes whose row was looked at and found not to hold.
    checked: set[str] = field(default_factory=set)
    #: A token that changes whenever a note's link facts change: a result found to hold
    #: at the current generation still holds, its targets' facts unchanged since.
    generation: bytes = b""
    _by_key: dict[str, str] | None = None

    @classmethod
    def open(cls, vault: Vault, selection: Selection, cache_root: Path | None = None) -> Store | None:
        """The store in ``cache_root`` (``.vaultcheck_cache`` at the vault's root unless
        ``--cache-dir`` names another); raises :class:`CacheRefused` when that folder may
        not be trusted (:func:`check_cache_folder`), None when it cannot be used (a
        read-only disk, a database another run holds locked)."""
        if cache_root is None:
            cache_root = vault.root / CACHE_FOLDER
        check_cache_folder(cache_root, vault.root)
        folder = cache_root / __version__
        try:
            make_folders(folder, cache_root)
            keep_gitignore(cache_root)
            database = Database.open(folder / f"store-{settings_key(vault, selection)}.sqlite")
            generation = database.meta("generation")
            return cls(
                folder, database, vault.root, vault.config.max_file_size, database.notes(),
                generation=generation if isinstance(generation, bytes) else b"",
            )
        except (OSError, StoreUnusable):
            return None

    @property
    def root(self) -> Path:
        """The cache folder this store lives in."""
        return self.folder.parent

    def unchanged(self, rel: str, path: Path, found: os.stat_result | bool = True) -> bool:
        """True when the note at ``path`` is what its stored row was made from: same size
        and modification time, else the same content hash (a file saved unchanged, a
        fresh checkout; its row then takes the new time). ``found`` is the file's ``stat``
        when taken already (False: none to be had; True: to be taken)."""
        row = self.notes.get(rel)
        if row is None or found is False:
            return False
        try:
            if found is True:
                found = path.stat()
            if not row.stamp_matches(found.st_size, found.st_mtime_ns):
                if content_hash(read_regular(path, self.limit)) != row.digest:
                    return False
                row = dataclasses.replace(row, size=found.st_size, mtime_ns=found.st_mtime_ns)
                self.notes[rel] = row
                self.database.put("notes", rel, astuple(row))
        except OSError:
            return False
        self.valid.add(rel)
        return True

    def keep(
        self, record: NoteRecord, stamp: tuple[int, int] | None, digest: bytes, encoded: str | None
    ) -> None:
        """Keep a record made from bytes of ``digest`` in a file of ``stamp`` (size, mtime;
        None: the file could not be looked at, and nothing is kept); ``encoded`` is the
        record's JSON when already made."""
        from vaultcheck.engine.verdicts import facts_digest

        if stamp is None:
            return
        facts = record.facts
        aliases = json.dumps(list(facts.aliases)) if facts is not None and facts.aliases else None
        row = NoteRow(
            *stamp, digest, facts_digest(facts), aliases, int(bool(record.suppressions)), record.frontmatter_end
        )
        rel = record.rel
        before = self.notes.get(rel)
        if before is None or before.facts_digest != row.facts_digest:
            self.generation = os.urandom(8)
            self.database.put("meta", "\0generation", (self.generation,))
        self.notes[rel] = row
        self.valid.add(rel)
        self.database.put("notes", rel, astuple(row))
        self.database.put("records", rel, (encoded if encoded is not None else record_json(record),))
        facts_text = None if facts is None else json.dumps(encode_facts(facts), separators=(",", ":"))
        self.database.put("facts", rel, (facts_text,))

    def records(self, wanted: dict[str, Path]) -> dict[str, NoteRecord]:
        """The stored records of the notes ``wanted`` (vault path -> path); a record that
        does not decode or names another file is left out."""
        found: dict[str, NoteRecord] = {}
        for rel, text in self.database.records(wanted).items():
            try:
                record = record_from_json(text)
            except _UNDECODABLE:
                continue
            if record.path == wanted[rel] and record.rel == rel:
                found[rel] = record
        return found

    def results(self, rels: Iterable[str] | None) -> dict[str, ResultRow]:
        return self.database.results(rels)

    def put_result(self, rel: str, world: bytes, deps: str, stored: Stored, tracked: bool) -> None:
        """Keep what is reported for a note, judged in ``world`` against the targets ``deps``
        (``tracked``: all of them notes this store has rows for, so that a change of their
        facts changes the generation)."""
        rules = json.dumps(stored.rules, separators=(",", ":"))
        generation = self.generation if tracked else b""
        values = (world, deps, stored.lines, stored.packed, rules, stored.fixable, stored.errors, generation)
        self.database.put("results", rel, values)

    def confirm(self, rel: str) -> None:
        """The result of the note at ``rel`` was found to hold at this generation."""
        self.database.confirmed[rel] = self.generation

    def forget_all_but(self, kept: Iterable[str]) -> None:
        """Drop the rows of notes that are gone (after a run over the whole vault)."""
        gone = set(self.notes) - set(kept)
        for rel in gone:
            del self.notes[rel]
        self.database.drop(gone)

    def aliases(self, key: str) -> tuple[str, ...] | None:
        """The aliases of the note at normalised vault path ``key``, when this run found its
        row true; None otherwise."""
        rel = self._keys().get(key)
        if rel is None or not self._true(rel):
            return None
        text = self.notes[rel].aliases
        if text is None:
            return ()
        try:
            return tuple(alias for alias in json.loads(text) if isinstance(alias, str))
        except ValueError:
            return None

    def facts_digest(self, key: str) -> bytes | None:
        """The facts hash of the note at normalised vault path ``key``, when this run found
        its row true (or wrote it); None otherwise."""
        rel = self._keys().get(key)
        return self.notes[rel].facts_digest if rel is not None and self._true(rel) else None

    def _true(self, rel: str) -> bool:
        """Whether the row of the note at ``rel`` holds for the file (a note outside the
        run's paths is looked at once: same size and modification time)."""
        if rel in self.valid:
            return True
        if rel in self.checked:
            return False
        self.checked.add(rel)
        row = self.notes[rel]
        try:
            found = os.stat(os.path.join(self.vault_root, rel), follow_symlinks=False)
        except OSError:
            return False
        if not stat.S_ISREG(found.st_mode) or not row.stamp_matches(found.st_size, found.st_mtime_ns):
            return False
        self.valid.add(rel)
        return True

    def stored_facts(self) -> StoredFactsView:
        """The facts of the stored notes, for link targets (see
        :meth:`~vaultcheck.links.facts.FactsCache.of`), read one by one when asked."""
        return StoredFactsView(self)

    def _keys(self) -> dict[str, str]:
        if self._by_key is None:
            from vaultcheck.vault.files import normalize_path

            self._by_key = {normalize_path(rel): rel for rel in self.notes}
        return self._by_key

    def save(self) -> None:
        """Write what changed; never fails the run."""
        try:
            if self.root.is_dir():  # mend a .gitignore a failed first write left wrong
                keep_gitignore(self.root)
            self.database.commit()
        except (OSError, StoreUnusable):
            return


class StoredFactsView(Mapping[str, "StoredFacts"]):
    """Stored link facts by normalised vault path, decoded when asked for."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __getitem__(self, key: str) -> StoredFacts:
        rel = self.store._keys().get(key)
        if rel is None:
            raise KeyError(key)
        row = self.store.notes[rel]
        text = self.store.database.facts(rel)
        if text is None:
            raise KeyError(key)
        try:
            return StoredFacts(row.size, row.mtime_ns, decode_facts(json.loads(text)))
        except (*_UNDECODABLE, StoreUnusable):
            raise KeyError(key) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.store._keys())

    def __len__(self) -> int:
        return len(self.store.notes)


def _read_dict(file: Path) -> dict[str, Any]:
    """The JSON object in ``file``; empty when missing or damaged."""
    value = read_json(file)
    return value if isinstance(value, dict) else {}


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
    package = Path(__file__).parents[1]
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


