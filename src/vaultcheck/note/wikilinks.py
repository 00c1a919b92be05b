"""The pure core of ``--fix``: text in, text out, no files.

:func:`apply_edits` is the only way a fix changes a note: it replaces the spans the
edits name and copies every other character as it was, so line endings, a missing
final newline and everything outside the spans survive by construction.
:func:`split_wikilink` and :func:`normalise_wikilink` give the spelling Obsidian
itself writes for a wikilink or embed, from the link's raw text.
"""

from __future__ import annotations

from dataclasses import dataclass

from vaultcheck.note.syntax.extensions import wikilink_separator

WIKILINK_SPACE = " \t"
"""What Obsidian trims around a link's target and alias: spaces and tabs, never newlines."""


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


