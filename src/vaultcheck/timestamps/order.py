"""The fewest values to drop from a sequence so the rest is in order, and why each is out.

Reporting every timestamp after a misplaced one would bury the one wrong citation
under correct ones. The fewest to drop are the complement of a longest non-decreasing
subsequence (increasing when ``strict``). Of the several longest subsequences a
sequence can have, the one kept is the first in reading order (at the first place two
candidates differ, it keeps the earlier value), so in ``[3:42] [0:04]`` the later
``[0:04]`` is reported. O(n log n).

>>> [(m.index, m.anchor, m.anchor_before) for m in misplaced([26, 28, 491, 249, 85, 561])]
[(3, 2, True), (4, 2, True)]
>>> [(m.index, m.anchor, m.anchor_before) for m in misplaced([10, 900, 20, 30])]
[(1, 2, False)]
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Misplaced:
    """``values[index]`` is out of order against the kept ``values[anchor]``.

    ``anchor_before``: the anchor comes earlier and the value should not be below it
    (the value is too early); otherwise the anchor comes later and the value should
    not be above it (the value is too late).
    """

    index: int
    anchor: int
    anchor_before: bool


def _run_lengths_ending_at(values: Sequence[int], strict: bool) -> list[int]:
    """For each position, the length of the longest non-decreasing (``strict``: increasing)
    subsequence that ends there; patience sorting, O(n log n)."""
    place = bisect_left if strict else bisect_right
    tails: list[int] = []
    lengths: list[int] = []
    for value in values:
        length = place(tails, value)
        if length == len(tails):
            tails.append(value)
        else:
            tails[length] = value
        lengths.append(length + 1)
    return lengths


def kept_indices(values: Sequence[int], strict: bool = False) -> list[int]:
    """The positions of the first (in reading order) longest non-decreasing subsequence.

    ``starting[i]`` is the longest run starting at ``i``: the longest run ending there in
    the reversed, negated sequence. Walking forward, a value is kept when it continues the
    run and a run of the remaining length starts at it; taking the first such value each
    time gives the first longest subsequence.
    """
    starting = _run_lengths_ending_at([-value for value in reversed(values)], strict)[::-1]
    remaining = max(starting, default=0)
    kept: list[int] = []
    for index, value in enumerate(values):
        if remaining == 0:
            break
        previous = values[kept[-1]] if kept else None
        follows = previous is None or (value > previous if strict else value >= previous)
        if follows and starting[index] == remaining:
            kept.append(index)
            remaining -= 1
    return kept


def misplaced(values: Sequence[int], strict: bool = False) -> list[Misplaced]:
    """The values to report, in order, each with the kept value it conflicts with.

    A dropped value that is not below the last kept value before it (and not equal, when
    ``strict``) must be above the first kept value after it, or the longest subsequence
    could have kept it too: so the anchor is the one before when that conflicts, else the
    one after.
    """
    kept = kept_indices(values, strict)
    kept_set = set(kept)
    found: list[Misplaced] = []
    before: int | None = None
    after = 0
    for index, value in enumerate(values):
        if index in kept_set:
            before = index
            after += 1
            continue
        if before is not None and (value <= values[before] if strict else value < values[before]):
            found.append(Misplaced(index, before, anchor_before=True))
        else:
            found.append(Misplaced(index, kept[after], anchor_before=False))
    return found
