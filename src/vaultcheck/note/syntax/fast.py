"""The fast path: prose is scanned with regexes; marko parses only where it decides something.

marko is the parser of record, and it is slow (about 1.4 MB/s). Most of a video-notes
vault is prose that holds nothing that could hide a link or a timestamp or change what
a line is: no code, comments, math, escapes, HTML, indented lines, setext or table
underlines, Markdown link syntax or block ids. There, links, headings and timestamps
sit exactly where plain regexes find them.

:func:`scan` makes one regex pass over a note's body that finds links, timestamps and
*trouble*: any construct for which only the parser can say what it is. A note without
trouble is done. Otherwise the body is cut into blocks at blank lines and marko parses
just the blocks with trouble, each as a document of its own, which gives the parser's
answer wherever a blank line at the left margin closes every open block:

* a region starts at a block that begins at the left margin (an indented block may
  belong to a list item or be code, so the region reaches back to one that does not)
  and takes in the indented blocks after it;
* a fenced code block, comment, formula or HTML block still open at the end of a
  region runs on past the blank line, so the region is parsed again to the body's end;
* a link reference definition anywhere makes the whole body one region, since its
  links may be anywhere.

The differential tests hold this to marko's full parse, on the corpus and on generated
notes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from marko.inline import CodeSpan, InlineHTML

from vaultcheck.note.syntax.anchors import OpenAnchor, data_t_of
from vaultcheck.note.syntax.extensions import TIMESTAMP_TEXT, InlineMath, split_wikilink
from vaultcheck.note.syntax.model import (
    Heading,
    LinkRef,
    NoteSyntax,
    TimestampRef,
    split_destination,
)

#: Parses ``text[start:end]`` with marko: the syntax found, and whether a block that a
#: blank line does not close (fenced code, comment, formula, HTML) is open at its end.
RegionParser = Callable[[str, int, int], tuple[NoteSyntax, bool]]

_CONTAINERS = r"(?:>[ ]?|(?:[-+*]|[0-9]{1,9}[.)])[ ]+)*"
#: Lines only the parser can place, searched in the body behind a ``\n`` (so each
#: branch starts with a literal and the search skips from line to line): HTML at the
#: start of a line, setext or table underlines (at any indent: list items nest them), thematic breaks, empty list items,
#: indented lines that could be code (first, after a blank or empty quote line or a heading,
#: or five spaces after a quote or list marker) or
#: hide a heading.
_TROUBLE_LINE = re.compile(
    r"\n(?:"
    r"[ ]{0,3}" + _CONTAINERS + r"(?:<|[ ]{4}(?:[-+*][ ]|[0-9]{1,9}[.)][ ])*#)"
    r"|[ ]*" + _CONTAINERS + r"(?:[=-]+[ ]*|[*_][ ]*[*_][ ]*[*_][ *_]*)$"
    # Table delimiter rows, widened to any line of prefix and row characters holding a
    # "|" and a "-": lookaheads scan the line once, where a "[ :-]*-[ :-]*" behind the
    # container prefix backtracked in cubic time through "- - - ...".
    r"|(?=[ >*+\-0-9.)|:]*$)(?=[^|\n]*\|)(?=[^\-\n]*-)[^\n]"
    # More container markers than the parser opens (syntax.limits.MAX_CONTAINER_DEPTH):
    # marko reads the deeper ones as text and says so.
    r"|[ ]*(?:(?:>|[-+*]|[0-9]{1,9}[.)])[ ]*){17}"
    r"|[ ]*" + _CONTAINERS + r"(?:[-+*]|[0-9]{1,9}[.)])[ ]*$"
    r"|[ >]*\n[ ]{4}(?=[ ]*[^ \n])|[ ]{0,3}#{1,6}(?:[ ][^\n]*)?\n[ ]{4}(?=[ ]*[^ \n])"
    r"|[ ]{4,}" + _CONTAINERS + r"#{1,6}(?:[ ]|$)"
    r"|[ >*+\-0-9.)]*?(?:>|[-+*]|[0-9]{1,9}[.)])[ ]{5}"
    r")",
    re.MULTILINE,
)
_FIRST_LINE_INDENTED = re.compile(r"[ ]{4}[ ]*[^ \n]")
#: Links, timestamps and inline HTML, and the characters that need the parser: code,
#: math, comments, escapes, tabs and carriage returns, fences, Markdown links, ``[[``
#: not closed on its line, block ids, HTML that is not a one-line tag. (``]:`` is no
#: trouble: a body with a line that could define a link never comes here.)
_INLINE = re.compile(
    r"(?P<cite><a(?P<attrs>(?:[ ]+[A-Za-z_:][A-Za-z0-9_.:-]*=\"[^\"<>\[\]`\n*_]*\")*)[ ]*>"
    r"\[(?P<cited>" + TIMESTAMP_TEXT.pattern + r")\]</a>)"
    r"|(?P<wiki>!?\[\[(?:[^\[\]\r\n]|\[(?!\[)|\](?!\]))*\]\])"
    # An inline link or image whose text and destination hold nothing the parser could
    # read otherwise: no brackets, code, comments, HTML or escapes, and a destination
    # without spaces (so no title), parentheses or dollars. (Emphasis nests inside the
    # link; a formula starting in its text is judged with the others.)
    r"|(?P<link>!?\[(?P<text>(?:[^\[\]\n\r\t`%<>\\]|%(?!%))+)\]"
    r"\((?P<dest>(?:[^\s()<>\\`$%\x00-\x1f\x7f]|%(?!%))+)\))"
    r"|(?P<stamp>\[" + TIMESTAMP_TEXT.pattern + r"\](?![(\[]))"
    r"|(?P<tag><[^<>\n]*>)"
    r"|(?P<span>`+|\$+)"
    r"|(?P<trouble>[\\\t\r]|%%|~~~|\[\[|\][(\[]|\^[A-Za-z0-9-]+[ ]*$|<(?=[A-Za-z/!?]))",
    re.MULTILINE,
)
#: The characters an ``_INLINE`` match can start with. The regex engine tries every
#: alternative at every character, ten times slower than skipping to these.
_INLINE_START = re.compile(r"[<!\[\]`$\\\t\r%~^]")
#: marko's code span and the Obsidian inline formula, as marko searches them.
_CODE = CodeSpan.pattern if isinstance(CodeSpan.pattern, re.Pattern) else re.compile(CodeSpan.pattern)
_MATH = InlineMath.pattern
#: Runs of emphasis delimiters.
_EMPHASIS_RUN = re.compile(r"\*+|_+")
#: The only inline HTML the fast path accepts: ``<a ...>``, ``</a>`` and ``<br>``, no brackets.
_SIMPLE_TAG = re.compile(r"<(?:a(?:\s[^<>\[\]`]*)?|/a\s*|br\s*/?)>", re.IGNORECASE)
_HTML = InlineHTML.pattern if isinstance(InlineHTML.pattern, re.Pattern) else re.compile(InlineHTML.pattern)
#: Characters that inside an ``<a>`` could make emphasis nest apart from it.
_ANCHOR_TROUBLE = re.compile(r"[*_]")
_HEADING = re.compile(
    # The text is taken a word at a time: a lazy ".*?" before "[ ]*$" is quadratic in spaces.
    r"\n(?:[ ]{0,3}" + _CONTAINERS + r")??([ ]{0,3})(#{1,6})(?=[ ]|$)((?:[ ]*[^ \n])*?)"
    r"(?:[ ]+#+)?[ ]*$",
    re.MULTILINE,
)
#: The start of what could be a link reference definition (``[label]: url``), liberally
#: (a lone ``\r`` ends a line too).
_DEFINITION = re.compile(r"(?:^|(?<=\r))[ \t>]*(?:(?:[-+*]|[0-9]{1,9}[.)])[ \t]+)*\[[^\][]*\]:", re.MULTILINE)


class _WholeBody(Exception):
    """The body needs one parse from start to end (an anchor open across lines)."""


@dataclass
class _Pass:
    """What one regex pass over a body found, offsets into the note's text."""

    links: list[LinkRef] = field(default_factory=list)
    timestamps: list[TimestampRef] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    #: Offsets into the body of constructs only the parser can judge.
    trouble: list[int] = field(default_factory=list)
    #: Offsets into the body of backticks and dollars: code spans and formulas, which
    #: the pass judges itself where they hide nothing (see :func:`_settle_spans`).
    spans: list[int] = field(default_factory=list)
    #: Body spans of every other match: what a code span or formula could hide.
    marks: list[tuple[int, int]] = field(default_factory=list)
    #: Body spans of wikilinks and tags with emphasis delimiters inside.
    enclosing: list[tuple[int, int]] = field(default_factory=list)


