"""Every link of a note, checked once: what it resolves to and what is wrong with it.

The link rules (``broken-link``, ``broken-heading``, ``broken-block-ref``,
``missing-attachment``, ``ambiguous-link``) each report one kind of
:class:`CheckedLink`; :func:`checked_links` does the work once per note for all of them.
The per-run state (the file index, facts of target notes, near-name suggestions)
lives in a :class:`LinkContext` held by the vault.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from vaultcheck.links.headings import BLOCK_ID, block_part, find_heading, heading_parts
from vaultcheck.links.resolve import Resolution, is_relative, resolve
from vaultcheck.links.source import LinkSource
from vaultcheck.links.suggest import NameSuggester
from vaultcheck.links.targets import FactsCache, NoteFacts
from vaultcheck.note.note import Note
from vaultcheck.note.syntax import parse_syntax
from vaultcheck.note.syntax.model import LinkRef
from vaultcheck.note.yaml_loader import KeyPath
from vaultcheck.vault.changes import Removal, removals
from vaultcheck.vault.files import FileIndex, git_ignored, note_name

if TYPE_CHECKING:
    from vaultcheck.vault.vault import Vault

#: Files Obsidian opens or embeds, and the documents people attach to notes. A target
#: with one of these extensions names an attachment; any other dot is part of a note's
#: name (``[[Dr. Smith]]``, ``[[v1.2 notes]]``).
ATTACHMENT_EXTENSIONS = frozenset(
    [
        *("avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp", "heic", "tif", "tiff"),
        *("ico", "flac", "m4a", "mp3", "ogg", "wav", "webm", "3gp", "opus", "aac", "mkv"),
        *("mov", "mp4", "ogv", "avi", "pdf", "canvas", "base", "excalidraw", "csv", "tsv"),
        *("txt", "json", "xml", "html", "htm", "doc", "docx", "xls", "xlsx", "ppt", "pptx"),
        *("odt", "ods", "odp", "rtf", "epub", "zip"),
    ]
)


def is_attachment_target(target: str) -> bool:
    """True when a link target names a file other than a note, by its extension."""
    name = target.rstrip("/").rsplit("/", 1)[-1]
    stem, dot, extension = name.rpartition(".")
    return bool(dot and stem) and extension.lower() in ATTACHMENT_EXTENSIONS


class Status(enum.Enum):
    """What is wrong with a link, if anything."""

    OK = "ok"
    NO_FILE = "no file"
    OUTSIDE = "outside the vault"
    URL = "a web address written as a vault link"
    SPLIT = "split across lines"
    NO_HEADING = "no such heading"
    NO_BLOCK = "no such block"


@dataclass(frozen=True)
class CheckedLink:
    """One link and its verdict.

    ``link`` is None for a ``[[`` closed only on a later line (``status`` SPLIT), which
    Obsidian does not read as a link. ``resolution`` is None for links into the same note.
    ``facts`` are the target note's, when it is a note that could be read.
    """

    start: int
    end: int
    status: Status
    link: LinkRef | None = None
    resolution: Resolution | None = None
    facts: NoteFacts | None = None

    @property
    def is_note_target(self) -> bool:
        """True unless the link names an attachment (``img.png``, ``report.pdf``)."""
        return self.resolution is None or not is_attachment_target(self.resolution.path)

    @property
    def target_key(self) -> str:
        """The lower-case name the link asks for (``Folder/My Note.md`` -> ``my note``)."""
        if self.resolution is None:
            return ""
        return note_name(self.resolution.path).lower()


class LinkContext:
    """The link-checking state of one run of one vault.

    ``only`` restricts the links reported for a note to those asking for some names:
    notes outside the checked paths are checked only for links to notes the change
    removes (see :mod:`vaultcheck.links.changes`).
    """

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.only: dict[str, frozenset[str]] = {}
        #: The commit ``--diff-base`` compares with; None: the staged or pre-commit change.
        self.diff_base: str | None = None
        self._last: tuple[LinkSource, tuple[CheckedLink, ...]] | None = None
        self.resolve = lru_cache(maxsize=None)(self._resolve)
        self._resolve_anywhere = lru_cache(maxsize=None)(self._anywhere)

    @property
    def index(self) -> FileIndex:
        return self.vault.files

    @cached_property
    def facts(self) -> FactsCache:
        return FactsCache(self.vault.root, self.index)

    @cached_property
    def suggester(self) -> NameSuggester:
        return NameSuggester(self.index)

    @cached_property
    def disk(self) -> FileIndex:
        """The files on disk that ``git add`` would take, to tell a contributor a link works
        only on their machine (a file git ignores is no such hint)."""
        if not self.index.tracked_by_git:
            return self.index
        return FileIndex.from_disk(self.vault.root, leave_out=git_ignored(self.vault.root))

    @cached_property
    def removed(self) -> dict[str, list[Removal]]:
        """The files the change being checked deletes or renames, by the name links use."""
        found: dict[str, list[Removal]] = defaultdict(list)
        for removal in removals(self.vault.root, self.diff_base):
            found[note_name(removal.path).lower()].append(removal)
        return found

    def _resolve(self, target: str, folder: str) -> Resolution:
        """Resolution depends on the linking note only through its folder, and only for a
        relative target or one that several files match: cached by target alone otherwise."""
        if not is_relative(target):
            anywhere = self._resolve_anywhere(target)
            if len(anywhere.candidates) < 2:
                return anywhere
        return resolve(target, f"{folder}/" if folder else "", self.index)

    def _anywhere(self, target: str) -> Resolution:
        return resolve(target, "", self.index)

    def checked_links(self, note: LinkSource) -> tuple[CheckedLink, ...]:
        """The links of a note, checked; computed once for the rules that ask in turn.

        The note's own facts (for links into itself) are known first: given by a worker
        or the store (:meth:`FactsCache.add`), or recorded from the note
        (:meth:`FactsCache.record`)."""
        if self._last is None or self._last[0] is not note:
            checked = tuple(self._check(note))
            wanted = self.only.get(note.rel)
            if wanted is not None:
                checked = tuple(item for item in checked if item.target_key in wanted)
            self._last = (note, checked)
        return self._last[1]

    def _check(self, source: LinkSource) -> Iterator[CheckedLink]:
        own = self.facts.known(source.rel)
        for link in source.links:
            if link.is_external or not (link.target or link.subpath):
                continue
            yield self._check_link(source, own, link)
        for start, end, _text in source.splits:
            yield CheckedLink(start, end, Status.SPLIT)

    def prepare(self, source: LinkSource) -> None:
        """Resolve the links of a note and find near names for those that resolve to
        nothing: the part of checking that needs no other note's facts, done while the
        other notes are still being parsed (see :mod:`vaultcheck.engine.pool`)."""
        folder = source.rel.rpartition("/")[0]
        for link in source.links:
            if link.is_external or not link.target:
                continue
            resolution = self.resolve(link.target, folder)
            if resolution.file is None and not resolution.outside and not looks_like_url(link.target):
                path = resolution.path
                self.suggester.near(note_name(path), not is_attachment_target(path))

    def _check_link(self, note: LinkSource, own: NoteFacts, link: LinkRef) -> CheckedLink:
        if not link.target:
            return CheckedLink(link.start, link.end, _subpath_status(link, own), link, None, own)
        resolution = self.resolve(link.target, note.rel.rpartition("/")[0])
        if resolution.file is None:
            status = _missing_status(link, resolution)
            return CheckedLink(link.start, link.end, status, link, resolution)
        facts = self.facts.of(resolution.file) if resolution.file.is_note else None
        status = _subpath_status(link, facts) if facts is not None else Status.OK
        return CheckedLink(link.start, link.end, status, link, resolution, facts)


def _missing_status(link: LinkRef, resolution: Resolution) -> Status:
    """Why no file matches: a climb out of the vault, a web address, or no such file."""
    if resolution.outside:
        return Status.OUTSIDE
    if looks_like_url(link.target):
        return Status.URL
    return Status.NO_FILE


def _subpath_status(link: LinkRef, facts: NoteFacts) -> Status:
    block = block_part(link.subpath)
    if block is not None:
        valid = BLOCK_ID.fullmatch(block) is not None
        return Status.OK if valid and facts.has_block(block) else Status.NO_BLOCK
    parts = heading_parts(link.subpath)
    if not parts or find_heading(facts.heading_keys, parts):
        return Status.OK
    return Status.NO_HEADING


def link_source(note: Note) -> LinkSource:
    """What the link rules need of a note: its links, split links and line starts."""
    splits = []
    for start in note.syntax.split_links:
        end = note.text.find("\n", start)
        end = len(note.text) if end < 0 else end
        splits.append((start, end, note.text[start:end]))
    links = (*frontmatter_links(note), *note.syntax.links)
    return LinkSource(note.path, note.rel, links, tuple(splits), note.lines)


def frontmatter_links(note: Note) -> Iterator[LinkRef]:
    """The ``[[...]]`` written in string values of the frontmatter, as Obsidian indexes
    them (``related: "[[Other note]]"``, lists of them), at their place in the file.

    A value is parsed as the body of a note would be; each link is then found in the
    YAML source after its key (or at the key, when YAML quoting changed its spelling).
    """
    frontmatter = note.frontmatter
    if not frontmatter.data:
        return
    for path, value in _strings(frontmatter.data, ()):
        line, column = frontmatter.position_of(path)
        cursor = note.lines.offset(line, column)
        for link in parse_syntax(value, 0).links:
            if link.kind != "wikilink":
                continue
            found = note.text.find(link.raw, cursor, frontmatter.yaml_end)
            start = cursor if found < 0 else found
            end = start if found < 0 else found + len(link.raw)
            cursor = end
            yield dataclasses.replace(link, start=start, end=end)


def _strings(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    """Every string in a loaded YAML value, with its key path."""
    if isinstance(value, str):
        if "[[" in value:
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _strings(item, (*path, number))


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]+://|(?:mailto|tel):|www\.", re.IGNORECASE)


def looks_like_url(target: str) -> bool:
    """``https://...``, ``mailto:...``, ``www.``: a web address, not a note."""
    return _URL.match(target) is not None
