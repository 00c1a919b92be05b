"""Timestamp anchors, ``<a class="yt-timestamp" data-t="00:03:42">...</a>``, and visible
times in HTML blocks: shared by the regex fast path and the marko collector.

An anchor whose content holds a bracketed time (``>[00:03:42]</a>``) lends its ``data-t``
to that time. An anchor with a ``data-t`` that holds none (``>00:03:42</a>``, or nothing
at all) is a timestamp of its own: its ``data-t`` is the time it cites, and its content,
when that is a time, must agree. :class:`OpenAnchor` decides which, as anchors open and
close in document order.

An HTML block (a line starting with ``<br>`` or ``<div>`` after a blank line...) is raw
HTML to Obsidian: links there are not rendered, but a ``[00:03:42]`` in its text is what the
reader sees, so :func:`html_block_timestamps` finds those, and its anchors. Text the reader
does not see is skipped: comments (HTML and ``%%``), attributes, and the content of
``<script>``, ``<style>``, ``<pre>``, ``<code>`` and ``<textarea>``.
"""

from __future__ import annotations

import re

from vaultcheck.note.syntax.extensions import TIMESTAMP_TEXT
from vaultcheck.note.syntax.model import TimestampRef

ANCHOR = re.compile(r"<a(\s[^>]*)?>", re.IGNORECASE)
ANCHOR_END = re.compile(r"</a\s*>", re.IGNORECASE)
DATA_T = re.compile(r"""\sdata-t\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)

#: What matters in an HTML block, in one linear pass: the hidden parts (each runs to its
#: end, or to the end of the block when unclosed), tags, and bracketed times.
_HTML_TEXT = re.compile(
    r"<!--.*?(?:-->|\Z)|%%.*?(?:%%|\Z)"
    r"|<(script|style|pre|code|textarea)(?=[\s/>]).*?(?:</\1\s*>|\Z)"
    r"|(?P<tag></?[A-Za-z][^<>]*>)"
    r"|\[(?P<stamp>" + TIMESTAMP_TEXT.pattern + r")\]",
    re.DOTALL | re.IGNORECASE,
)


def data_t_of(tag: str) -> str | None:
    """The ``data-t`` value of an opening tag, None when it has none."""
    found = DATA_T.search(tag)
    return None if found is None else found.group(found.lastindex or 0)


class OpenAnchor:
    """The ``<a data-t>`` anchor open at this point of a note, adding to ``timestamps``.

    Call :meth:`open` at each ``<a ...>``, :meth:`close` at ``</a>`` and where the anchor
    ends without one (another anchor, the end of its paragraph): an anchor with a
    ``data-t`` that no timestamp was added inside of becomes a timestamp itself, spanning
    the anchor (its opening tag when it never closed).
    """

    def __init__(self, timestamps: list[TimestampRef]) -> None:
        self.timestamps = timestamps
        self.data_t: str | None = None
        self.start = self.end = -1
        self.inside = 0

    def open(self, start: int, end: int, data_t: str | None) -> None:
        """An opening tag ``<a ...>`` at ``start``-``end``; ends any anchor still open."""
        self.close()
        self.data_t, self.start, self.end, self.inside = data_t, start, end, len(self.timestamps)

    def close(self, content: str | None = None, end: int = -1) -> None:
        """The anchor ends: at ``</a>`` ending at ``end``, after ``content``; or, with no
        ``content``, without a closing tag."""
        if self.data_t is not None and len(self.timestamps) == self.inside:
            text, stop = ("", self.end) if content is None else (content.strip(), end)
            self.timestamps.append(TimestampRef(text, self.start, stop, None, self.data_t, False))
        self.data_t = None


def html_block_timestamps(text: str, start: int, end: int) -> list[TimestampRef]:
    """The visible timestamps and the anchors of the HTML block ``text[start:end]``."""
    found: list[TimestampRef] = []
    anchor = OpenAnchor(found)
    for match in _HTML_TEXT.finditer(text, start, end):
        tag = match.group("tag")
        stamp = match.group("stamp")
        if stamp is not None:
            found.append(TimestampRef(stamp, match.start(), match.end(), None, anchor.data_t))
        elif tag is not None and ANCHOR.match(tag):
            anchor.open(match.start(), match.end(), data_t_of(tag))
        elif tag is not None and ANCHOR_END.match(tag):
            anchor.close(text[anchor.end : match.start()], match.end())
    anchor.close()
    return found
