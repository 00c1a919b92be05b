"""What links need to know about a target note, collected once per note per run.

A link ``[[note#Heading]]`` needs the headings of ``note``; ``[[note#^id]]`` its block ids;
the hint for ``[[Some Alias]]`` the ``aliases`` of every note. :class:`FactsCache` keeps
these facts per vault path: the note being checked gives its own (the runner already
parsed it), any other note is read at most once per run, and never through a symlink
(a symlinked note could lead outside the vault; its headings are simply not checked).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from vaultcheck.core.reading import read_regular
from vaultcheck.links.headings import heading_key
from vaultcheck.note.note import Note
from vaultcheck.vault.files import FileIndex, VaultFile, normalize_path

_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


class NoteFacts:
    """The headings (``(level, text)`` in order), block ids and aliases of one note.

    Aliases come from the frontmatter, cheap to load. Headings and block ids need the
    Markdown parse: done at once when ``parse`` is true (the note being checked, parsed
    anyway), else on first use, keeping the note's text until then so that the note is
    never read twice; the text is dropped once parsed.
    """

    def __init__(self, note: Note, parse: bool) -> None:
        self.aliases = _aliases(note) if note.error is None else ()
        self._note: Note | None = note
        self._headings: tuple[tuple[int, str], ...] = ()
        self._block_ids: tuple[str, ...] = ()
        if parse:
            self._parse()

    @classmethod
    def known(
        cls, headings: tuple[tuple[int, str], ...], block_ids: tuple[str, ...], aliases: tuple[str, ...]
    ) -> NoteFacts:
        """Facts collected in an earlier run (kept in the cache)."""
        facts = cls.__new__(cls)
        facts.aliases, facts._note = aliases, None
        facts._headings, facts._block_ids = headings, block_ids
        return facts

    @property
    def parsed(self) -> bool:
        return self._note is None

    def _parse(self) -> None:
        note, self._note = self._note, None
        if note is None or note.error is not None:
            return
        syntax = note.syntax
        self._headings = tuple((heading.level, heading.text) for heading in syntax.headings)
        self._block_ids = tuple(block.id for block in syntax.block_ids)

    @property
    def headings(self) -> tuple[tuple[int, str], ...]:
        self._parse()
        return self._headings

    @property
    def block_ids(self) -> tuple[str, ...]:
        self._parse()
        return self._block_ids

    @cached_property
    def heading_keys(self) -> list[tuple[int, str]]:
        """The headings as links compare them; worked out once, as many links may ask."""
        return [(level, heading_key(text)) for level, text in self.headings]

    def has_block(self, block_id: str) -> bool:
        """Obsidian looks block ids up case-insensitively."""
        wanted = block_id.lower()
        return any(block.lower() == wanted for block in self.block_ids)


def _aliases(note: Note) -> tuple[str, ...]:
    """The ``aliases`` of a note's frontmatter.

    Most notes have none: a note whose text never spells the key is not YAML-parsed,
    which keeps the first alias lookup of a run (every note of the vault) cheap.
    """
    if "aliases" not in note.text:
        return ()
    data = note.frontmatter.data or {}
    value = data.get("aliases")
    values: Iterable[object] = value if isinstance(value, list) else [value]
    return tuple(alias.strip() for alias in values if isinstance(alias, str) and alias.strip())


def _read_in_vault(path: Path) -> bytes | None:
    """The bytes of a vault file, refusing to follow a symlink; None when unreadable (or
    no regular file, or over the default size limit: see :func:`read_regular`)."""
    try:
        if not _NO_FOLLOW and path.is_symlink():
            return None
        return read_regular(path, extra_flags=_NO_FOLLOW)
    except OSError:
        return None


class FactsCache:
    """Facts of the notes of one vault, each note read at most once per run."""

    def __init__(self, root: Path, index: FileIndex) -> None:
        self.root = root
        self.index = index
        self.reads = 0
        self._facts: dict[str, NoteFacts | None] = {}
        self._aliases: dict[str, list[VaultFile]] | None = None
        #: Facts of earlier runs (from the cache), used while their file is untouched.
        self.stored: Mapping[str, StoredFacts] = {}
        #: The aliases of a note by vault path when known without reading it (from the
        #: cache, while its file is untouched); None when not known.
        self.known_aliases: Callable[[str], Iterable[str] | None] = lambda path: None

    def record(self, note: Note) -> NoteFacts:
        """The facts of a note the runner has parsed: taken from it, never read again.

        Facts read earlier but not parsed yet are replaced, so their text is freed and
        the parse the runner has done serves.
        """
        key = normalize_path(note.rel)
        facts = self._facts.get(key)
        if facts is None or not facts.parsed:
            facts = self._facts[key] = NoteFacts(note, parse=True)
        return facts

    def add(self, rel: str, facts: NoteFacts) -> None:
        """Facts collected elsewhere (a worker process, the cache) for the note at ``rel``."""
        self._facts[normalize_path(rel)] = facts

    def known(self, rel: str) -> NoteFacts:
        """The facts :meth:`add` gave for the note at ``rel``."""
        facts = self._facts[normalize_path(rel)]
        assert facts is not None
        return facts

    def of(self, file: VaultFile) -> NoteFacts | None:
        """The facts of a note of the index; None when it cannot be read (or is a symlink)."""
        if file.path not in self._facts:
            self._facts[file.path] = self._load(file)
        return self._facts[file.path]

    def _load(self, file: VaultFile) -> NoteFacts | None:
        if file.symlink:
            return None
        path = self.root / file.path
        stored = self.stored.get(file.path)
        if stored is not None and stored.still_true(path):
            return stored.facts
        self.reads += 1
        raw = _read_in_vault(path)
        if raw is None:
            return None
        return NoteFacts(Note.from_bytes(path, file.path, raw), parse=False)

    def notes_with_alias(self, alias: str) -> list[VaultFile]:
        """The notes listing ``alias`` in their ``aliases`` (case-insensitive).

        The first call reads the facts of every note (once, as for any other use).
        """
        if self._aliases is None:
            self._aliases = defaultdict(list)
            for file in self.index.files:
                for name in self.aliases(file) if file.is_note else ():
                    self._aliases[name.lower()].append(file)
        return self._aliases.get(alias.strip().lower(), [])

    def aliases(self, file: VaultFile) -> tuple[str, ...]:
        """The aliases of a note of the index (none for one that cannot be read)."""
        if file.path not in self._facts:
            known = self.known_aliases(file.path)
            if known is not None:
                return tuple(known)
        facts = self.of(file)
        return facts.aliases if facts is not None else ()


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


