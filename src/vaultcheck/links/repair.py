"""Repairs for broken links: the new spelling of a link, as edits of its target's text.

Three repairs, each a :class:`~vaultcheck.problem.Fix` on the problem of the link:

* **Moved files** (safe). A link that resolved to a file before the change (see
  :mod:`vaultcheck.vault.before`) and resolves to nothing now names where the file went: a
  bare name stays a bare name when the new name is unique in the vault, else it becomes
  the shortest path that resolves uniquely or the form ``.obsidian/app.json`` asks for
  (``newLinkFormat``: ``shortest``, ``relative``, ``absolute``); a link written as the
  whole vault path, or as a relative path, keeps that form. ``.md`` is written when it
  was; a Markdown destination stays URL-encoded as it was.
* **Renamed headings** (safe). When the change edits a note so that exactly one heading
  disappears and one appears at the same place of its outline (same position, same
  level), a link to the old heading names the new one.
* **Near names** (unsafe, ``--unsafe-fixes``). A link to no file whose name is one slip
  away from exactly one file's name links to that file, the text the reader saw kept as
  the alias: ``[[Brain fog]]`` -> ``[[brain_fog_causes|Brain fog]]``.

Only the characters of the target (or the heading) change: what follows it (``#heading``,
``#^block``, ``|alias``, an embed's size) stays as written. A repair is offered only when
the new link resolves to the intended file, and to no other: anything less clear is
reported, not rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote, unquote

from vaultcheck.core.problem import Edit, Fix
from vaultcheck.links.headings import block_part, find_heading, heading_key, heading_parts, linkable
from vaultcheck.links.resolve import Resolution, is_relative, resolve
from vaultcheck.links.source import LinkSource
from vaultcheck.note.note import Note
from vaultcheck.note.syntax.model import LinkRef
from vaultcheck.note.wikilinks import WIKILINK_SPACE, split_wikilink
from vaultcheck.vault.before import Change, earlier_bytes
from vaultcheck.vault.files import FileIndex, VaultFile, normalize_path, note_name, spelled

if TYPE_CHECKING:
    from vaultcheck.links.suggest import NameSuggester
    from vaultcheck.links.targets import FactsCache, NoteFacts
    from vaultcheck.vault.vault import Vault

NOTE_SUFFIX = ".md"
#: What a frontmatter value around a link could not hold unquoted, or in its quotes.
_YAML_UNSAFE = re.compile(r"[\"'\\#:]")
#: What a Markdown destination written without ``<...>`` cannot hold as it is.
_DESTINATION_UNSAFE = re.compile(r"[\s()<>%#]")


@dataclass(frozen=True)
class Repair:
    """What a repair says of a broken link: ``fix`` (None when the link is only reported)
    and the words that explain it, for the problem's message."""

    fix: Fix | None
    message: str


@dataclass(frozen=True)
class Span:
    """Where a link's target path (``start:end`` of its raw text) and its subpath are
    written, and how: ``written`` as in the file, ``encoded`` for a Markdown destination
    holding ``%`` escapes, ``angled`` for one in ``<...>``."""

    start: int
    end: int
    written: str
    sub_start: int
    sub_end: int
    encoded: bool = False
    angled: bool = False


def target_span(link: LinkRef) -> Span | None:
    """Where the target of ``link`` is written in its raw text; None when the raw text
    does not read back as the link's target (a link found in a frontmatter value whose
    YAML quoting changed its spelling), so that no edit can be placed."""
    if link.end - link.start != len(link.raw):
        return None
    if link.kind == "wikilink":
        return _wikilink_span(link)
    return _markdown_span(link)


def _wikilink_span(link: LinkRef) -> Span | None:
    parts = split_wikilink(link.raw, False)
    head = parts.target
    lead = len(head) - len(head.lstrip(WIKILINK_SPACE))
    path, hash_sign, subpath = head[lead:].partition("#")
    written = path.rstrip(WIKILINK_SPACE)
    if written.strip() != link.target:
        return None
    start = len(parts.opening) + lead
    sub_start = start + len(path) + len(hash_sign)
    sub_end = sub_start + len(subpath.rstrip(WIKILINK_SPACE)) if hash_sign else sub_start
    return Span(start, start + len(written), written, sub_start, sub_end)


def _markdown_span(link: LinkRef) -> Span | None:
    raw = link.raw
    if not raw.endswith(")"):
        return None
    at = raw.find("](")
    while at >= 0:
        found = _destination(raw, at + 2, link)
        if found is not None:
            return found
        at = raw.find("](", at + 1)
    return None


