"""Bounds on marko's work, so that no note can make parsing superlinear.

marko is not built for hostile input. Measured on marko 2.2.4: each level of block
quote or list nesting makes every line slower, and ``> `` repeated 40 times on one
line backtracks through 2**40 ways of matching marko's quote prefix; in running text,
every ``]`` copies the list of unmatched ``[``, ``*`` and ``_`` delimiters before it,
a link's text is rescanned for balanced brackets, and an unmatched backtick run scans
to the end of the paragraph. ``[`` repeated 20,000 times before as many ``]`` takes
minutes; so does 360 kB of ``[[a]] *b``.

Two bounds keep every note linear, and each place they cut in is recorded so that the
``markdown-too-complex`` rule can say which parts were read in a simpler way:

* **Block nesting.** A block quote or list is not opened inside
  :data:`MAX_CONTAINER_DEPTH` others: its marker is read as text, as if it were
  escaped. Links on such lines are still found.
* **Inline cost.** Before marko parses the text of a paragraph, heading or table
  cell, :func:`inline_cost` estimates in one pass the work marko's link and emphasis
  parser would do on it, and :func:`inline_nesting` the deepest bracket or emphasis
  nesting it would build. Past :func:`inline_budget` or :data:`MAX_INLINE_DEPTH`,
  only the elements whose search is linear (wikilinks, embeds, timestamps, comments,
  math, block ids, HTML, autolinks) are looked for in that text: Markdown links,
  emphasis and code spans are not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from marko import block, inline, inline_parser
from marko.helpers import MarkoExtension
from marko.source import Source

#: Containers (block quotes and list items) one inside another that marko may open.
MAX_CONTAINER_DEPTH = 16
#: Brackets or emphasis one inside another that marko may build in one paragraph.
MAX_INLINE_DEPTH = 32
_BASE_BUDGET = 1_000_000
_BUDGET_PER_CHARACTER = 50

DEEP_BLOCKS = (
    f"block quotes and lists nested deeper than {MAX_CONTAINER_DEPTH} levels;"
    " the deeper markers were read as text"
)
COSTLY_INLINE = (
    "text too dense in brackets, emphasis or backticks to parse in linear time; only"
    " wikilinks, embeds and timestamps were looked for in it, not Markdown links"
)

_INLINE_TOKEN = re.compile(r"!?\[|\]\(?|`+|\*+|_+|\\.", re.DOTALL)

#: The attribute of marko's Document where the places a bound cut in are kept.
_RECORD = "vaultcheck_limits"


def _record(source: Source, position: int, reason: str) -> None:
    """Remember that a bound cut in at ``position`` of the parsed text (first per place)."""
    found: dict[int, str] = getattr(source.root, _RECORD, None) or {}
    found.setdefault(position, reason)
    setattr(source.root, _RECORD, found)


def recorded_limits(document: block.Document) -> dict[int, str]:
    """Where the bounds cut in while parsing ``document``: offset in the parsed text -> reason."""
    found: dict[int, str] = getattr(document, _RECORD, None) or {}
    return found


def _container_depth(source: Source) -> int:
    return sum(isinstance(state, (block.Quote, block.ListItem)) for state in source._states)


def _too_deep(source: Source) -> bool:
    """Whether opening one more container would exceed :data:`MAX_CONTAINER_DEPTH`."""
    if _container_depth(source) < MAX_CONTAINER_DEPTH:
        return False
    _record(source, source.pos, DEEP_BLOCKS)
    return True


class DepthLimitedQuote(block.Quote):
    """marko's block quote, not opened inside :data:`MAX_CONTAINER_DEPTH` containers."""

    override = True

    @classmethod
    def match(cls, source: Source) -> Any:
        if _too_deep(source):
            return None
        return super().match(source)


class DepthLimitedList(block.List):
    """marko's list, not opened inside :data:`MAX_CONTAINER_DEPTH` containers."""

    override = True

    @classmethod
    def match(cls, source: Source) -> bool:
        return not _too_deep(source) and super().match(source)


