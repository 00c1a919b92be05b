"""Find the vault syntax of a note: links, headings, block ids, video timestamps.

:func:`parse_syntax` parses a note's body once with marko plus the elements of
:mod:`vaultcheck.note.syntax.extensions` and collects what rules need, with offsets into the
note's whole original text. Decisions a rule should know about:

* Markdown links with a URL scheme (``https:``, ``mailto:``, ``obsidian:``) are
  included, their whole URL in ``target``; :attr:`LinkRef.is_external` tells them
  apart. Reference-style links take their destination from the definition.
* A wikilink inside a Markdown link's text (``[see [[a]]](b.md)``) is reported along
  with the Markdown link: Obsidian renders the wikilink, and ``b.md`` is still linked.
* ``\\|`` is the wikilink separator, in a table row and outside one, as Obsidian reads
  it: ``[[a\\|b]]`` targets ``a``. In a table row an unescaped ``|`` ends the cell, so
  ``[[a|b]]`` there is no link.
* HTML blocks (a line starting ``<div>``, ``<!--``...) are opaque to links, as in
  Obsidian's reading view; the timestamps and ``data-t`` anchors in their visible text
  are found (:mod:`vaultcheck.note.syntax.anchors`). Inline HTML comments hide what they contain.
* Headings inside block quotes and lists count; block ids only close paragraphs
  (including those of list items and quotes), never headings or table cells.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar, cast

from marko import Markdown, block, inline
from marko.element import Element
from marko.ext.gfm.elements import TableRow

from vaultcheck.core.positions import LineIndex, normalise_newlines
from vaultcheck.note.syntax.anchors import (
    ANCHOR,
    ANCHOR_END,
    OpenAnchor,
    data_t_of,
    html_block_timestamps,
)
from vaultcheck.note.syntax.extensions import (
    GFM_TABLES,
    OBSIDIAN,
    TIMESTAMP_TEXT,
    BlockIdMarker,
    CommentBlock,
    MathBlock,
    ObsidianHeading,
    ObsidianImage,
    ObsidianLink,
    ObsidianSetextHeading,
    SplitWikiLink,
    Timestamp,
    WikiLink,
)
from vaultcheck.note.syntax.fast import scan
from vaultcheck.note.syntax.limits import LIMITS, recorded_limits
from vaultcheck.note.syntax.model import (
    BlockId,
    Heading,
    LinkRef,
    NoteSyntax,
    Simplified,
    TimestampRef,
    split_destination,
)

__all__ = [
    "BlockId",
    "Heading",
    "LinkRef",
    "NoteSyntax",
    "Simplified",
    "TimestampRef",
    "parse_region",
    "parse_syntax",
    "parse_with_marko",
]

_T = TypeVar("_T")

# marko recurses a few frames per nesting level (``>>>>``, ``- - -``, ``****``) and hits
# Python's default limit near 300 levels. Such a note is retried on a thread whose stack
# and recursion limit grow with the text: nesting cannot be deeper than the text is long.
_DEEP_STACK_BYTES = 512 * 1024 * 1024
_FRAMES_PER_CHARACTER = 8

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_FENCE_CLOSE = re.compile(r" {0,3}(~+|`+)[ \t]*$")
#: HTML blocks that end at a marker, not at a blank line, in the order marko tries them
#: (CommonMark's kinds 1 to 4; marko's kind 4, ``<!``, takes in kind 5): opening, end.
_HTML_RUNS_ON = [
    (re.compile(r"(?i) {0,3}<(script|pre|style|textarea)[>\s]"), r"(?i)</{0}>"),
    (re.compile(r" {0,3}<!--"), r"-->"),
    (re.compile(r" {0,3}<\?"), r"\?>"),
    (re.compile(r" {0,3}<!"), r">"),
]


@cache
def _markdown() -> Markdown:
    """The one parser of the process: building marko's parser classes costs more than a note."""
    markdown = Markdown(extensions=[GFM_TABLES, OBSIDIAN, LIMITS])
    markdown.parse("")  # set the extensions up now, not during a first parse
    return markdown


def parse_syntax(text: str, body_start: int) -> NoteSyntax:
    """The links, headings, block ids, timestamps and split links of ``text[body_start:]``.

    ``text`` is the note's whole text (frontmatter included, original line endings);
    every offset returned points into it. Plain-prose notes take the fast path of
    :mod:`vaultcheck.note.syntax.fast`; the others are parsed with marko. Never raises.
    """
    return scan(text, body_start, len(text), parse_region)


