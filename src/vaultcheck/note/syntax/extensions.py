"""marko elements for the Obsidian syntax CommonMark does not know.

Each construct is an element so that marko's own precedence decides what is text:
nothing inside fenced or indented code, code spans, HTML, ``%% comments %%`` or math
is ever handed to the link, timestamp or block-id elements. marko resolves two
overlapping inline elements by keeping the one that starts first unless the later one
has a strictly higher ``priority``; hence the numbers below:

* 7 (as code spans, inline HTML and backslash escapes): wikilinks, comments, math.
  Whichever starts first wins, so `` `[[a]]` ``, ``<!-- [[a]] -->``, ``%% [[a]] %%`` and
  ``$[[a]]$`` hide the link, an escape inside a wikilink (``[[a\\_b]]``) does not
  break it, and ``[[a]](b.md)`` is a wikilink followed by text, as in Obsidian.
* 5 (as Markdown links): timestamps and block ids, so ``[00:03:42](url)`` stays a
  Markdown link whose text is the timestamp.

A wikilink never spans lines; an opening ``[[`` closed on a later line of the same
paragraph is a :class:`SplitWikiLink`. Neither contains another ``[[``: in ``[[a [[b]]``
only ``[[b]]`` is a link, and a line of ``[[`` costs linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import Match
from typing import TYPE_CHECKING, ClassVar

from marko import block, inline
from marko.ext.gfm import elements as gfm
from marko.helpers import MarkoExtension

from vaultcheck.note.syntax import speedups  # noqa: F401  (installs faster, equal marko routines)

if TYPE_CHECKING:
    from marko.source import Source

# ``[[`` ... ``]]`` with neither ``[[`` nor ``]]`` inside: each character is matched one
# way only, so a failed attempt costs at most the distance to the next ``[[``.
_WIKILINK_BODY = r"((?:[^\[\]]|\[(?!\[)|\](?!\]))*)\]\]"
_WIKILINK = re.compile(r"\[\[" + _WIKILINK_BODY)
_EMBED = re.compile(r"!\[\[" + _WIKILINK_BODY)

#: Digits separated by colons, two groups or more: wide enough for a rule to judge
#: (``[01:00:17:51]`` is a timestamp with one part too many, not text).
TIMESTAMP_TEXT = re.compile(r"[0-9]+(?::[0-9]+)+")


def _escaped(text: str, index: int) -> bool:
    """Whether ``text[index]`` follows an odd number of backslashes, i.e. is escaped."""
    backslashes = 0
    while index - backslashes > 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _wikilink_matches(text: str) -> Iterator[Match[str]]:
    """``[[...]]`` whose first bracket is not escaped by a backslash."""
    for match in _WIKILINK.finditer(text):
        if not _escaped(text, match.start()):
            yield match


def _with_embed(text: str, match: Match[str]) -> Match[str]:
    """``match`` extended to ``![[...]]`` when an unescaped ``!`` precedes it."""
    bang = match.start() - 1
    if bang < 0 or text[bang] != "!" or _escaped(text, bang):
        return match
    embed = _EMBED.match(text, bang)
    assert embed is not None  # the same body, one "!" earlier
    return embed


def wikilink_separator(inner: str) -> tuple[int, int] | None:
    r"""Where the alias separator of a wikilink's inner text is, as ``(start, end)``.

    The first pipe separates; written ``\|`` it is one separator, backslash included.
    In a table row the backslash keeps the cell whole (the cell turns ``\|`` into ``|``
    before the link is read); elsewhere Obsidian reads ``[[a\|b]]`` as ``[[a|b]]`` too,
    target ``a`` and alias ``b``. A backslash before any other character escapes it, so
    the pipe of ``\\|`` (an escaped backslash, then ``\|``) does not separate.
    """
    if "\\" not in inner:  # the common case: the first pipe, found in C
        index = inner.find("|")
        return None if index < 0 else (index, index + 1)
    escaped = False
    index = 0
    while index < len(inner):
        width = 2 if inner.startswith("\\|", index) else 1
        char = "|" if width == 2 else inner[index]
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            return index, index + width
        index += width
    return None


def split_wikilink(content: str) -> tuple[str, str, str | None]:
    """``target#subpath|alias`` as (target, subpath, alias), each stripped.

    The alias starts after the separator (:func:`wikilink_separator`); ``None`` when
    there is none.
    """
    found = wikilink_separator(content)
    destination = content if found is None else content[: found[0]]
    alias = None if found is None else content[found[1] :].strip()
    target, _, subpath = destination.partition("#")
    return target.strip(), subpath.strip(), alias


class WikiLink(inline.InlineElement):
    """``[[target#subpath|alias]]`` or ``![[...]]`` on one line.

    The alias starts after the first ``|`` or ``\\|`` (:func:`wikilink_separator`). In a
    table row marko's GFM table cell unescapes ``\\|`` before inline parsing, while the
    element's ``source_span`` still covers the backslash.
    """

    priority = 7
    if TYPE_CHECKING:
        children: str

    def __init__(self, match: Match[str]) -> None:
        super().__init__(match)
        self.embed = match.group().startswith("!")
        self.target, self.subpath, self.alias = split_wikilink(match.group(1))

    @classmethod
    def find(cls, text: str, *, source: Source) -> Iterator[Match[str]]:
        for match in _wikilink_matches(text):
            if "\n" not in match.group(1) and match.group(1).strip():
                yield _with_embed(text, match)


class SplitWikiLink(inline.InlineElement):
    """A ``[[`` whose ``]]`` comes on a later line: not a link, but what is inside still counts."""

    priority = 7
    parse_children = True

    @classmethod
    def find(cls, text: str, *, source: Source) -> Iterator[Match[str]]:
        for match in _wikilink_matches(text):
            if "\n" in match.group(1):
                yield match


class Comment(inline.InlineElement):
    """An Obsidian comment ``%% ... %%`` inside a paragraph, possibly over several lines."""

    priority = 7
    pattern = re.compile(r"%%([\s\S]*?)%%")


class InlineMath(inline.InlineElement):
    """``$$...$$`` or ``$...$`` in running text, with Obsidian's (Pandoc's) rules for ``$``.

    A single ``$`` opens only before a non-space and closes only after one, not before a
    digit, so ``$5 and $10`` stays text.
    """

    priority = 7
    parse_group = 0
    pattern = re.compile(
        r"\$\$[\s\S]+?\$\$|\$(?=[^\s$])(?:\\[\s\S]|[^\\$])+?(?<=[^\s\\])\$(?![0-9])"
    )


class Timestamp(inline.InlineElement):
    """A bracketed time ``[00:03:42]``; marko sees a link instead when ``(url)`` follows."""

    priority = 5
    pattern = re.compile(r"\[(" + TIMESTAMP_TEXT.pattern + r")\]")
    if TYPE_CHECKING:
        children: str


class BlockIdMarker(inline.InlineElement):
    """``^block-id`` as the last word of an inline body, after whitespace or alone.

    Found wherever inline text ends; the collector keeps those that close a paragraph.
    """

    priority = 5
    pattern = re.compile(r"\^([A-Za-z0-9-]+)(?=[ \t]*\Z)")
    if TYPE_CHECKING:
        children: str

    @classmethod
    def find(cls, text: str, *, source: Source) -> Iterator[Match[str]]:
        content = text.rstrip(" \t")
        word = max(content.rfind(" "), content.rfind("\t"), content.rfind("\n")) + 1
        match = cls.pattern.match(text, word)
        if match is not None:
            yield match


class ObsidianLink(inline.Link):
    """marko's link, keeping the source of its text as the alias a rule reports."""

    override = True

    def __init__(self, match: Match[str]) -> None:
        super().__init__(match)
        self.text_source: str = match.group(1)


class ObsidianImage(inline.Image):
    """marko's image, keeping the source of its alt text."""

    override = True

    def __init__(self, match: Match[str]) -> None:
        super().__init__(match)
        self.text_source: str = match.group(1)


class ObsidianHeading(block.Heading):
    """marko's ATX heading, keeping its source text, which inline parsing discards.

    Its pattern is marko's with the text taken a word at a time: marko's lazy
    ``[^\\n]*?`` before ``[^\\n\\S]*$`` is quadratic in a line of spaces.
    """

    override = True
    pattern = re.compile(
        r" {0,3}(#{1,6})((?=\s)(?:[^\n\S]*\S)*?|[^\n\S]*)(?:[^\n\S]+#+)?[^\n\S]*$\n?",
        flags=re.MULTILINE,
    )

    def __init__(self, match: Match[str]) -> None:
        super().__init__(match)
        self.source_text = self.inline_body


class ObsidianSetextHeading(block.SetextHeading):
    """marko's setext heading, keeping its source text, which inline parsing discards."""

    override = True

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines)
        self.source_text = self.inline_body


