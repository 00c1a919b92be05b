"""Property: the reported timestamps are a smallest set whose removal leaves the rest in order,
and of the smallest sets, the one that keeps the earliest timestamps."""

from __future__ import annotations

from itertools import combinations, pairwise

from hypothesis import given
from hypothesis import strategies as st

from vaultcheck.timestamps.order import misplaced

# Few distinct values, so ties and repeats are common.
TIMES = st.lists(st.integers(min_value=0, max_value=12), max_size=40)
SMALL = st.lists(st.integers(min_value=0, max_value=5), max_size=9)


def in_order(values: list[int], strict: bool) -> bool:
    return all(a < b if strict else a <= b for a, b in pairwise(values))


def longest_run(values: list[int], strict: bool) -> int:
    """The longest ordered subsequence by the quadratic textbook recurrence."""
    best = [1] * len(values)
    for i, value in enumerate(values):
        for j in range(i):
            if values[j] < value or (not strict and values[j] == value):
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


def without(values: list[int], removed: set[int]) -> list[int]:
    return [value for index, value in enumerate(values) if index not in removed]


@given(TIMES, st.booleans())
def test_removing_the_reported_leaves_order_and_no_smaller_set_would(values, strict):
    removed = {found.index for found in misplaced(values, strict)}
    assert in_order(without(values, removed), strict)
    assert len(removed) == len(values) - longest_run(values, strict)


@given(TIMES, st.booleans())
def test_every_report_conflicts_with_its_anchor(values, strict):
    def ordered(a: int, b: int) -> bool:
        return a < b if strict else a <= b

    for found in misplaced(values, strict):
        value, anchor = values[found.index], values[found.anchor]
        if found.anchor_before:
            assert found.anchor < found.index and not ordered(anchor, value)
        else:
            assert found.anchor > found.index and not ordered(value, anchor)


@given(SMALL, st.booleans())
def test_of_the_smallest_sets_the_earliest_timestamps_are_kept(values, strict):
    kept = [i for i in range(len(values)) if i not in {f.index for f in misplaced(values, strict)}]
    candidates = [
        list(indices)
        for indices in combinations(range(len(values)), len(kept))
        if in_order([values[i] for i in indices], strict)
    ]
    assert kept == min(candidates)