def _destination(raw: str, start: int, link: LinkRef) -> Span | None:
    region = raw[start:-1]
    lead = len(region) - len(region.lstrip())
    begin = start + lead
    angled = raw.startswith("<", begin)
    if angled:
        close = raw.find(">", begin)
        if close < 0:
            return None
        whole = raw[begin + 1 : close]
        begin += 1
    else:
        whole = re.split(r"\s", raw[begin:-1], maxsplit=1)[0]
    path, hash_sign, subpath = whole.partition("#")
    if unquote(path) != link.target:
        return None
    sub_start = begin + len(path) + len(hash_sign)
    sub_end = sub_start + len(subpath) if hash_sign else sub_start
    return Span(begin, begin + len(path), path, sub_start, sub_end, "%" in path, angled)


def in_table_row(note: LinkSource, link: LinkRef) -> bool:
    """Whether ``link`` sits in a table row, where a pipe added to it must be escaped or
    it would end the cell."""
    return any(start <= link.start < end for start, end in note.table_rows)


def _in_frontmatter(note: LinkSource, link: LinkRef) -> bool:
    return link.start < note.frontmatter_end


def _encode(text: str, span: Span) -> str:
    """``text`` (a path or heading) as the destination ``span`` writes it."""
    if span.encoded and text.isascii():
        return quote(text, safe="/")
    if span.angled:
        return text.replace("<", "%3C").replace(">", "%3E").replace("#", "%23")
    return _DESTINATION_UNSAFE.sub(lambda match: quote(match.group(), safe=""), text)


def _replacement(note: LinkSource, link: LinkRef, span: Span, text: str) -> str | None:
    """What to write over a span for the target ``text``: as it is in a wikilink, encoded
    in a Markdown destination; None when the link or a frontmatter value around it could
    not hold it as it is (a wikilink ends at ``]]`` or ``|``, and its target at ``#``)."""
    new = _encode(text, span) if link.kind == "markdown" else text
    if link.kind == "wikilink" and any(mark in new for mark in ("]]", "|", "#")):
        return None
    if _in_frontmatter(note, link) and _YAML_UNSAFE.search(new):
        return None
    return new


def relative_spelling(path: str, folder: str) -> str:
    """``path`` (a vault path) from ``folder``: ``../b/Note``, ``./sub/Note``."""
    mine = [part for part in folder.split("/") if part]
    theirs = path.split("/")
    common = 0
    while common < min(len(mine), len(theirs) - 1) and mine[common] == theirs[common]:
        common += 1
    up = [".."] * (len(mine) - common)
    return "/".join([*(up or ["."]), *theirs[common:]])


def link_form(written: str, old_path: str) -> str:
    """The form a link's target is written in: ``relative`` (``./``, ``../``),
    ``absolute`` (the whole vault path), ``path`` (a tail of it) or ``name``."""
    if is_relative(written):
        return "relative"
    normal = normalize_path(written).lower()
    if "/" not in normal:
        return "name"
    old = old_path.lower()
    return "absolute" if normal in (old, spelled(old_path).lower()) else "path"


class Suggests(Protocol):
    def link_text(self, file: VaultFile) -> str: ...


class Checked(Protocol):
    """A link and its verdict (a :class:`~vaultcheck.links.check.CheckedLink`)."""

    @property
    def link(self) -> LinkRef | None: ...

    @property
    def resolution(self) -> Resolution | None: ...

    @property
    def facts(self) -> NoteFacts | None: ...

    @property
    def is_note_target(self) -> bool: ...


class Links(Protocol):
    """What repairs use of the run's link state (a :class:`~vaultcheck.links.check.LinkContext`)."""

    guesses: bool

    @property
    def vault(self) -> Vault: ...

    @property
    def index(self) -> FileIndex: ...

    @property
    def suggester(self) -> NameSuggester: ...

    @property
    def facts(self) -> FactsCache: ...


def spelling(
    written: str, old_path: str, new: VaultFile, source: str, suggester: Suggests, link_format: str
) -> str:
    """How a link written ``written`` (naming the file at ``old_path``) names ``new`` from
    the note at vault path ``source``, without the link's ``.md`` (added by the caller)."""
    form = link_form(written, old_path)
    if form in ("name", "path"):
        shortest = suggester.link_text(new)
        if form == "path" or "/" not in shortest:
            return shortest
        form = link_format
    if form == "absolute":
        return spelled(new.path)
    if form == "relative":
        return relative_spelling(spelled(new.path), source.rpartition("/")[0])
    return suggester.link_text(new)


