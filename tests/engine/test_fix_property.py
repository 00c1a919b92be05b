"""Property: ``--fix`` respells exactly the links it should and moves nothing else.

Notes are generated from pieces that each know what they are (a live wikilink, a link
in code, a comment, math, a Markdown link, a line break...) and what ``--fix`` must make
of them; the expected spelling comes from the issue's rules, not from ``fixes.py``.
Over every generated note (LF, CRLF and lone-CR line breaks, BOM, no final newline,
tables with escaped and bare pipes, frontmatter):

* the fixed file is exactly the pieces' expected bytes, and with every link respelled
  back it is the original;
* it parses to the same links, with trimmed targets and aliases, in the same order;
* a second ``--fix`` changes nothing and does not rewrite the file;
* no rule reports a problem after the fix that it did not report before, except the
  links rules on links in a table row that a bare pipe hid until the fix escaped it.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultcheck.note.note import UTF8_BOM, Note

LINK_RULES = {"broken-link", "broken-heading", "broken-block-ref", "missing-attachment",
              "ambiguous-link"}


@dataclass(frozen=True)
class Piece:
    """A stretch of a generated note: as written, as ``--fix`` must leave it, and, for a
    live wikilink, what it must parse to afterwards (embed, target, subpath, alias)."""

    written: str
    fixed: str
    link: tuple[bool, str, str, str | None] | None = None
    in_table: bool = False


def plain(text: str) -> Piece:
    return Piece(text, text)


SPACE = st.sampled_from(["", "", " ", "  ", "\t", " \t"])
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzAZ0189é日", min_size=1, max_size=6)
WORDS = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
NAME = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_.0189é日", min_size=1, max_size=8),
    min_size=1, max_size=2,
).map(" ".join)
SUBPATH = st.one_of(WORDS, st.from_regex(r"\^[a-z0-9]{1,6}", fullmatch=True))
# A lone CR breaks lines only in notes that use it throughout: "\r" before a blank
# line's "\n" would read as one CRLF, gluing two blocks together.
NEWLINES = {"LF": ["\n"], "CRLF": ["\r\n"], "CR": ["\r"], "mixed": ["\n", "\r\n"]}


@st.composite
def destinations(draw: st.DrawFn) -> tuple[str, str, str]:
    """A link's destination as written, with its parsed target and subpath."""
    target = draw(NAME)
    if not draw(st.booleans()):
        return target, target, ""
    subpath = draw(SUBPATH)
    return target + draw(SPACE) + "#" + draw(SPACE) + subpath, target, subpath


@st.composite
def wikilinks(draw: st.DrawFn, in_table: bool, redundant_on: bool) -> Piece:
    """``[[ target#subpath | alias ]]`` with spaces and tabs where Obsidian writes none.

    Outside a table the separator is ``|``; in a table row it is ``\\|`` or a bare ``|``
    (which hides the link until it is escaped). Pipes after the separator belong to the
    alias; in a table every bare one gets escaped.
    """
    embed = draw(st.sampled_from([False, False, True]))
    opening = "![[" if embed else "[["
    destination, target, subpath = draw(destinations())
    inner = draw(SPACE) + destination + draw(SPACE)
    if not draw(st.booleans()):
        fixed_inner = destination
        link = (embed, target, subpath, None)
    else:
        pipes = ["|", "\\|"] if in_table else ["|"]
        separator = draw(st.sampled_from(pipes))
        words = draw(st.one_of(
            st.just([target]),
            st.lists(WORDS, max_size=3),
        ))
        alias = ""
        for index, word in enumerate(words):
            if index:
                alias += draw(SPACE) + draw(st.sampled_from([*pipes, "\\|"])) + draw(SPACE)
            alias += word
        inner += separator + draw(SPACE) + alias + draw(SPACE)
        shown = alias.replace("\\|", "|") if in_table else alias
        if redundant_on and not embed and not subpath and shown == target:
            fixed_inner = destination
            link = (embed, target, subpath, None)
        else:
            escaped_alias = "".join(
                "\\|" if char == "|" and alias[index - 1 : index] != "\\" else char
                for index, char in enumerate(alias)
            ) if in_table else alias
            fixed_inner = destination + ("\\|" if in_table else "|") + escaped_alias
            link = (embed, target, subpath, shown)
    return Piece(opening + inner + "]]", opening + fixed_inner + "]]", link, in_table)