def parse_with_marko(text: str, body_start: int) -> NoteSyntax:
    """What marko's full parse finds in ``text[body_start:]``: the answer of record."""
    return parse_region(text, body_start, len(text))[0]


def parse_region(text: str, start: int, end: int) -> tuple[NoteSyntax, bool]:
    """What marko finds in ``text[start:end]`` parsed as a document of its own, and
    whether a block that a blank line does not close is still open at its end."""
    collector = _Collector(text, start, end)
    try:
        syntax = collector.collect()
    except RecursionError:
        collector = _Collector(text, start, end)
        syntax = _on_deep_stack(collector.collect, end - start)
    return syntax, collector.ends_open()


def _on_deep_stack(function: Callable[[], _T], size: int) -> _T:
    """``function()`` on a thread with room for nesting as deep as ``size`` characters."""
    limit = sys.getrecursionlimit()
    stack = threading.stack_size(_DEEP_STACK_BYTES)
    sys.setrecursionlimit(max(limit, _FRAMES_PER_CHARACTER * size + 1000))
    try:
        with ThreadPoolExecutor(max_workers=1) as worker:  # its thread starts with the stack
            return worker.submit(function).result()
    finally:
        threading.stack_size(stack)
        sys.setrecursionlimit(limit)


class _Collector:
    """Walks marko's tree of one note body and records what it finds in original offsets.

    marko reports offsets into the body with line breaks normalised to ``\\n``; a line
    and column there are the same line and column in the original body, whose
    ``\\r\\n`` only make lines one character longer at their end.
    """

    def __init__(self, text: str, body_start: int, body_end: int) -> None:
        self.text = text
        self.body_start = body_start
        body = text[body_start:body_end]
        self.parsed_text = normalise_newlines(body)
        self.parsed_lines = LineIndex(self.parsed_text)
        self.body_lines = LineIndex(body)
        self.links: list[LinkRef] = []
        self.headings: list[Heading] = []
        self.block_ids: list[BlockId] = []
        self.timestamps: list[TimestampRef] = []
        self.split_links: list[int] = []
        self.table_rows: list[tuple[int, int]] = []

    def collect(self) -> NoteSyntax:
        self.document = _markdown().parse(self.parsed_text)
        self.visit_block(self.document)
        return NoteSyntax(
            links=tuple(sorted(self.links, key=lambda link: link.start)),
            headings=tuple(sorted(self.headings, key=lambda heading: heading.start)),
            block_ids=tuple(sorted(self.block_ids, key=lambda block_id: block_id.start)),
            timestamps=tuple(sorted(self.timestamps, key=lambda stamp: stamp.start)),
            split_links=tuple(sorted(self.split_links)),
            table_rows=tuple(sorted(self.table_rows)),
            simplified=tuple(
                Simplified(self.offset(at), reason)
                for at, reason in sorted(recorded_limits(self.document).items())
            ),
        )

    def ends_open(self) -> bool:
        """Whether the last top-level block may run on past a following blank line.

        Only fenced code, comments, formulas and HTML blocks of kinds 1 to 5 do, and
        only at the top level: a blank line then a line at the left margin closes
        quotes and list items, and whatever they hold.
        """
        blocks = [child for child in self.document.children if not isinstance(child, block.BlankLine)]
        last = blocks[-1] if blocks else None
        if last is None or last.source_span is None:
            return False
        lines = self.parsed_text[last.source_span[0] : last.source_span[1]].rstrip("\n").split("\n")
        if isinstance(last, block.FencedCode):
            fence = _FENCE.match(lines[0])
            closing = _FENCE_CLOSE.match(lines[-1]) if len(lines) > 1 else None
            return fence is None or closing is None or fence.group(1) not in closing.group(1)
        if isinstance(last, (CommentBlock, MathBlock)):
            return len(lines) < 2 or last.marker not in lines[-1]
        if isinstance(last, block.HTMLBlock):
            for opening, end in _HTML_RUNS_ON:
                opened = opening.match(lines[0] + "\n")
                if opened:
                    return re.search(end.format(*opened.groups()), lines[-1]) is None
        return False

    def offset(self, parsed: int) -> int:
        """The offset in the note's text of offset ``parsed`` in the normalised body."""
        line, column = self.parsed_lines.position(parsed)
        return self.body_start + self.body_lines.offset(line, column)

    def span(self, element: Element) -> tuple[int, int] | None:
        if element.source_span is None:
            return None
        start, end = element.source_span
        return self.offset(start), self.offset(end)

    def visit_block(self, element: block.BlockElement) -> None:
        if isinstance(element, (ObsidianHeading, ObsidianSetextHeading)):
            self.add_heading(element)
        elif isinstance(element, TableRow):
            self.add_table_row(element)
        elif isinstance(element, block.HTMLBlock):
            span = self.span(element)
            if span is not None:
                self.timestamps.extend(html_block_timestamps(self.text, *span))
            return
        self.visit_children(element.children, isinstance(element, block.Paragraph), None)

    def visit_children(
        self, children: Sequence[Element], in_paragraph: bool, data_t: str | None
    ) -> None:
        """Visit siblings in order: an ``<a data-t>`` anchor applies to the timestamps after it,
        and is a timestamp itself when none follows before it ends."""
        anchor = OpenAnchor(self.timestamps)
        for child in children:
            if isinstance(child, block.BlockElement):
                self.visit_block(child)
            elif isinstance(child, inline.InlineHTML):
                html = cast(str, child.children)
                span = self.span(child)
                if span is not None and ANCHOR.match(html):
                    anchor.open(*span, data_t_of(html))
                elif span is not None and ANCHOR_END.match(html):
                    anchor.close(self.text[anchor.end : span[0]], span[1])
                data_t = _anchor_data_t(html, data_t)
            elif isinstance(child, inline.InlineElement):
                self.visit_inline(child, data_t, in_paragraph)
        anchor.close()

    def visit_inline(
        self, element: inline.InlineElement, data_t: str | None, in_paragraph: bool
    ) -> None:
        span = self.span(element)
        if span is None:
            return
        if isinstance(element, WikiLink):
            self.add_wikilink(element, span)
        elif isinstance(element, SplitWikiLink):
            self.split_links.append(span[0])
        elif isinstance(element, Timestamp):
            self.add_timestamp(element.children, span[0], None, data_t)
        elif isinstance(element, BlockIdMarker) and in_paragraph:
            self.block_ids.append(BlockId(element.children, *span))
        elif isinstance(element, (ObsidianLink, ObsidianImage)):
            self.add_markdown_link(element, span)
        if not isinstance(element.children, str):
            self.visit_children(element.children, in_paragraph, data_t)

    def add_wikilink(self, element: WikiLink, span: tuple[int, int]) -> None:
        self.links.append(
            LinkRef(
                kind="wikilink",
                embed=element.embed,
                start=span[0],
                end=span[1],
                target=element.target,
                subpath=element.subpath,
                alias=element.alias,
                raw=self.text[span[0] : span[1]],
            )
        )

    def add_markdown_link(
        self, element: ObsidianLink | ObsidianImage, span: tuple[int, int]
    ) -> None:
        target, subpath = split_destination(element.dest.strip())
        self.links.append(
            LinkRef(
                kind="markdown",
                embed=isinstance(element, ObsidianImage),
                start=span[0],
                end=span[1],
                target=target,
                subpath=subpath,
                alias=element.text_source.strip(),
                raw=self.text[span[0] : span[1]],
            )
        )
        if isinstance(element, ObsidianLink) and TIMESTAMP_TEXT.fullmatch(element.text_source):
            self.add_timestamp(element.text_source, span[0], element.dest, None)

    def add_timestamp(self, text: str, start: int, url: str | None, data_t: str | None) -> None:
        """A timestamp whose ``[`` is at ``start``: its text is all digits and colons, one line."""
        self.timestamps.append(TimestampRef(text, start, start + len(text) + 2, url, data_t))

    def add_heading(self, element: ObsidianHeading | ObsidianSetextHeading) -> None:
        span = self.span(element)
        if span is None:
            return
        start, end = span
        end = start + len(self.text[start:end].rstrip("\r\n"))
        self.headings.append(Heading(element.level, element.source_text, start, end))

    def add_table_row(self, row: TableRow) -> None:
        span = self.span(row)
        if span is not None:
            start, end = span
            self.table_rows.append((start, start + len(self.text[start:end].rstrip("\r\n"))))


def _anchor_data_t(html: str, current: str | None) -> str | None:
    """The ``data-t`` in force after a piece of inline HTML: set by ``<a>``, cleared by ``</a>``."""
    opening = ANCHOR.match(html)
    if opening is not None:
        return data_t_of(opening.group(1) or "")
    if ANCHOR_END.match(html):
        return None
    return current
