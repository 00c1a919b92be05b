"""What :func:`vaultcheck.note.syntax.parse_syntax` finds in a note, as plain frozen records.

Every ``start``/``end`` is a character offset into the note's whole text (frontmatter
included, BOM excluded, original line endings kept), so ``text[start:end]`` is exactly
the source of the construct and a rule can turn it into a line and column, or an edit,
without knowing anything about the Markdown parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

# A URI scheme of two or more characters: ``https:``, ``mailto:``, ``obsidian:``. One
# letter is a Windows drive (``C:/notes/a.md``), a path rather than a URL.
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]+:")


def has_url_scheme(destination: str) -> bool:
    """Whether a Markdown link destination is a URL (``https://...``) rather than a vault path."""
    return _URL_SCHEME.match(destination) is not None


def split_destination(destination: str) -> tuple[str, str]:
    """A Markdown link's destination as (target, subpath), URL-decoded; URLs stay whole."""
    if has_url_scheme(destination):
        return destination, ""
    path, _, fragment = destination.partition("#")
    return unquote(path).strip(), unquote(fragment).strip()


@dataclass(frozen=True, slots=True)
class LinkRef:
    """A link or embed written in the note.

    ``kind`` is ``"wikilink"`` for ``[[...]]``/``![[...]]`` and ``"markdown"`` for
    ``[text](dest)``/``![alt](dest)``; ``embed`` is true for the ``!`` forms. ``target``
    is the note or file named before the first ``#`` (``""`` for a link into the same
    note), ``subpath`` what follows it (``Heading#Sub``, ``^blockid``), ``alias`` the
    displayed text: after the separator pipe of a wikilink (``None`` without one; for a
    sized embed ``![[img.png|300]]`` it is ``"300"``), the link text of a Markdown link.

    Markdown links are URL-decoded (``My%20Note.md`` -> ``My Note.md``), except links
    with a URL scheme (``https:``, ``mailto:``, ``obsidian:``), which are kept whole in
    ``target``: see :attr:`is_external`. ``raw`` is the source, ``text[start:end]``.
    """

    kind: Literal["wikilink", "markdown"]
    embed: bool
    start: int
    end: int
    target: str
    subpath: str
    alias: str | None
    raw: str

    @property
    def is_external(self) -> bool:
        """A Markdown link to a URL, not to a file of the vault: rules on vault files skip it."""
        return self.kind == "markdown" and has_url_scheme(self.target)


@dataclass(frozen=True, slots=True)
class Heading:
    """An ATX (``## Text``) or setext (``Text`` over ``===``) heading.

    ``text`` is the heading's content as written, stripped (``Understanding X [[link]]``):
    what ``[[note#...]]`` links are matched against after a rule normalises it.
    ``start``/``end`` cover the heading line(s) without the final line break.
    """

    level: int
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class BlockId:
    """An Obsidian block id ``^abc-123`` closing a paragraph or list item; ``id`` excludes ``^``."""

    id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TimestampRef:
    """A bracketed video time such as ``[00:03:42]``, as written: ``text`` is between the brackets.

    Found permissively (any digits, two or more colon-separated groups) so that a rule
    can judge ``[00:61:10]``. ``start``/``end`` cover the brackets in all three forms:
    bare, the text of a Markdown link (``url`` is the link's destination) and inside an
    ``<a data-t="...">`` anchor (``data_t`` is the attribute's value).

    ``bracketed`` is false for an anchor with a ``data-t`` whose content is not a
    bracketed time (``<a data-t="00:03:42">00:03:42</a>``, or an empty anchor): then
    ``data_t`` is the time cited, ``text`` the anchor's content, stripped, and
    ``start``/``end`` cover the anchor.
    """

    text: str
    start: int
    end: int
    url: str | None
    data_t: str | None
    bracketed: bool = True


@dataclass(frozen=True, slots=True)
class Simplified:
    """A place where parsing this note in linear time meant reading it more simply
    (see :mod:`vaultcheck.note.syntax.limits`): ``start`` is the offset of the line or
    block, ``reason`` says what was not looked for there."""

    start: int
    reason: str


@dataclass(frozen=True, slots=True)
class NoteSyntax:
    """Everything found in a note's body, each kind in document order.

    ``split_links`` are the offsets of ``[[`` whose ``]]`` only comes on a later line of
    the same paragraph: Obsidian does not read that as a link, but the author meant one.
    ``table_rows`` are the spans of table rows (header and body rows, not the delimiter
    row, line break excluded): there ``\\|`` is the wikilink separator and a bare ``|``
    ends the cell, so ``[[a|b]]`` in a row is no link.
    ``simplified`` are the places where the parser bounded its work on hostile
    Markdown, in document order (empty for every ordinary note).
    """

    links: tuple[LinkRef, ...]
    headings: tuple[Heading, ...]
    block_ids: tuple[BlockId, ...]
    timestamps: tuple[TimestampRef, ...]
    split_links: tuple[int, ...]
    table_rows: tuple[tuple[int, int], ...] = ()
    simplified: tuple[Simplified, ...] = ()