def hidden(link: Piece, before: str, after: str) -> Piece:
    """A link inside something that is not a link context: never touched."""
    return plain(before + link.written + after)


def escaped(link: Piece) -> Piece:
    """A link whose first bracket is escaped, ``\\[[a | b]]``: text, not a link."""
    return plain(link.written.replace("[[", "\\[[", 1))


@st.composite
def prose_pieces(draw: st.DrawFn, redundant_on: bool) -> list[Piece]:
    """The pieces of one line of running text, separated by spaces."""
    link = wikilinks(in_table=False, redundant_on=redundant_on)
    choices = st.one_of(
        WORDS.map(plain),
        link,
        link,
        link.map(lambda piece: hidden(piece, "`", "`")),
        link.map(lambda piece: hidden(piece, "%% ", " %%")),
        link.map(lambda piece: hidden(piece, "$", "$")),
        link.map(lambda piece: hidden(piece, "<!-- ", " -->")),
        link.map(escaped),
        st.tuples(WORDS, SPACE, NAME).map(lambda p: plain(f"[{p[0]}{p[1]}|{p[1]}x]({p[2]}.md)")),
        SPACE.map(lambda space: plain("[[ " + space + "]]")),
    )
    # Words first: a line starting with "<!--" would be an HTML block, no link context.
    line = [draw(WORDS.map(plain))]
    for piece in draw(st.lists(choices, max_size=4)):
        line += [plain(" "), piece]
    return line


@st.composite
def table_cells(draw: st.DrawFn, redundant_on: bool) -> list[Piece]:
    link = wikilinks(in_table=True, redundant_on=redundant_on)
    return draw(st.one_of(
        WORDS.map(lambda words: [plain(words)]),
        link.map(lambda piece: [piece]),
        st.tuples(WORDS, link).map(lambda pair: [plain(pair[0] + " "), pair[1]]),
        st.tuples(NAME, SPACE).map(lambda p: [plain(f"`[[{p[0]}{p[1]}\\|{p[1]}x]]`")]),
    ))


@st.composite
def blocks(draw: st.DrawFn, redundant_on: bool) -> list[list[Piece]]:
    """One block as its lines; each line a list of pieces without the line break."""
    kind = draw(st.sampled_from(
        ["paragraph", "paragraph", "heading", "list", "quote", "code", "comment", "math",
         "table", "table", "split"]
    ))
    prose = prose_pieces(redundant_on)
    if kind == "paragraph":
        return draw(st.lists(prose, min_size=1, max_size=3))
    if kind in ("heading", "list", "quote"):
        marker = {"heading": "## ", "list": "- ", "quote": "> "}[kind]
        return [[plain(marker), *draw(prose)]]
    if kind in ("code", "comment", "math"):
        fence = {"code": "```", "comment": "%%", "math": "$$"}[kind]
        inside = draw(st.lists(wikilinks(in_table=False, redundant_on=redundant_on),
                               min_size=1, max_size=2))
        return [[plain(fence)], *([plain(link.written)] for link in inside), [plain(fence)]]
    if kind == "split":
        words = draw(WORDS)
        return [[plain(f"{words} [[{draw(NAME)} |")], [plain(f"{draw(WORDS)}]] {words}")]]
    columns = draw(st.integers(min_value=1, max_value=3))
    rows = draw(st.lists(
        st.lists(table_cells(redundant_on), min_size=columns, max_size=columns),
        min_size=1, max_size=3,
    ))
    header = [plain("| " + " | ".join(f"h{index}" for index in range(columns)) + " |")]
    delimiter = [plain("|" + " --- |" * columns)]
    lines = [header, delimiter]
    for row in rows:
        line = [plain("|")]
        for cell in row:
            line += [plain(" "), *cell, plain(" |")]
        lines.append(line)
    return lines