def _backtick_scans(text: str) -> int:
    """What marko's code span search costs: an opening run of backticks scans to the
    next run of the same length, or to the end of the text when there is none."""
    runs = [(match.start(), len(match.group())) for match in re.finditer(r"`+", text)]
    next_same: dict[int, int] = {}
    cost = 0
    for start, length in reversed(runs):
        cost += next_same.get(length, len(text)) - start
        next_same[length] = start
    return cost


def inline_cost(text: str) -> int:
    """An upper estimate, in characters and list items, of the work marko's link and
    emphasis parser does on ``text``, computed in one linear pass.

    At every ``]`` marko copies its list of pending delimiters, rescans the text back
    to the nearest ``[`` for balanced brackets and, before ``(``, reads a destination
    up to the next ``)``. Its emphasis pass takes a step per pair of ``*`` or ``_`` it
    matches and per run it drops, and each step may search or remove from the list of
    runs (``list.remove``): the runs times (runs plus characters) bounds it.
    """
    cost = _backtick_scans(text)
    runs = characters = 0
    pending = 0
    openers: list[int] = []
    next_paren = -1
    for match in _INLINE_TOKEN.finditer(text):
        token = match.group()
        if token[0] in "[!":
            pending += 1
            openers.append(match.end())
        elif token[0] == "]":
            cost += pending + 1
            if openers:
                cost += match.start() - openers.pop()
                pending -= 1
            if token == "](":
                if next_paren < match.end():
                    found = text.find(")", match.end())
                    next_paren = len(text) if found < 0 else found
                cost += next_paren - match.end()
        elif token[0] in "*_":
            pending += 1
            runs += 1
            characters += len(token)
    return cost + runs * (runs + characters)


def inline_nesting(text: str) -> int:
    """The deepest nesting marko could build in ``text``: brackets closed inside
    others, or half the longest run of ``*`` or ``_`` (each pair is one level)."""
    deepest = 0
    depth = 0
    for match in _INLINE_TOKEN.finditer(text):
        token = match.group()
        if token[0] in "[!":
            depth += 1
        elif token[0] == "]" and depth:
            deepest = max(deepest, depth)
            depth -= 1
        elif token[0] in "*_":
            deepest = max(deepest, len(token) // 2)
    return deepest


def inline_budget(text: str) -> int:
    """The work marko may do on ``text``: a fixed allowance plus a share per character."""
    return _BASE_BUDGET + _BUDGET_PER_CHARACTER * len(text)


def _affordable(text: str) -> bool:
    return inline_nesting(text) <= MAX_INLINE_DEPTH and inline_cost(text) <= inline_budget(text)


class LimitedInlineParser:
    """A parser mixin: inline text over the bounds is searched only by linear elements."""

    inline_elements: dict[str, type[inline.InlineElement]]

    def _parse_inline(
        self, text: str, source: Source, positions: Sequence[int] | None = None
    ) -> list[inline.InlineElement]:
        if _affordable(text):
            result: list[inline.InlineElement] = super()._parse_inline(  # type: ignore[misc]  # a mixin: super() is marko's parser
                text, source, positions
            )
            return result
        _record(source, positions[0] if positions else source.pos, COSTLY_INLINE)
        return self._parse_linear_inline(text, source, positions)

    def _parse_linear_inline(
        self, text: str, source: Source, positions: Sequence[int] | None
    ) -> list[inline.InlineElement]:
        """marko's inline parse without its link, emphasis and code span search."""
        fallback = self.inline_elements["RawText"]
        elements = [
            element
            for element in self.inline_elements.values()
            if not element.virtual and not issubclass(element, inline.CodeSpan)
        ]
        tokens = [
            inline_parser.Token(element, match, text, fallback, positions)
            for element in elements
            for match in element.find(text, source=source)
        ]
        tokens.sort()
        return inline_parser.make_elements(
            inline_parser._resolve_overlap(tokens), text, fallback=fallback, positions=positions
        )


LIMITS = MarkoExtension(
    elements=[DepthLimitedQuote, DepthLimitedList], parser_mixins=[LimitedInlineParser]
)
