r"""alias-format: wikilinks and embeds not spelled the way Obsidian writes them.

Obsidian writes ``[[target|alias]]``: no space around the separator pipe, none just
inside the brackets. Scripts and other editors leave ``[[target | alias]]``,
``[[target |alias]]`` or ``[[ target ]]``; they show the same, but turn into noise in
every diff once someone edits the note in Obsidian. In a table row the separator must
be escaped, ``[[target\|alias]]``: a bare ``|`` ends the cell, which breaks the row and
the link (Obsidian does not see one there).

Only the first pipe separates: ``[[a | b | c]]`` has the alias ``b | c`` and is written
``[[a|b | c]]``. Links in code, inline code, comments and math are not links and are
never reported, nor are Markdown links. A link that would mean something else once
respelled (``[[a\ | b]]``: the backslash would escape the pipe) is left alone.

Passes::

    Letting go is hard when you feel [[understanding_clinginess|clingy]].

    | feeling | note |
    | --- | --- |
    | blame | [[understanding_selfblame\|self-blame]] |

Fails::

    Letting go is hard when you feel [[understanding_clinginess | clingy]].

    | feeling | note |
    | --- | --- |
    | blame | [[understanding_selfblame | self-blame]] |

    space around the alias pipe: Obsidian writes [[understanding_clinginess|clingy]]
    space around the alias pipe and a bare '|' in a table row ends the cell: Obsidian
    writes [[understanding_selfblame\|self-blame]]

Fix (``--fix``): removes the spaces and escapes the pipe inside the table row, changing
no other character of the file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultcheck.core.edits import apply_edits
from vaultcheck.core.problem import Edit, Fix, Problem
from vaultcheck.note.syntax import parse_syntax
from vaultcheck.note.wikilinks import (
    WIKILINK_SPACE,
    escape_pipes,
    normalise_wikilink,
    split_wikilink,
    wikilink_reading,
)
from vaultcheck.rules.api import RuleContext, problem_at

if TYPE_CHECKING:
    from vaultcheck.note.note import Note
    from vaultcheck.note.syntax import LinkRef, NoteSyntax
    from vaultcheck.vault.config import Config

NAME = "alias-format"
FAMILY = "aliases"
FIXABLE = True
SUMMARY = "Wikilinks with spaces around the alias pipe or inside the brackets, or a bare pipe in a table."

# A wikilink-shaped span on one line of a table row: brackets cannot occur inside, so
# each character is matched one way and a failed attempt stops at the next bracket.
_BRACKETED = re.compile(r"!?\[\[[^\[\]\r\n]*\]\]")
_LONGEST_SHOWN = 80


@dataclass(frozen=True)
class AliasSwitches:
    """The opt-in rules of the family that are on: ``rule = true`` in
    ``[tool.vaultcheck.aliases]``.

    The switch, not ``--select``, turns these fixes on, so every run of the family (the
    default run, ``--select aliases``, the pre-commit hooks) applies the same ones.
    """

    switched_on: frozenset[str] = frozenset()

    @classmethod
    def from_config(cls, config: Config) -> AliasSwitches:
        table = config.section(FAMILY)
        return cls(frozenset(name for name, value in table.items() if value is True))

    def on(self, rule: str) -> bool:
        return rule in self.switched_on


def in_table_row(syntax: NoteSyntax, offset: int) -> bool:
    """True when ``offset`` lies in a table row, where ``\\|`` is a wikilink's separator."""
    rows = syntax.table_rows
    index = bisect_right(rows, offset, key=lambda row: row[0]) - 1
    return index >= 0 and offset < rows[index][1]


def reads_as_parsed(link: LinkRef, in_table: bool) -> bool:
    """True when :mod:`vaultcheck.note.wikilinks` cuts the link where the parser did, so a fix
    built on that cut keeps the link's meaning."""
    return wikilink_reading(link.raw, in_table) == (link.target, link.subpath, link.alias)


def _has_bare_pipe(raw: str) -> bool:
    """A pipe with no backslash before it: in a table row it ends the cell."""
    return escape_pipes(raw) != raw


def _message(raw: str, respelled: str, in_table: bool) -> str:
    parts = split_wikilink(raw, in_table)
    last = parts.alias if parts.separator else parts.target
    reasons = []
    if parts.target.lstrip(WIKILINK_SPACE) != parts.target or last.rstrip(WIKILINK_SPACE) != last:
        reasons.append("space inside the brackets")
    if parts.separator and (
        parts.target.rstrip(WIKILINK_SPACE) != parts.target
        or parts.alias.lstrip(WIKILINK_SPACE) != parts.alias
    ):
        reasons.append("space around the alias pipe")
    if in_table and _has_bare_pipe(raw):
        reasons.append("a bare '|' in a table row ends the cell")
    shown = respelled if len(respelled) <= _LONGEST_SHOWN else respelled[: _LONGEST_SHOWN - 3] + "..."
    return f"{' and '.join(reasons)}: Obsidian writes {shown}"


def _problem(note: Note, start: int, end: int, respelled: str, in_table: bool) -> Problem:
    message = _message(note.text[start:end], respelled, in_table)
    return problem_at(note, NAME, start, end, message, Fix((Edit(start, end, respelled),)))


def check(note: Note, ctx: RuleContext) -> Iterator[Problem]:
    syntax = note.syntax
    for link in syntax.links:
        if link.kind != "wikilink":
            continue
        in_table = in_table_row(syntax, link.start)
        if not reads_as_parsed(link, in_table):
            continue
        respelled = normalise_wikilink(link.raw, in_table)
        if respelled != link.raw:
            yield _problem(note, link.start, link.end, respelled, in_table)
    for edit in _cell_splitting_links(note):
        yield _problem(note, edit.start, edit.end, edit.replacement, in_table=True)


def _cell_splitting_links(note: Note) -> list[Edit]:
    """The links a bare pipe cuts in two in table rows, with their escaped spelling.

    The parser sees no link there, so each candidate is confirmed by parsing the note
    with the pipes escaped: only spans that then read as that very link are kept
    (``[[a|b]]`` in inline code or a comment stays code or comment, and untouched).
    """
    candidates = []
    for start, end in note.syntax.table_rows:
        for match in _BRACKETED.finditer(note.text, start, end):
            if _has_bare_pipe(match.group()):
                respelled = normalise_wikilink(match.group(), in_table=True)
                if respelled != match.group():
                    candidates.append(Edit(match.start(), match.end(), respelled))
    while candidates:
        confirmed = _confirmed(note, candidates)
        if len(confirmed) == len(candidates):
            break
        candidates = confirmed
    return candidates


def _confirmed(note: Note, candidates: list[Edit]) -> list[Edit]:
    """The candidates that are links reading as intended once all of them are applied."""
    fixed = apply_edits(note.text, candidates)
    links = {
        (link.start, link.end): link
        for link in parse_syntax(fixed, note.frontmatter.body_start).links
        if link.kind == "wikilink"
    }
    confirmed = []
    shift = 0
    for edit in candidates:
        start = edit.start + shift
        link = links.get((start, start + len(edit.replacement)))
        if link is not None and reads_as_parsed(link, in_table=True):
            confirmed.append(edit)
        shift += len(edit.replacement) - (edit.end - edit.start)
    return confirmed