def scan_plain(text: str, body_start: int) -> NoteSyntax | None:
    """Links, headings and timestamps of a note that is prose throughout, else ``None``."""
    body = text[body_start:]
    if "]:" in body and _DEFINITION.search(body):
        return None
    try:
        found = _scan(text, body_start, body)
    except _WholeBody:
        return None
    if found.trouble:
        return None
    return _syntax(found.links, found.headings, found.timestamps)


def scan(text: str, body_start: int, body_end: int, parse_region: RegionParser) -> NoteSyntax:
    """The syntax of ``text[body_start:body_end]``, marko's answer found by regex where it can."""
    body = text[body_start:body_end]
    if "]:" in body and _DEFINITION.search(body):
        return parse_region(text, body_start, body_end)[0]
    try:
        found = _scan(text, body_start, body)
    except _WholeBody:
        return parse_region(text, body_start, body_end)[0]
    if not found.trouble:
        return _syntax(found.links, found.headings, found.timestamps)
    return _by_blocks(text, body_start, body_end, found, parse_region)


def _scan(text: str, body_start: int, body: str) -> _Pass:
    found = _Pass()
    lined = "\n" + body
    found.trouble.extend(match.end() - 2 for match in _TROUBLE_LINE.finditer(lined))
    if _FIRST_LINE_INDENTED.match(body):
        found.trouble.append(0)
    data_t: str | None = None
    anchor_end = -1
    anchor = OpenAnchor(found.timestamps)
    # Inline HTML and autolinks end with ">": a "<" after the last one is text.
    last_closer = body.rfind(">")
    for match in _inline_matches(body):
        kind = match.lastgroup
        if kind == "span":
            found.spans.append(match.start())
            continue
        found.marks.append(match.span())
        if kind == "cite":
            if anchor_end >= 0:
                _check_anchor(body, anchor_end, match.start(), found)
                data_t, anchor_end = None, -1
                anchor.close()
            start = body_start + match.start("cited") - 1
            stamp = match.group("cited")
            cite_t = data_t_of(match.group("attrs"))
            found.timestamps.append(TimestampRef(stamp, start, start + len(stamp) + 2, None, cite_t))
        elif kind == "wiki":
            link = _wikilink(match, body_start, text)
            if link is None:
                found.trouble.append(match.start())
            elif body.startswith("(", match.end()):
                # To marko "[[a]](...)" is a bracketed link, which the wikilink
                # outranks; a link written inside its destination is then none.
                found.links.append(link)
                found.trouble.append(match.end())
            else:
                found.links.append(link)
                if _emphasis_runs(body, *match.span()):
                    found.enclosing.append(match.span())
        elif kind == "link":
            _markdown_link(match, body_start, text, found)
            if "$" in match.group("text"):
                found.spans.append(match.start("text"))
        elif kind == "stamp":
            start = body_start + match.start()
            stamp = match.group()[1:-1]
            found.timestamps.append(TimestampRef(stamp, start, start + len(stamp) + 2, None, data_t))
        elif kind == "tag":
            tag = match.group()
            if _emphasis_runs(body, *match.span()):
                found.enclosing.append(match.span())
            if not _SIMPLE_TAG.fullmatch(tag) or not _HTML.fullmatch(tag):
                found.trouble.append(match.start())
            elif tag[1:2].lower() == "a":
                if anchor_end >= 0:
                    _check_anchor(body, anchor_end, match.start(), found)
                data_t, anchor_end = data_t_of(tag), match.end()
                anchor.open(body_start + match.start(), body_start + match.end(), data_t)
            elif tag[1:3].lower() == "/a":
                if anchor_end >= 0:
                    _check_anchor(body, anchor_end, match.start(), found)
                    anchor.close(body[anchor_end : match.start()], body_start + match.end())
                data_t, anchor_end = None, -1
        elif match.group()[0] != "<" or match.end() < last_closer:
            found.trouble.append(match.start())
    if anchor_end >= 0:
        _check_anchor(body, anchor_end, len(body), found)
        anchor.close()
    if found.spans:
        _settle_spans(body, found)
    if found.enclosing:
        _settle_emphasis(body, found)
    for match in _HEADING.finditer(lined):
        start = body_start + match.start(1) - 1
        found.headings.append(
            Heading(len(match.group(2)), match.group(3).strip(), start, body_start + match.end() - 1)
        )
    found.trouble.sort()
    return found


