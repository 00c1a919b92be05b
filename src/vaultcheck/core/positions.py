"""Turn character offsets into 1-based (line, column) pairs.

A line ends at ``\\r\\n``, ``\\n`` or a lone ``\\r``: the same breaks marko normalises,
so a position computed on marko's normalised text and one computed on the original
text name the same line and column.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable, MutableSequence
from itertools import accumulate, repeat
from operator import add

_LINE_BREAK = re.compile(r"\r\n?|\n")


class LineIndex:
    """Offsets of line starts in a text, for O(log n) offset -> (line, column)."""

    starts: MutableSequence[int]

    def __init__(self, text: str) -> None:
        if "\r" in text:
            self.starts = [0]
            self.starts.extend(match.end() for match in _LINE_BREAK.finditer(text))
        else:  # the common case, in C: each line's length plus its "\n", summed up
            lines = text.split("\n")
            self.starts = list(accumulate(map(add, map(len, lines[:-1]), repeat(1)), initial=0))

    @classmethod
    def from_starts(cls, starts: Iterable[int]) -> LineIndex:
        """An index of line starts found earlier (kept in the cache, or sent by a worker).

        Kept as an array of machine integers: the run holds one index per note with
        links until every link is judged, a fourth of the memory of a list of ints.
        """
        index = cls.__new__(cls)
        index.starts = array("q", starts)
        return index

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of the character at ``offset``."""
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based ``line``/``column``: the inverse of :meth:`position`."""
        return self.starts[line - 1] + column - 1

    @property
    def line_count(self) -> int:
        return len(self.starts)


def excerpt(text: str) -> str:
    """What a problem's span is known by: its text, newlines normalised, stripped."""
    return normalise_newlines(text).strip()


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``, as marko does before parsing."""
    return _LINE_BREAK.sub("\n", text)