def _with_suffix(written: str, new: VaultFile, text: str) -> str:
    """``text`` with ``.md`` when the link named its note with it."""
    return text + NOTE_SUFFIX if new.is_note and written.lower().endswith(NOTE_SUFFIX) else text


def _resolves_to(text: str, source: str, index: FileIndex, file: VaultFile) -> bool:
    """Whether a target resolves to ``file`` alone, from the note at ``source``."""
    found = resolve(text, source, index)
    return found.file is not None and found.file.path == file.path and not found.ambiguous


def rewritten(link: LinkRef, edits: tuple[Edit, ...]) -> str:
    """The raw text of ``link`` once ``edits`` (offsets into the note) are applied."""
    raw = link.raw
    for edit in sorted(edits, key=lambda edit: edit.start, reverse=True):
        raw = raw[: edit.start - link.start] + edit.replacement + raw[edit.end - link.start :]
    return raw


def _retarget(
    context: Links, note: LinkSource, link: LinkRef, old_path: str, new: VaultFile, link_format: str
) -> tuple[Edit, ...] | str:
    """The edits that make ``link`` name ``new`` instead of the file at ``old_path``, or
    why it is not rewritten."""
    span = target_span(link)
    if span is None:
        return "its text does not read back as the link (YAML quoting), so it is not rewritten"
    text = spelling(span.written, old_path, new, note.rel, context.suggester, link_format)
    text = _with_suffix(link.target, new, text)
    if not _resolves_to(text, note.rel, context.index, new):
        return f"{text} would be ambiguous, so the link is not rewritten: choose the file"
    replacement = _replacement(note, link, span, text)
    if replacement is None:
        return f"{text} cannot be written inside this link as it stands, so it is not rewritten"
    return (Edit(link.start + span.start, link.start + span.end, replacement),)