@st.composite
def notes(draw: st.DrawFn, redundant_on: bool) -> tuple[bool, list[Piece]]:
    """A whole note: optional BOM and frontmatter, blocks apart by blank lines, any line
    break per line, a final line break or none."""
    bom = draw(st.booleans())
    newlines = NEWLINES[draw(st.sampled_from(sorted(NEWLINES)))]
    lines: list[list[Piece]] = []
    # Frontmatter is "---" lines ending in LF or CRLF; with lone CRs it is prose.
    if newlines != ["\r"] and draw(st.booleans()):
        title = draw(wikilinks(in_table=False, redundant_on=redundant_on)).written
        lines += [[plain("---")], [plain(f"title: '{title}'")], [plain("---")]]
    for index, block in enumerate(draw(st.lists(blocks(redundant_on), min_size=1, max_size=4))):
        if index or lines:
            lines.append([])
        lines += block
    pieces: list[Piece] = []
    for index, line in enumerate(lines):
        pieces += line
        if index < len(lines) - 1 or draw(st.booleans()):
            pieces.append(plain(draw(st.sampled_from(newlines))))
    return bom, pieces


def encoded(text: str, bom: bool) -> bytes:
    return (UTF8_BOM if bom else b"") + text.encode("utf-8")


def wikilinks_of(path: Path) -> list:
    note = Note.from_bytes(path, path.name, path.read_bytes())
    return [link for link in note.syntax.links if link.kind == "wikilink"]


def problems(run: Callable, root: Path) -> list[dict]:
    result = run("check", "--format", "json", root)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)


@pytest.mark.slow
@settings(max_examples=150, deadline=None,
          # The run fixture only sets environment variables; each example has its own vault.
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.booleans().flatmap(lambda on: st.tuples(st.just(on), notes(on))))
def test_fix_respells_only_links_keeps_them_and_is_idempotent(run, example):
    redundant_on, (bom, pieces) = example
    original = "".join(piece.written for piece in pieces)
    expected = "".join(piece.fixed for piece in pieces)
    live = [piece for piece in pieces if piece.link is not None]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / ".obsidian").mkdir()
        (root / ".vaultcheck.toml").write_text(
            f"[aliases]\nredundant-alias = {str(redundant_on).lower()}\n"
        )
        path = root / "note.md"
        path.write_bytes(encoded(original, bom))
        before = problems(run, root)

        result = run("check", "--select", "aliases", "--fix", root)

        assert path.read_bytes() == encoded(expected, bom)
        assert result.code == (1 if expected != original else 0), result.out + result.err
        links = wikilinks_of(path)
        assert [(link.embed, link.target, link.subpath, link.alias) for link in links] == [
            piece.link for piece in live
        ]
        text = expected
        for link, piece in reversed(list(zip(links, live, strict=True))):
            text = text[: link.start] + piece.written + text[link.end :]
        assert text == original

        stat = path.stat()
        again = run("check", "--select", "aliases", "--fix", root)
        assert (again.code, path.read_bytes()) == (0, encoded(expected, bom)), again.out
        assert (path.stat().st_mtime_ns, path.stat().st_ino) == (stat.st_mtime_ns, stat.st_ino)

        after = problems(run, root)
    was_link = {link.start for link in Note.from_bytes(path, "", encoded(original, bom)).syntax.links}
    hidden_before = [
        (piece, fixed_start) for piece, start, fixed_start in placed(pieces)
        if piece.link and start not in was_link
    ]
    assert all(piece.in_table for piece, _ in hidden_before)
    fixed_note = Note.from_bytes(path, "", encoded(expected, bom))
    revealed_at = {fixed_note.position(start) for _, start in hidden_before}
    revealed = [problem for problem in after if (problem["line"], problem["column"]) in revealed_at]
    assert {problem["rule"] for problem in revealed} <= LINK_RULES
    assert not Counter(map(rule_and_message, after)) - Counter(
        map(rule_and_message, [*before, *revealed])
    )


def placed(pieces: list[Piece]) -> list[tuple[Piece, int, int]]:
    """Each piece with its offsets in the original text and in the fixed one."""
    written = accumulate((len(piece.written) for piece in pieces), initial=0)
    fixed = accumulate((len(piece.fixed) for piece in pieces), initial=0)
    return list(zip(pieces, written, fixed, strict=False))  # the sums run one longer


def rule_and_message(problem: dict) -> tuple[str, str]:
    return problem["rule"], problem["message"]
