"""redundant-alias: a wikilink whose alias repeats its target, ``[[a|a]]``.

Obsidian shows ``[[a]]`` as ``a`` already, so the alias only adds length. The alias
must equal the target exactly (``[[a|A]]`` shows something else and passes); links
with a heading or block (``[[a#h|a#h]]``, which Obsidian would otherwise show as
``a > h``) and embeds (whose alias is a size or a caption) are left alone.

Opt-in: it reports (and ``--fix`` fixes) only with ``redundant-alias = true`` in
``[tool.vaultcheck.aliases]``.

Passes::

    Dopamine drives [[motivation]]; see also [[dopamine_reserves|reserves]].

Fails::

    Dopamine drives [[motivation|motivation]].

    the alias repeats the target: [[motivation]] shows the same

Fix (``--fix``): deletes the pipe and the alias, ``[[motivation]]``; in a table the
escaped pipe goes with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Edit, Fix, Problem
from vaultcheck.note.wikilinks import split_wikilink, wikilink_reading
from vaultcheck.rules.alias_format import AliasSwitches, in_table_row, reads_as_parsed
from vaultcheck.rules.api import RuleContext, problem_at

if TYPE_CHECKING:
    from vaultcheck.note.note import Note

NAME = "redundant-alias"
FAMILY = "aliases"
FIXABLE = True
SUMMARY = "A wikilink whose alias repeats its target: [[a|a]] is [[a]] (opt-in)."


def check(note: Note, ctx: RuleContext) -> Iterator[Problem]:
    if not ctx.options(AliasSwitches).on(NAME):
        return
    syntax = note.syntax
    for link in syntax.links:
        if link.kind != "wikilink" or link.embed or link.subpath or link.alias != link.target:
            continue
        in_table = in_table_row(syntax, link.start)
        if not reads_as_parsed(link, in_table):
            continue
        cut = split_wikilink(link.raw, in_table).target_end()
        shorter = link.raw[:cut] + "]]"
        if wikilink_reading(shorter, in_table) != (link.target, "", None):
            continue
        message = f"the alias repeats the target: {shorter} shows the same"
        fix = Fix((Edit(link.start + cut, link.end - 2, ""),))
        yield problem_at(note, NAME, link.start, link.end, message, fix)