def _settle_spans(body: str, found: _Pass) -> None:
    """Keep as trouble the backticks and dollars of the blocks where a code span or a
    formula could hide something or be found differently by the parser.

    A block holding trouble goes to the parser anyway. In the others, the parser's code
    spans and formulas are the pattern's matches in the block, provided none runs over
    a line (a paragraph ends at a line's end, so a match within one line is the same in
    any paragraph that holds the line) and no fence or ``$$`` (a block) is there. A span
    that overlaps no link, timestamp, tag or other match hides nothing. A formula with
    an emphasis delimiter inside is left to the parser: emphasis running out of it
    loses what it contains, as in ``*[[a]] $x*$``; inside code spans the parser looks for
    no delimiters.
    """
    blocks = _blocks(body)
    starts = [start for start, _end in blocks]
    troubled = {bisect_right(starts, offset) - 1 for offset in found.trouble}
    by_block: dict[int, list[int]] = {}
    for offset in found.spans:
        by_block.setdefault(bisect_right(starts, offset) - 1, []).append(offset)
    mark_starts = [start for start, _end in found.marks]
    for index, offsets in by_block.items():
        start, end = blocks[index] if index >= 0 else (0, len(body))
        if index in troubled or not _spans_hide_nothing(body, start, end, found, mark_starts):
            found.trouble.extend(offsets)


