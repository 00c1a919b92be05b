"""Pathological Markdown finishes in linear time and is reported where it was simplified.

Each input runs in a child process with a generous time limit: a regression to
quadratic or exponential time fails the test instead of hanging the suite, and no
assertion depends on how fast the machine is.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from vaultcheck.note.syntax import parse_syntax
from vaultcheck.note.syntax.limits import COSTLY_INLINE, DEEP_BLOCKS, MAX_CONTAINER_DEPTH

#: name -> Python expression building the note; each took minutes or more before bounds.
PATHOLOGICAL = {
    "4 MB line of [[": '"[[" * 2_000_000',
    "nested brackets": '"[" * 300_000 + "x" + "](u)" * 300_000',
    "unclosed brackets then closers": '"[a " * 200_000 + "] " * 200_000',
    "link openers": '"[a](" * 200_000',
    "images in images": '"![" * 200_000 + "]" * 200_000',
    "200,000 links on a line": '"[[a]] " * 200_000',
    "links among emphasis": '"[[a]] *b " * 100_000',
    "backtick runs": '"".join("`" * k + "a" for k in range(1, 3000))',
    "quotes with spaces": '"> " * 100_000 + "x"',
    "list markers": '"- " * 300_000 + "x"',
    "nested quotes over lines": '"".join(">" * k + " x\\n" for k in range(3000))',
    "heading of spaces": '"# " + " " * 2_000_000 + "x"',
    "table row of dashes": '":-" * 1_000_000 + "|"',
    "emphasis run": '"*" * 1_000_000 + "a" + "*" * 1_000_000',
    "50 MB of prose": '("Words and a [[link]] on a line.\\n" * 1_600_000)',
}


@pytest.mark.slow
@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_note_finishes(name):
    program = (
        "from vaultcheck.note.syntax import parse_syntax\n"
        f"text = {PATHOLOGICAL[name]} + '\\n`code`\\n'\n"
        "syntax = parse_syntax(text, 0)\n"
        "assert all(0 <= link.start < link.end <= len(text) for link in syntax.links)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=300, check=False
    )
    assert completed.returncode == 0, completed.stderr[-2000:]


def test_nesting_past_the_limit_is_read_as_text_and_recorded():
    text = "`code`\n\n" + "> " * (MAX_CONTAINER_DEPTH + 5) + "[[deep]]\n"
    syntax = parse_syntax(text, 0)
    assert [link.target for link in syntax.links] == ["deep"]
    assert [(place.start, place.reason) for place in syntax.simplified] == [(8, DEEP_BLOCKS)]


def test_nesting_at_the_limit_is_parsed_in_full():
    text = "`code`\n\n" + "> " * MAX_CONTAINER_DEPTH + "[[deep]]\n"
    syntax = parse_syntax(text, 0)
    assert [link.target for link in syntax.links] == ["deep"]
    assert syntax.simplified == ()


def test_dense_paragraph_keeps_its_wikilinks_but_not_markdown_links():
    dense = "[" * 5000 + "](u)" * 5000
    text = f"`code`\n\n{dense} [[kept]] [lost](lost.md)\n\n[found](found.md)\n"
    syntax = parse_syntax(text, 0)
    assert [link.target for link in syntax.links] == ["kept", "found.md"]
    assert [place.reason for place in syntax.simplified] == [COSTLY_INLINE]


def test_ordinary_markdown_is_never_simplified():
    text = (
        "# Title\n\n> [!note] Callout\n> > quoted [[a]] and [b](b.md)\n\n"
        "- one\n  - two\n    - three `code` **bold** _it_ [00:01:02]\n"
        "| a | b |\n|---|---|\n| [[c]] | d |\n"
    )
    assert parse_syntax(text, 0).simplified == ()


def test_rule_reports_the_first_place_and_how_many_more(vault, run):
    deep = "> " * 20 + "text\n\n"
    root = vault({"deep.md": "`code`\n\n" + deep * 3})
    result = run("check", "--select", "markdown-too-complex", root / "deep.md", cwd=root)
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"deep.md:3:1: markdown-too-complex {DEEP_BLOCKS} (here and in 2 more places)"
    )
