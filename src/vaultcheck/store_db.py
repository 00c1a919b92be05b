"""The store: one SQLite database per set of settings, holding what each note gave.

Per note (by vault path) it keeps:

- ``notes``: the file's size, modification time and content hash (what tells an
  unchanged note), the hash of its link facts and its aliases; read whole every run.
- ``records``: the note's record (:class:`~vaultcheck.records.NoteRecord` as JSON):
  its own problems, links and link facts; read only for a note whose links are judged
  again.
- ``facts``: its link facts alone, read when a link into it is judged.
- ``results``: everything reported for it, link problems included, as the text report
  prints it and as JSON (see :class:`~vaultcheck.found.Stored`), with what its link
  verdicts depend on: the ``world`` (the vault's file names, aliases, and what the
  change being checked removes) and the facts hash of each note it links to. A result
  serves while the note, its world and those hashes are what they were.

SQLite reads the few columns a run needs and writes only the rows that changed, in one
transaction (a concurrent run waits, or goes on without the store). A database that
does not open or does not hold exactly the tables this layout makes is made anew.
Only what the store's own tables hold is read: no trigger, view or function of the
file runs (``trusted_schema`` off), and it is never opened through a symlink.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from collections.abc import Mapping
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vaultcheck.records import NoteRecord
    from vaultcheck.runner import Selection
    from vaultcheck.vault import Vault

#: The layout of the tables; a database of another layout is made anew.
LAYOUT = 1

TABLES = {
    "notes": "CREATE TABLE notes (rel TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER,"
    " digest BLOB, facts_digest BLOB, aliases TEXT, directives INTEGER)",
    "records": "CREATE TABLE records (rel TEXT PRIMARY KEY, record TEXT)",
    "facts": "CREATE TABLE facts (rel TEXT PRIMARY KEY, facts TEXT)",
    "results": "CREATE TABLE results (rel TEXT PRIMARY KEY, world BLOB, deps TEXT, lines TEXT,"
    " encoded TEXT, rules TEXT, fixable INTEGER, errors INTEGER)",
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
    directives: int

    def stamp_matches(self, size: int, mtime_ns: int) -> bool:
        return self.size == size and self.mtime_ns == mtime_ns


@dataclass(frozen=True)
class ResultRow:
    """What the ``results`` table says of one note."""

    world: bytes
    deps: str
    lines: str
    encoded: str
    rules: str
    fixable: int
    errors: int

    def block(self, path: Path) -> Stored:
        """The stored problems as a block of :class:`~vaultcheck.found.Found`; raises
        ValueError when the row is not what this layout writes."""
        rules = tuple((rule, count) for rule, count in json.loads(self.rules))
        fields_ok = (
            isinstance(self.lines, str) and isinstance(self.encoded, str)
            and type(self.fixable) is int and type(self.errors) is int
            and all(type(rule) is str and type(count) is int and count > 0 for rule, count in rules)
        )
        if not fields_ok or self.lines.count("\n") != sum(count for _rule, count in rules):
            raise ValueError("not a stored result")
        if self.lines and not self.lines.endswith("\n"):
            raise ValueError("not a stored result")
        return Stored(path, self.lines, self.encoded, rules, self.fixable, self.errors)

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
            rel: NoteRow(*values)
            for rel, *values in self._select(
                "SELECT rel, size, mtime_ns, digest, facts_digest, aliases, directives FROM notes"
            )
        }

    def results(self, rels: Iterable[str] | None = None) -> dict[str, ResultRow]:
        """The stored results of ``rels`` (of every note when None)."""
        query = "SELECT rel, world, deps, lines, encoded, rules, fixable, errors FROM results"
        rows = self._select(query) if rels is None else self._select_keys(query, rels)
        return {rel: ResultRow(*values) for rel, *values in rows}

    def records(self, rels: Iterable[str]) -> dict[str, str]:
        return dict(self._select_keys("SELECT rel, record FROM records", rels))

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
        if not self.pending and not self.dropped:
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
                            ((rel, *values) for rel, values in rows.items()),
                        )
                    if self.dropped:
                        self.connection.executemany(
                            f"DELETE FROM {table} WHERE rel = ?", ((rel,) for rel in self.dropped)
                        )
        except sqlite3.Error as error:
            raise StoreUnusable(str(error)) from None
        self.pending.clear()
        self.dropped.clear()

    def close(self) -> None:
        self.connection.close()

    def _select(self, query: str) -> list[Any]:
        try:
            return self.connection.execute(query).fetchall()
        except sqlite3.Error as error:
            raise StoreUnusable(str(error)) from None

    def _select_keys(self, query: str, rels: Iterable[str]) -> Iterator[Any]:
        keys = list(rels)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                yield from self.connection.execute(f"{query} WHERE rel IN ({marks})", chunk).fetchall()
            except sqlite3.Error as error:
                raise StoreUnusable(str(error)) from None


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


# ---- run-level store (to join the cache module) ----
from vaultcheck import __version__  # noqa: E402
from vaultcheck.cache import (  # noqa: E402
    _UNDECODABLE,
    CACHE_FOLDER,
    StoredFacts,
    check_cache_folder,
    content_hash,
    decode_facts,
    encode_facts,
    record_from_json,
    record_json,
    settings_key,
)
from vaultcheck.cache_format import keep_gitignore, make_folders  # noqa: E402
from vaultcheck.found import Stored  # noqa: E402
from vaultcheck.reading import read_regular  # noqa: E402
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
            return cls(folder, database, vault.root, vault.config.max_file_size, database.notes())
        except (OSError, StoreUnusable):
            return None

    @property
    def root(self) -> Path:
        """The cache folder this store lives in."""
        return self.folder.parent

    def unchanged(self, rel: str, path: Path) -> bool:
        """True when the note at ``path`` is what its stored row was made from: same size
        and modification time, else the same content hash (a file saved unchanged, a
        fresh checkout; its row then takes the new time)."""
        row = self.notes.get(rel)
        if row is None:
            return False
        try:
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

    def put_record(self, record: NoteRecord, stamp: tuple[int, int], digest: bytes, encoded: str | None) -> None:
        """Keep a record made from bytes of ``digest`` in a file of ``stamp`` (size, mtime);
        ``encoded`` is the record's JSON when already made."""
        from vaultcheck.verdicts import facts_digest

        facts = record.facts
        aliases = json.dumps(list(facts.aliases), ensure_ascii=False) if facts is not None and facts.aliases else None
        row = NoteRow(*stamp, digest, facts_digest(facts), aliases, int(record.directives))
        rel = record.rel
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

    def put_result(self, rel: str, world: bytes, deps: str, stored: Stored) -> None:
        rules = json.dumps(stored.rules, separators=(",", ":"))
        values = (world, deps, stored.lines, stored.encoded, rules, stored.fixable, stored.errors)
        self.database.put("results", rel, values)

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
            from vaultcheck.links.files import normalize_path

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