class Repairs:
    """The link repairs of one run, from the change being checked."""

    def __init__(self, context: Links, change: Change, link_format: str) -> None:
        self.context = context
        self.change = change
        self.link_format = link_format
        self._outlines: dict[str, tuple[str, str] | None] = {}

    @cached_property
    def earlier_index(self) -> FileIndex:
        """The files of the vault as they were before the change."""
        change = self.change
        gone = set(change.renamed.values()) | change.added
        files = [(file.path, file.symlink) for file in self.context.index.files if file.path not in gone]
        files += [(path, False) for path in (*change.renamed, *change.deleted)]
        return FileIndex.from_paths(files, self.context.index.tracked_by_git)

    def moved(self, checked: Checked, note: LinkSource) -> Repair | None:
        """The repair of a link that no longer resolves because the change moved its
        file (or the note holding it, for a relative link); None when the change has
        nothing to do with it."""
        link = checked.link
        if link is None or not self.change.renamed:
            return None
        change = self.change
        earlier: Resolution = resolve(link.target, change.earlier_path(note.rel), self.earlier_index)
        if earlier.file is None:
            return None
        old = earlier.file.path
        if old in change.deleted:
            return None
        new_path = change.renamed.get(old, old)
        what = f"this change renames {old} to {new_path}" if old != new_path else (
            f"this change moves this note from {change.earlier_path(note.rel)}"
        )
        if earlier.ambiguous:
            return Repair(None, f"{what}, but the link matched several files before; link to one")
        found = self.context.index.at(new_path)
        if len(found) != 1:
            return Repair(None, f"{what}, and several files have that path now: choose one")
        edits = _retarget(self.context, note, link, old, found[0], self.link_format)
        if isinstance(edits, str):
            return Repair(None, f"{what}; {edits}")
        return Repair(Fix(edits), f"{what}; link as {rewritten(link, edits)}")

    def renamed_heading(self, path: str) -> tuple[str, str] | None:
        """``(old, new)`` when the change edits the note at ``path`` so that exactly one
        heading disappears and one appears in its place (same position and level)."""
        if path not in self._outlines:
            self._outlines[path] = self._renamed_heading(path)
        return self._outlines[path]

    def renamed_heading_names(self) -> frozenset[str]:
        """The names (as links use them) of the notes the change renames a heading in."""
        return frozenset(
            note_name(path).lower()
            for path in self.change.edited
            if path.lower().endswith(NOTE_SUFFIX) and self.renamed_heading(path) is not None
        )

    def _renamed_heading(self, path: str) -> tuple[str, str] | None:
        change = self.change
        if path not in change.edited:
            return None
        context = self.context
        found = context.index.at(path)
        facts = context.facts.of(found[0]) if len(found) == 1 else None
        raw = earlier_bytes(context.vault.root, change, change.earlier_path(path))
        if facts is None or raw is None:
            return None
        earlier = Note.from_bytes(context.vault.root / path, path, raw)
        if earlier.error is not None:
            return None
        before = [(heading.level, heading.text) for heading in earlier.syntax.headings]
        return outline_change(before, list(facts.headings))

    def heading(self, checked: Checked, note: LinkSource) -> Repair | None:
        """The repair of a link to a heading the change renamed; None when there is none."""
        link = checked.link
        if link is None or block_part(link.subpath) is not None or not self.change.edited:
            return None
        path = note.rel if checked.resolution is None else (
            checked.resolution.file.path if checked.resolution.file is not None else None
        )
        renamed = self.renamed_heading(normalize_path(path)) if path else None
        if renamed is None or checked.facts is None:
            return None
        old, new = renamed
        parts = heading_parts(link.subpath)
        old_key = heading_key(old)
        if not any(heading_key(part) == old_key for part in parts):
            return None
        what = f'this change renames the heading "{old}" to "{new}"'
        span = target_span(link)
        if span is None or span.sub_end <= span.sub_start:
            return Repair(None, what)
        written = link.raw[span.sub_start : span.sub_end]
        pieces = written.split("#")
        if link.kind == "markdown":
            new_pieces = [
                _encode(linkable(new), span) if heading_key(unquote(piece)) == old_key else piece
                for piece in pieces
            ]
        else:
            new_pieces = [linkable(new) if heading_key(piece) == old_key else piece for piece in pieces]
        subpath = "#".join(new_pieces)
        reading = unquote(subpath) if link.kind == "markdown" else subpath
        if not find_heading(checked.facts.heading_keys, heading_parts(reading)):
            return Repair(None, what)
        if _in_frontmatter(note, link) and _YAML_UNSAFE.search(subpath):
            return Repair(None, what)
        edits = (Edit(link.start + span.sub_start, link.start + span.sub_end, subpath),)
        return Repair(Fix(edits), f"{what}; link as {rewritten(link, edits)}")

    def missing(self, checked: Checked, note: LinkSource) -> tuple[Repair | None, Fix | None]:
        """For a link to no file: the repair when the change moved its file, and the
        fix to offer (that repair's, else an unsafe one to a near name)."""
        repair = self.moved(checked, note)
        if repair is not None:
            return repair, repair.fix
        link = checked.link
        if not self.context.guesses or link is None:
            return None, None
        return None, self.near(checked, note, in_table_row(note, link))

    def near(self, checked: Checked, note: LinkSource, in_table: bool = False) -> Fix | None:
        """An unsafe fix: the link to the one file whose name is one slip away."""
        link, resolution = checked.link, checked.resolution
        if link is None or resolution is None:
            return None
        context = self.context
        file = context.suggester.clear_near(note_name(resolution.path), checked.is_note_target)
        span = target_span(link)
        if file is None or span is None:
            return None
        text = _with_suffix(link.target, file, context.suggester.link_text(file))
        replacement = _replacement(note, link, span, text)
        if replacement is None or not _resolves_to(text, note.rel, context.index, file):
            return None
        edits = [Edit(link.start + span.start, link.start + span.end, replacement)]
        if link.kind == "wikilink" and not link.embed and link.alias is None:
            seen = link.raw[span.start : span.sub_end].strip(WIKILINK_SPACE)
            pipe = "\\|" if in_table else "|"
            if "]" in seen or "|" in seen or _in_frontmatter(note, link) and _YAML_UNSAFE.search(seen):
                return None
            edits.append(Edit(link.start + span.sub_end, link.start + span.sub_end, pipe + seen))
        return Fix(tuple(edits), safe=False)


def outline_change(
    before: list[tuple[int, str]], after: list[tuple[int, str]]
) -> tuple[str, str] | None:
    """``(old, new)`` when ``after`` is ``before`` with exactly one heading replaced by
    another at the same position and level (and the old one nowhere else); else None.

    >>> outline_change([(1, "A"), (2, "Old")], [(1, "A"), (2, "New")])
    ('Old', 'New')
    >>> outline_change([(1, "A"), (2, "Old")], [(1, "B"), (2, "New")]) is None
    True
    """
    if len(before) != len(after):
        return None
    differ = [
        index
        for index, ((level, text), (new_level, new_text)) in enumerate(zip(before, after, strict=True))
        if level != new_level or heading_key(text) != heading_key(new_text)
    ]
    if len(differ) != 1:
        return None
    (level, old), (new_level, new) = before[differ[0]], after[differ[0]]
    old_key = heading_key(old)
    if level != new_level or not old_key or any(heading_key(text) == old_key for _, text in after):
        return None
    return old, new
