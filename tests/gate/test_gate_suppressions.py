"""Inline suppressions in every spelling, and unused-suppression reporting what they left behind.

The notes link to ``[[Babbage]]``, a note that does not exist (a ``broken-link``), and
carry duplicate frontmatter keys (a ``frontmatter-syntax`` problem), the two rules
suppressions are tried on.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from vaultcheck.core.problem import Problem
from vaultcheck.note.note import Note
from vaultcheck.note.suppressions import ALL_RULES, apply_suppressions, find_suppressions

ADA = "---\ntitle: Ada Lovelace\n---\n"
DUPLICATE = "---\nname: Ada\nname: Ada Lovelace\n---\n"
UNUSED = ("--select", "links,frontmatter,unreadable-file,unused-suppression")


def problems_of(run, root: Path, *args: str) -> list[str]:
    """``line:rule`` of every problem reported, in order."""
    result = run("check", "--format", "json", *args, root, cwd=root)
    return [f"{p['line']}:{p['rule']}" for p in json.loads(result.out)]


@pytest.mark.parametrize(
    "comment",
    [
        "%% vaultcheck-disable-next-line broken-link %%",
        "%%vaultcheck-disable-next-line broken-link%%",
        "<!-- vaultcheck-disable-next-line broken-link -->",
        "<!--vaultcheck-disable-next-line   broken-link   -->",
        "%% vaultcheck-disable-next-line %%",
        "%% vaultcheck-disable-next-line alias-format, broken-link %%",
        "%% vaultcheck-disable-next-line alias-format broken-link %%",
    ],
)
def test_disable_next_line_silences_the_next_line(vault, run, comment):
    root = vault({"Ada.md": f"{ADA}{comment}\nMet [[Babbage]] in 1833.\nAnd [[Babbage]] again.\n"})
    assert problems_of(run, root) == ["6:broken-link"]


def test_disable_next_line_silences_only_the_rules_it_names(vault, run):
    root = vault({"Ada.md": f"{ADA}%% vaultcheck-disable-next-line alias-format %%\nMet [[Babbage]].\n"})
    assert problems_of(run, root) == ["5:broken-link"]


@pytest.mark.parametrize("opening, closing", [("%%", "%%"), ("<!--", "-->")])
def test_disable_lasts_until_enable(vault, run, opening, closing):
    text = (
        f"{ADA}[[Babbage]]\n{opening} vaultcheck-disable broken-link {closing}\n[[Babbage]]\n"
        f"[[Babbage]]\n{opening} vaultcheck-enable broken-link {closing}\n[[Babbage]]\n"
    )
    assert problems_of(run, vault({"Ada.md": text})) == ["4:broken-link", "9:broken-link"]


def test_disable_without_enable_lasts_to_the_end(vault, run):
    text = f"{ADA}[[Babbage]]\n%% vaultcheck-disable broken-link %%\n\n[[Babbage]]\n[[Babbage]]\n"
    assert problems_of(run, vault({"Ada.md": text})) == ["4:broken-link"]


def test_enable_of_one_rule_leaves_the_others_disabled(vault, run):
    text = (
        f"{ADA}%% vaultcheck-disable broken-link, broken-heading %%\n%% vaultcheck-enable broken-heading %%\n"
        "[[Babbage]] [[Ada#Nowhere]]\n"
    )
    assert problems_of(run, vault({"Ada.md": text})) == ["6:broken-heading"]


def test_bare_enable_ends_every_disable(vault, run):
    text = f"{ADA}%% vaultcheck-disable broken-link %%\n[[Babbage]]\n%% vaultcheck-enable %%\n[[Babbage]]\n"
    assert problems_of(run, vault({"Ada.md": text})) == ["7:broken-link"]


@pytest.mark.parametrize("where", ["top", "bottom"])
def test_disable_file_covers_the_whole_note_frontmatter_included(vault, run, where):
    comment = "%% vaultcheck-disable-file frontmatter-syntax, broken-link %%\n"
    body = "[[Babbage]]\n"
    text = DUPLICATE + (comment + body if where == "top" else body + comment)
    assert problems_of(run, vault({"Ada.md": text})) == []


def test_disable_file_of_one_rule_keeps_the_others(vault, run):
    text = DUPLICATE + "%% vaultcheck-disable-file broken-link %%\n[[Babbage]]\n"
    assert problems_of(run, vault({"Ada.md": text})) == ["3:frontmatter-syntax"]


def test_a_comment_in_another_note_silences_nothing_here(vault, run):
    root = vault(
        {
            "Ada.md": f"{ADA}%% vaultcheck-disable-file %%\n[[Babbage]]\n",
            "Grace.md": "[[Babbage]]\n",
        }
    )
    assert problems_of(run, root) == ["1:broken-link"]


def test_misspelt_directive_is_not_a_suppression(vault, run):
    root = vault({"Ada.md": f"{ADA}%% vaultcheck-disabled-next-line broken-link %%\n[[Babbage]]\n"})
    assert problems_of(run, root) == ["5:broken-link"]


# unused-suppression -------------------------------------------------------------------


def test_unused_suppression_is_off_by_default(vault, run):
    root = vault({"Ada.md": f"{ADA}%% vaultcheck-disable-next-line broken-link %%\nNo links.\n"})
    assert problems_of(run, root) == []


def test_a_suppression_that_silences_nothing_is_reported_when_selected(vault, run):
    root = vault({"Ada.md": f"{ADA}%% vaultcheck-disable-next-line broken-link %%\nNo links.\n"})
    result = run("check", *UNUSED, root, cwd=root)
    assert result.out.splitlines()[0] == (
        "Ada.md:4:1: unused-suppression (warning) suppression of broken-link silences no problem;"
        " remove it"
    )
    assert result.code == 0


def test_each_name_of_a_comment_is_judged_on_its_own(vault, run):
    text = f"{ADA}<!-- vaultcheck-disable-next-line broken-link, frontmatter-syntax -->\n[[Babbage]]\n"
    root = vault({"Ada.md": text})
    result = run("check", *UNUSED, root, cwd=root)
    assert result.out.splitlines()[0] == (
        "Ada.md:4:1: unused-suppression (warning) suppression of frontmatter-syntax"
        " silences no problem; remove it"
    )
    assert "broken-link" not in result.out.splitlines()[0]


def test_a_used_suppression_is_not_reported(vault, run):
    root = vault({"Ada.md": f"{ADA}%% vaultcheck-disable-next-line broken-link %%\n[[Babbage]]\n"})
    assert problems_of(run, root, *UNUSED) == []


def test_an_unknown_rule_name_is_reported(vault, run):
    root = vault({"Ada.md": f"{ADA}%% vaultcheck-disable-next-line broken-links %%\n[[Babbage]]\n"})
    result = run("check", "--select", "unused-suppression", root, cwd=root)
    assert result.out.splitlines()[0] == (
        "Ada.md:4:1: unused-suppression (warning) suppression names unknown rule 'broken-links'"
    )


def test_names_of_rules_that_did_not_run_are_not_judged(vault, run):
    root = vault({"Ada.md": f"{ADA}%% vaultcheck-disable-next-line broken-link %%\nNo links.\n"})
    assert problems_of(run, root, "--select", "frontmatter,unused-suppression") == []


def test_a_bare_comment_is_judged_only_when_every_default_rule_ran(vault, run):
    root = vault({"Ada.md": f"{ADA}%% vaultcheck-disable-next-line %%\nNo links.\n"})
    assert problems_of(run, root, "--select", "links,unused-suppression") == []
    every_family = "frontmatter,timestamps,links,aliases,input,unused-suppression"
    assert problems_of(run, root, "--select", every_family) == ["4:unused-suppression"]


def test_severity_config_turns_unused_suppression_on(vault, run):
    root = vault(
        {
            ".vaultcheck.toml": '[severity]\nunused-suppression = "error"\n',
            "Ada.md": f"{ADA}%% vaultcheck-disable-next-line broken-link %%\nNo links.\n",
        }
    )
    result = run("check", root, cwd=root)
    assert (result.code, problems_of(run, root)) == (1, ["4:unused-suppression"])


def test_unused_suppression_is_silenced_only_by_naming_it(vault, run):
    named = "%% vaultcheck-disable-file unused-suppression %%\n"
    stale = "%% vaultcheck-disable-next-line broken-link %%\nNo links.\n"
    root = vault({"Ada.md": ADA + named + stale, "Grace.md": ADA + "%% vaultcheck-disable-file %%\n"})
    assert problems_of(run, root, *UNUSED) == []
    (root / "Ada.md").write_text(ADA + stale, encoding="utf-8")
    assert problems_of(run, root, *UNUSED) == ["4:unused-suppression"]


def test_unused_suppressions_of_a_clean_note_are_found(vault, run):
    root = vault({"Clean.md": f"{ADA}Nothing wrong.\n%% vaultcheck-disable-file timestamp-order %%\n"})
    assert problems_of(run, root, "--select", "timestamps,unused-suppression") == [
        "5:unused-suppression"
    ]


# The parser itself ---------------------------------------------------------------------


def note_of(text: str) -> Note:
    return Note.from_bytes(Path("/vault/n.md"), "n.md", text.encode("utf-8"))


def test_find_suppressions_gives_one_entry_per_name_with_its_lines():
    note = note_of("a\n%% vaultcheck-disable x, y %%\nb\n%% vaultcheck-enable y %%\nc\n")
    assert [(s.rule, s.first_line, s.last_line) for s in find_suppressions(note)] == [
        ("x", 2, 6),
        ("y", 2, 4),
    ]


def test_a_comment_without_names_covers_every_rule():
    (suppression,) = find_suppressions(note_of("%% vaultcheck-disable-next-line %%\nx\n"))
    assert suppression.rule == ALL_RULES
    problem = Problem(Path("/vault/n.md"), 2, 1, 2, 2, "anything", "m")
    assert apply_suppressions(problem.path, (suppression,), [problem], ()) == ([], [])


@pytest.mark.parametrize(
    "hostile",
    [
        "<!-- vaultcheck-disable " + "a " * 1_000_000,
        "%% vaultcheck-disable" * 200_000,
        "<!-- vaultcheck-disable-next-line " * 150_000,
        "%% vaultcheck-disable " + " " * 2_000_000 + "x",
    ],
)
def test_directive_search_is_linear_on_hostile_lines(hostile):
    started = time.perf_counter()
    find_suppressions(note_of(hostile))
    assert time.perf_counter() - started < 10  # quadratic would take hours


def test_fix_leaves_a_suppressed_problem_alone(vault, run):
    root = vault(
        {
            "Ada.md": "%% vaultcheck-disable-next-line alias-format %%\n[[Grace | G]] and\n[[Grace | G]]\n",
            "Grace.md": "Grace.\n",
        }
    )
    run("check", "--select", "aliases", "--fix", cwd=root)
    assert (root / "Ada.md").read_text(encoding="utf-8") == (
        "%% vaultcheck-disable-next-line alias-format %%\n[[Grace | G]] and\n[[Grace|G]]\n"
    )