def _emphasis_runs(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """The runs of ``*`` or ``_`` in ``text[start:end]`` that might open or close emphasis,
    as (offset, character): all but those between spaces and ``_`` inside a word."""
    runs = []
    for match in _EMPHASIS_RUN.finditer(text, start, end):
        before = text[match.start() - 1] if match.start() else "\n"
        after = text[match.end()] if match.end() < len(text) else "\n"
        inert = before.isspace() and after.isspace()
        if match.group()[0] == "_":
            inert = inert or (before.isalnum() and after.isalnum())
        if not inert:
            runs.append((match.start(), match.group()[0]))
    return runs


def _settle_emphasis(body: str, found: _Pass) -> None:
    """Leave to the parser the wikilinks and tags that emphasis could run into.

    marko keeps the first of two overlapping elements unless the later one ranks
    higher, and a wikilink or a tag outranks emphasis: in ``*[[a]] [[b*]]`` the
    emphasis runs into ``[[b*]]``, which wins, and ``[[a]]`` inside the emphasis is
    lost. That takes a delimiter inside the link or tag and one of the same kind
    outside it, in the same paragraph (so in the same block).
    """
    blocks = _blocks(body)
    starts = [start for start, _end in blocks]
    by_block: dict[int, list[tuple[int, int]]] = {}
    for span in found.enclosing:
        by_block.setdefault(bisect_right(starts, span[0]) - 1, []).append(span)
    for index, spans in by_block.items():
        start, end = blocks[index] if index >= 0 else (0, len(body))
        offsets: dict[str, list[int]] = {"*": [], "_": []}
        for offset, character in _emphasis_runs(body, start, end):
            offsets[character].append(offset)
        for span_start, span_end in spans:
            for runs in offsets.values():
                inside = bisect_right(runs, span_end - 1) - bisect_right(runs, span_start - 1)
                if 0 < inside < len(runs):
                    found.trouble.append(span_start)
                    break


def _spans_hide_nothing(
    body: str, start: int, end: int, found: _Pass, mark_starts: list[int]
) -> bool:
    block = body[start:end]
    if "```" in block or "$$" in block:
        return False
    for pattern in (_CODE, _MATH):
        for match in pattern.finditer(block):
            if "\n" in match.group():
                return False
            if pattern is _MATH and _emphasis_runs(block, *match.span()):
                return False
            span_start, span_end = start + match.start(), start + match.end()
            # Marks do not overlap one another; the last one starting before the span's end.
            last = bisect_right(mark_starts, span_end - 1) - 1
            if last >= 0 and found.marks[last][1] > span_start:
                return False
    return True


def _inline_matches(body: str) -> Iterator[re.Match[str]]:
    """``_INLINE.finditer(body)``, trying only where a match can start."""
    position = 0
    while True:
        candidate = _INLINE_START.search(body, position)
        if candidate is None:
            return
        match = _INLINE.match(body, candidate.start())
        if match is None:
            position = candidate.start() + 1
        else:
            yield match
            position = match.end()


def _check_anchor(body: str, start: int, end: int, found: _Pass) -> None:
    """An anchor's content from ``start`` to ``end``: one line without emphasis is prose.

    Emphasis inside it may nest the anchor apart from its timestamps; across lines it
    may span paragraphs, which only a parse of the whole body can tell.
    """
    if "\n" in body[start:end].rstrip("\n"):
        raise _WholeBody
    if _ANCHOR_TROUBLE.search(body, start, end):
        found.trouble.append(start)


def _by_blocks(
    text: str, body_start: int, body_end: int, found: _Pass, parse_region: RegionParser
) -> NoteSyntax:
    """Prose blocks from the regex pass, the blocks with trouble from marko."""
    blocks = _blocks(text[body_start:body_end])
    starts = [start for start, _end in blocks]
    troubled = {max(bisect_right(starts, offset) - 1, 0) for offset in found.trouble}
    parsed: list[NoteSyntax] = []
    spans: list[tuple[int, int]] = []  # body offsets covered by parsed regions
    index = 0
    while index < len(blocks):
        if index not in troubled:
            index += 1
            continue
        first = index
        while first > 0 and _indented(text, body_start + starts[first]):
            first -= 1
        if spans and spans[-1][1] > starts[first]:
            first = bisect_right(starts, spans.pop()[0]) - 1
            parsed.pop()
        last = index
        while last + 1 < len(blocks) and _indented(text, body_start + starts[last + 1]):
            last += 1
        start, end = starts[first], blocks[last][1]
        syntax, still_open = parse_region(text, body_start + start, body_start + end)
        if still_open:
            end = body_end - body_start
            syntax = parse_region(text, body_start + start, body_end)[0]
        parsed.append(syntax)
        spans.append((start, end))
        if still_open:
            break
        index = last + 1

    def outside(offset: int) -> bool:
        position = bisect_right(spans, (offset - body_start, len(text))) - 1
        return position < 0 or offset - body_start >= spans[position][1]

    return _syntax(
        [link for link in found.links if outside(link.start)],
        [heading for heading in found.headings if outside(heading.start)],
        [stamp for stamp in found.timestamps if outside(stamp.start)],
        parsed,
    )


def _blocks(body: str) -> list[tuple[int, int]]:
    """The runs of non-blank lines of ``body``: (start, end) offsets, line breaks included."""
    blocks: list[tuple[int, int]] = []
    start = -1
    offset = 0
    for line in body.split("\n"):
        end = offset + len(line) + 1
        if line.strip(" \t"):
            if start < 0:
                start = offset
        elif start >= 0:
            blocks.append((start, offset))
            start = -1
        offset = end
    if start >= 0:
        blocks.append((start, len(body)))
    return blocks or [(0, len(body))]


def _indented(text: str, offset: int) -> bool:
    return text[offset : offset + 1] in (" ", "\t")


def _syntax(
    links: list[LinkRef],
    headings: list[Heading],
    timestamps: list[TimestampRef],
    parsed: Sequence[NoteSyntax] = (),
) -> NoteSyntax:
    if not parsed:
        return NoteSyntax(
            links=tuple(links),
            headings=tuple(headings),
            block_ids=(),
            timestamps=tuple(timestamps),
            split_links=(),
            table_rows=(),
        )
    return NoteSyntax(
        links=tuple(sorted([*links, *(x for p in parsed for x in p.links)], key=_start)),
        headings=tuple(sorted([*headings, *(x for p in parsed for x in p.headings)], key=_start)),
        block_ids=tuple(x for p in parsed for x in p.block_ids),
        timestamps=tuple(
            sorted([*timestamps, *(x for p in parsed for x in p.timestamps)], key=_start)
        ),
        split_links=tuple(x for p in parsed for x in p.split_links),
        table_rows=tuple(x for p in parsed for x in p.table_rows),
        simplified=tuple(x for p in parsed for x in p.simplified),
    )


def _start(item: LinkRef | Heading | TimestampRef) -> int:
    return item.start


def _wikilink(match: re.Match[str], body_start: int, text: str) -> LinkRef | None:
    """The link of a ``[[...]]`` match, or ``None`` when it is not one marko would report."""
    content = match.group()
    embed = content.startswith("!")
    inner = content[3 if embed else 2 : -2]
    if not inner.strip():
        return None
    target, subpath, alias = split_wikilink(inner)
    start = body_start + match.start()
    end = body_start + match.end()
    return LinkRef("wikilink", embed, start, end, target, subpath, alias, text[start:end])


def _markdown_link(match: re.Match[str], body_start: int, text: str, found: _Pass) -> None:
    """The link or image of a ``[text](destination)`` match, as marko reports it: a
    link whose text is a timestamp is that timestamp too, with the link's URL."""
    start, end = body_start + match.start(), body_start + match.end()
    label, destination = match.group("text"), match.group("dest")
    target, subpath = split_destination(destination.strip())
    embed = match.group().startswith("!")
    found.links.append(
        LinkRef("markdown", embed, start, end, target, subpath, label.strip(), text[start:end])
    )
    if not embed and TIMESTAMP_TEXT.fullmatch(label):
        stamp = TimestampRef(label, start, start + len(label) + 2, destination, None)
        found.timestamps.append(stamp)
