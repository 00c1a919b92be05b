"""The fast path: notes written in plain prose are scanned with regexes, not parsed.

marko is the parser of record, and it is slow (about 1.4 MB/s). Most notes of a
video-notes vault hold nothing that could hide a link or a timestamp or change what
a line is: no code, comments, math, escapes, HTML blocks, indented lines, setext or
table underlines, Markdown link syntax or block ids. For such a note, links,
headings and timestamps sit exactly where plain regexes find them, so
:func:`scan_plain` finds them directly; for any other note it returns ``None`` and
the caller parses with marko. The differential tests hold both paths to the same
result on the corpus and on generated notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from marko.inline import InlineHTML

from vaultcheck.syntax.extensions import TIMESTAMP_TEXT, WikiLink
from vaultcheck.syntax.model import Heading, LinkRef, NoteSyntax, TimestampRef

_CONTAINERS = r"(?:>[ ]?|(?:[-+*]|[0-9]{1,9}[.)])[ ]+)*"
#: Anything that makes a note need the parser, searched once in the body with its
#: wikilinks blanked out: code, math, comments, escapes, Markdown links and link
#: definitions, block ids, HTML at the start of a line, setext or table underlines,
#: thematic breaks, empty list items, and indented lines that could be code (after a
#: blank line or a heading) or hide a heading.
_NEEDS_PARSER = re.compile(
    r"[`$\\\t\r]|%%|~~~|\[\[|\][(\[:]|\^[A-Za-z0-9-]+[ ]*$"
    r"|^[ ]{0,3}" + _CONTAINERS + r"(?:<|[ ]{4}(?:[-+*][ ]|[0-9]{1,9}[.)][ ])*#)"
    r"|^[ ]{0,3}" + _CONTAINERS + r"(?:[=-]+|[*_][ ]*[*_][ ]*[*_][ *_]*)[ ]*$"
    r"|^[ ]{0,3}" + _CONTAINERS + r"\|?[ :-]*-[ :-]*\|[ |:-]*$"
    r"|^[ ]{0,3}" + _CONTAINERS + r"(?:[-+*]|[0-9]{1,9}[.)])[ ]*$"
    r"|(?:\A|^[ ]*\n|^[ ]{0,3}#{1,6}(?:[ ].*)?\n)[ ]{4}"
    r"|^[ ]{4,}" + _CONTAINERS + r"#{1,6}(?:[ ]|$)",
    re.MULTILINE,
)
#: The only inline HTML the fast path accepts: ``<a ...>``, ``</a>`` and ``<br>``, no brackets.
_SIMPLE_TAG = re.compile(r"<(?:a(?:\s[^<>\[\]`]*)?|/a\s*|br\s*/?)>", re.IGNORECASE)
_HTML = InlineHTML.pattern if isinstance(InlineHTML.pattern, re.Pattern) else re.compile(InlineHTML.pattern)
_HEADING = re.compile(
    r"^(?:[ ]{0,3}" + _CONTAINERS + r")??([ ]{0,3})(#{1,6})(?=[ ]|$)(.*?)(?:[ ]#+)?[ ]*$",
    re.MULTILINE,
)
_LINE_WIKILINK = re.compile(r"!?\[\[((?:[^\[\]\n]|\[(?!\[)|\](?!\]))*)\]\]")
_INLINE = re.compile(
    r"(?P<wiki>!?\[\[(?:[^\[\]\n]|\[(?!\[)|\](?!\]))*\]\])"
    r"|(?P<stamp>\[" + TIMESTAMP_TEXT.pattern + r"\])"
    r"|(?P<tag><[^<>\n]*>)"
    r"|(?P<boundary>[*_\n])"
)
_DATA_T = re.compile(r"""\sdata-t\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)


def scan_plain(text: str, body_start: int) -> NoteSyntax | None:
    """Links, headings and timestamps of a plain-prose note, or ``None`` to ask marko."""
    body = text[body_start:]
    if _NEEDS_PARSER.search(_LINE_WIKILINK.sub("\x01", body)):
        return None
    links: list[LinkRef] = []
    timestamps: list[TimestampRef] = []
    data_t: str | None = None
    anchor_open = False
    for match in _INLINE.finditer(body):
        kind = match.lastgroup
        if kind == "wiki":
            link = _wikilink(match, body_start, text)
            if link is None:
                return None
            links.append(link)
        elif kind == "stamp":
            start = body_start + match.start()
            stamp = match.group()[1:-1]
            timestamps.append(TimestampRef(stamp, start, start + len(stamp) + 2, None, data_t))
        elif kind == "tag":
            tag = match.group()
            if not _SIMPLE_TAG.fullmatch(tag) or not _HTML.fullmatch(tag):
                return None
            if tag[1:2].lower() == "a":
                data_t, anchor_open = _data_t(tag), True
            elif tag[1:3].lower() == "/a":
                data_t, anchor_open = None, False
        elif anchor_open:
            # Emphasis inside an open anchor may nest the anchor apart from its
            # timestamps, and an anchor open across lines may span paragraphs.
            return None
    if anchor_open:
        return None
    return NoteSyntax(
        links=tuple(links),
        headings=tuple(_headings(text, body, body_start)),
        block_ids=(),
        timestamps=tuple(timestamps),
        split_links=(),
        table_rows=(),
    )


def _wikilink(match: re.Match[str], body_start: int, text: str) -> LinkRef | None:
    """The link of a ``[[...]]`` match, or ``None`` when it is not one marko would report."""
    content = match.group()
    embed = content.startswith("!")
    inner = content[3 if embed else 2 : -2]
    if not inner.strip():
        return None
    element = WikiLink(_LINE_WIKILINK.fullmatch(content))  # type: ignore[arg-type]
    start = body_start + match.start()
    return LinkRef(
        kind="wikilink",
        embed=embed,
        start=start,
        end=body_start + match.end(),
        target=element.target,
        subpath=element.subpath,
        alias=element.alias,
        raw=text[start : body_start + match.end()],
    )


def _data_t(tag: str) -> str | None:
    found = _DATA_T.search(tag)
    return None if found is None else found.group(found.lastindex or 0)


def _headings(text: str, body: str, body_start: int) -> list[Heading]:
    headings = []
    for match in _HEADING.finditer(body):
        start = body_start + match.start(1)
        headings.append(
            Heading(len(match.group(2)), match.group(3).strip(), start, body_start + match.end())
        )
    return headings


def scan(
    text: str,
    body_start: int,
    body_end: int,
    parse: Callable[[str, int, int], NoteSyntax],
) -> NoteSyntax:
    """The syntax of ``text[body_start:body_end]``: by regex when plain, else by ``parse``."""
    found = scan_plain(text[:body_end], body_start)
    return parse(text, body_start, body_end) if found is None else found