class ObsidianLinkRefDef(block.LinkRefDef):
    """marko's link reference definition, except ``[^label]: ...``: a footnote in Obsidian.

    Read as a definition, ``[^1]: Smith2020`` would turn every ``[^1]`` into a link to a
    note ``Smith2020``.
    """

    override = True

    @classmethod
    def match(cls, source: Source) -> bool:
        return super().match(source) and not source.context.linkref_info.link_label.text.startswith(
            "[^"
        )


class _DelimitedBlock(block.BlockElement):
    """Lines from one that starts with :attr:`marker` to the next line containing it again.

    An opening line that also closes (``%% note %%``) is left to the paragraph and its
    inline element. Unclosed, the block runs to the end of its container, as a fenced
    code block does. It does not interrupt a paragraph: a marker line inside one is
    more often the end of an inline comment or formula than the start of a block.
    """

    priority = 6
    marker: ClassVar[str]
    opening: ClassVar[re.Pattern[str]]

    @classmethod
    def match(cls, source: Source) -> bool:
        line = source.next_line()
        if line is None:
            return False
        opened = cls.opening.match(line)
        return opened is not None and cls.marker not in line[opened.end() :]

    @classmethod
    def parse(cls, source: Source) -> _DelimitedBlock:
        source.next_line()
        source.consume()
        while not source.exhausted:
            line = source.next_line()
            if line is None:
                break
            source.consume()
            if cls.marker in line:
                break
        return cls()


class CommentBlock(_DelimitedBlock):
    """An Obsidian comment over whole lines: ``%%`` ... ``%%``."""

    marker = "%%"
    opening = re.compile(r" {0,3}%%")


class MathBlock(_DelimitedBlock):
    """A display formula over whole lines: ``$$`` ... ``$$``."""

    marker = "$$"
    opening = re.compile(r" {0,3}\$\$")


#: Tables (so ``\|`` inside a cell is the wikilink separator) and task-list items.
GFM_TABLES = MarkoExtension(
    elements=[gfm.Paragraph, gfm.Table, gfm.TableRow, gfm.TableCell],
)

OBSIDIAN = MarkoExtension(
    elements=[
        WikiLink,
        SplitWikiLink,
        Comment,
        InlineMath,
        Timestamp,
        BlockIdMarker,
        ObsidianLink,
        ObsidianImage,
        ObsidianHeading,
        ObsidianSetextHeading,
        ObsidianLinkRefDef,
        CommentBlock,
        MathBlock,
    ],
)
