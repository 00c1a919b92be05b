"""Edits to a note's text: applying them, and choosing fixes whose edits do not
overlap."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable
from itertools import pairwise

from vaultcheck.core.problem import Edit, Fix, Problem


class OverlappingEdits(ValueError):
    """Two edits claim the same characters, so the order they apply in would matter."""


def edits_conflict(first: Edit, second: Edit) -> bool:
    """True when two edits cannot both apply: they overlap, or start at the same offset
    (two insertions at one place, or an insertion where a replacement starts, have no
    order of their own)."""
    if first.start > second.start:
        first, second = second, first
    return second.start < first.end or second.start == first.start


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with every edit applied; offsets are into the original ``text``.

    >>> apply_edits("[[a | b]]", [Edit(3, 6, "|")])
    '[[a|b]]'

    Raises :class:`OverlappingEdits` when two edits conflict and :class:`ValueError`
    for an edit outside the text, so a buggy fix fails loudly instead of writing a
    guess.
    """
    ordered = sorted(edits, key=lambda edit: (edit.start, edit.end))
    pieces: list[str] = []
    position = 0
    previous: Edit | None = None
    for edit in ordered:
        if not 0 <= edit.start <= edit.end <= len(text):
            raise ValueError(f"edit {edit.start}..{edit.end} is outside a text of {len(text)}")
        if previous is not None and edits_conflict(previous, edit):
            raise OverlappingEdits(
                f"edits {previous.start}..{previous.end} and {edit.start}..{edit.end} overlap"
            )
        pieces.append(text[position : edit.start])
        pieces.append(edit.replacement)
        position = edit.end
        previous = edit
    pieces.append(text[position:])
    return "".join(pieces)


def _order(edit: Edit) -> tuple[int, int]:
    return edit.start, edit.end


def _conflicts_with_chosen(chosen: list[Edit], edit: Edit) -> bool:
    """Whether ``edit`` conflicts with one of ``chosen`` (sorted, pairwise compatible):
    only the neighbours it would sit between can."""
    index = bisect_left(chosen, _order(edit), key=_order)
    return any(edits_conflict(edit, other) for other in chosen[max(index - 1, 0) : index + 1])


def choose_fixes(problems: Iterable[Problem]) -> tuple[list[Edit], list[Problem]]:
    """The edits of the fixes that apply together, and the problems they fix.

    Fixes are taken in the order of the text; one that conflicts with a fix taken before
    it waits: the caller checks the fixed text again and its rule offers it anew. A fix
    several problems share (one rewrite settling them all) is applied once.
    """
    chosen: list[Edit] = []
    taken: set[Fix] = set()
    fixed: list[Problem] = []
    fixable = [(problem, problem.fix) for problem in problems if problem.fix is not None and problem.fix.edits]
    for problem, fix in sorted(fixable, key=lambda item: min(map(_order, item[1].edits))):
        if fix not in taken:
            edits = sorted(fix.edits, key=_order)
            if any(edits_conflict(a, b) for a, b in pairwise(edits)) or any(
                _conflicts_with_chosen(chosen, edit) for edit in edits
            ):
                continue
            for edit in edits:
                insort(chosen, edit, key=_order)
            taken.add(fix)
        fixed.append(problem)
    return chosen, fixed


