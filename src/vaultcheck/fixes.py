"""The pure core of ``--fix``: text in, text out, no files.

:func:`apply_edits` is the only way a fix changes a note: it replaces the spans the
edits name and copies every other character as it was, so line endings, a missing
final newline and everything outside the spans survive by construction.
:func:`split_wikilink` and :func:`normalise_wikilink` give the spelling Obsidian
itself writes for a wikilink or embed, from the link's raw text.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from vaultcheck.printable import quote_path
from vaultcheck.problem import Edit, Fix, Problem
from vaultcheck.syntax.extensions import wikilink_separator

WIKILINK_SPACE = " \t"
"""What Obsidian trims around a link's target and alias: spaces and tabs, never newlines."""


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


def choose_fixes(problems: Iterable[Problem], unsafe: bool = False) -> tuple[list[Edit], int]:
    """The edits of the fixes that apply together, and how many problems they fix;
    unsafe fixes (see :class:`~vaultcheck.problem.Fix`) only when ``unsafe`` is true.

    Fixes are taken in the order of the text; one that conflicts with a fix taken before
    it waits: the caller checks the fixed text again and its rule offers it anew. A fix
    several problems share (one rewrite settling them all) is applied once.
    """
    chosen: list[Edit] = []
    taken: set[Fix] = set()
    fixed = 0
    fixes = [
        problem.fix
        for problem in problems
        if problem.fix is not None and problem.fix.edits and (unsafe or problem.fix.safe)
    ]
    for fix in sorted(fixes, key=lambda fix: min(map(_order, fix.edits))):
        if fix not in taken:
            edits = sorted(fix.edits, key=_order)
            if any(edits_conflict(a, b) for a, b in pairwise(edits)) or any(
                _conflicts_with_chosen(chosen, edit) for edit in edits
            ):
                continue
            for edit in edits:
                insort(chosen, edit, key=_order)
            taken.add(fix)
        fixed += 1
    return chosen, fixed


_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")


def _header_name(prefix: str, name: str) -> str:
    """A name for a ``---``/``+++`` line as git writes it: quoted when it holds control
    characters, quotes or backslashes (so no name can add a line to the patch), and
    followed by a tab when it holds a space (so ``patch`` reads it whole)."""
    quoted = quote_path(prefix + name)
    return quoted + "\t" if " " in quoted else quoted


def unified_diff(before: str, after: str, name: str) -> str:
    """A unified diff from ``before`` to ``after`` that ``patch -p1`` and ``git apply`` take.

    Lines end at ``\\n`` only, so a ``\\r\\n`` file shows its ``\\r`` and a lone ``\\r``
    stays inside its line, as git shows them; a last line without a line break gets
    the ``\\ No newline at end of file`` marker.
    """
    lines = difflib.unified_diff(
        _LINE.findall(before), _LINE.findall(after), _header_name("a/", name), _header_name("b/", name)
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        for line in lines
    )


@dataclass(frozen=True)
class WikilinkParts:
    r"""A wikilink's raw text cut at its separator, each part exactly as written.

    ``raw == opening + target + separator + alias + "]]"``, where ``target`` holds the
    target and subpath, ``separator`` is ``""`` (no alias), ``"|"`` or the escaped
    ``"\|"`` (needed in a table row, read the same elsewhere), and ``alias`` runs to the
    closing brackets.
    """

    embed: bool
    target: str
    separator: str
    alias: str

    @property
    def opening(self) -> str:
        return "![[" if self.embed else "[["

    def target_end(self) -> int:
        """Offset in the raw text just past the target with its trailing spaces trimmed."""
        return len(self.opening) + len(self.target.rstrip(WIKILINK_SPACE))


def split_wikilink(raw: str, in_table: bool) -> WikilinkParts:
    """Cut the raw text of a wikilink or embed (``[[...]]`` / ``![[...]]``) at its separator.

    Only the first pipe separates; later ones belong to the alias.
    """
    embed = raw.startswith("!")
    inner = raw[3 if embed else 2 : -2]
    found = wikilink_separator(inner)
    if found is None:
        return WikilinkParts(embed, inner, "", "")
    start, end = found
    return WikilinkParts(embed, inner[:start], inner[start:end], inner[end:])


def wikilink_reading(raw: str, in_table: bool) -> tuple[str, str, str | None]:
    r"""``(target, subpath, alias)`` as the syntax parser reads the link: what it means.

    >>> wikilink_reading(r"[[ a#h \| b ]]", in_table=True)
    ('a', 'h', 'b')
    """
    parts = split_wikilink(raw, in_table)
    target, _, subpath = _cell_text(parts.target, in_table).partition("#")
    alias = _cell_text(parts.alias, in_table).strip() if parts.separator else None
    return target.strip(), subpath.strip(), alias


def _cell_text(text: str, in_table: bool) -> str:
    r"""What the parser reads of ``text``: a table cell turns ``\|`` into ``|`` first."""
    return text.replace("\\|", "|") if in_table else text


def escape_pipes(text: str) -> str:
    """Every pipe without a backslash before it gets one: in a table row such a pipe
    ends the cell (that is how the table parser splits a row)."""
    return "".join(
        "\\|" if char == "|" and (index == 0 or text[index - 1] != "\\") else char
        for index, char in enumerate(text)
    )


def normalise_wikilink(raw: str, in_table: bool) -> str:
    r"""The spelling Obsidian writes for a wikilink or embed: no spaces around the separator
    or just inside the brackets; in a table row every pipe escaped, so none splits the cell.

    A link that would read differently once respelled is returned as it is, e.g.
    ``[[a\ | b]]``, where trimming would glue the backslash to the pipe and escape it,
    or ``[[a] ]]``, whose ``]`` would then close the link early.

    >>> normalise_wikilink("[[a | b | c]]", in_table=False)
    '[[a|b | c]]'
    >>> print(normalise_wikilink(r"[[ a \| b ]]", in_table=True))
    [[a\|b]]
    >>> print(normalise_wikilink("[[a | b]]", in_table=True))
    [[a\|b]]
    """
    parts = split_wikilink(raw, in_table)
    inner = parts.target.strip(WIKILINK_SPACE)
    if parts.separator:
        inner += parts.separator + parts.alias.strip(WIKILINK_SPACE)
    if in_table:
        inner = escape_pipes(inner)
    respelled = parts.opening + inner + "]]"
    if inner.endswith("]") or wikilink_reading(respelled, in_table) != wikilink_reading(
        raw, in_table
    ):
        return raw
    return respelled
