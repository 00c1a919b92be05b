"""The pure core of ``--fix`` (fixes.py, runner.fix_note): text in, text out.

One table of cases runs twice: on text through :func:`fix_note`, and through
``vaultcheck check --fix`` on a file, which must write the same text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vaultcheck.core.diff import unified_diff
from vaultcheck.core.edits import OverlappingEdits, apply_edits, choose_fixes
from vaultcheck.core.problem import Edit, Fix, Problem
from vaultcheck.engine.check import check_note, rule_context
from vaultcheck.engine.fix import fix_note
from vaultcheck.note.note import Note
from vaultcheck.note.wikilinks import normalise_wikilink
from vaultcheck.rules.registry import RULES
from vaultcheck.rules.selection import select_rules
from vaultcheck.vault.config import Config
from vaultcheck.vault.vault import Vault

OPT_IN = {"redundant-alias": True, "alias-property": True}

CASES = [
    ("[[a | b]]", "[[a|b]]"),
    ("[[a |b]] and [[a| b]]", "[[a|b]] and [[a|b]]"),
    ("[[ a ]]", "[[a]]"),
    ("[[\ta\t|\tb\t]]", "[[a|b]]"),
    ("![[ diagram.png | 300 ]]", "![[diagram.png|300]]"),
    ("[[a | b | c]]", "[[a|b | c]]"),
    ("[[a#Heading | b]]", "[[a#Heading|b]]"),
    ("[[a # Heading|b]]", "[[a # Heading|b]]"),
    ("[[a|a]]", "[[a]]"),
    ("[[ a | a ]]", "[[a]]"),
    ("[[a|A]]", "[[a|A]]"),
    ("[[a#h|a#h]]", "[[a#h|a#h]]"),
    ("![[a.png|a.png]]", "![[a.png|a.png]]"),
    ("[[a\\ | b]]", "[[a\\ | b]]"),
    ("[[ ]]", "[[ ]]"),
    ("[[a | b", "[[a | b"),
    ("`[[a | b]]` %% [[a | b]] %% $[[a | b]]$ <!-- [[a | b]] -->",
     "`[[a | b]]` %% [[a | b]] %% $[[a | b]]$ <!-- [[a | b]] -->"),
    ("[a | b](a.md) ![a | b](b.png)", "[a | b](a.md) ![a | b](b.png)"),
    ("[[a \\| b]]", "[[a\\|b]]"),
    ("[[a\\|a]]", "[[a]]"),
    ("| h |\n| - |\n| [[a | b]] |\n", "| h |\n| - |\n| [[a\\|b]] |\n"),
    ("| h |\n| - |\n| [[a \\| b]] |\n", "| h |\n| - |\n| [[a\\|b]] |\n"),
    ("| h |\n| - |\n| [[a | b | c]] |\n", "| h |\n| - |\n| [[a\\|b \\| c]] |\n"),
    ("| h |\n| - |\n| [[a\\|a]] |\n", "| h |\n| - |\n| [[a]] |\n"),
    ("| h |\n| - |\n| `[[a | b]]` |\n", "| h |\n| - |\n| `[[a | b]]` |\n"),
    ("---\nalias: A\n---\n", "---\naliases:\n  - A\n---\n"),
    ("---\naliases: A\n---\n", "---\naliases:\n  - A\n---\n"),
    ("---\naliases: [A, B, A]\n---\n", "---\naliases:\n  - A\n  - B\n---\n"),
    ("---\naliases: A # kept\n---\n", "---\naliases:\n  - A # kept\n---\n"),
    ("---\nalias: &name A\nb: *name\n---\n", "---\naliases:\n  - &name A\nb: *name\n---\n"),
    ("---\naliases:\n  - A # inside\n  - A\n---\n", "---\naliases:\n  - A # inside\n  - A\n---\n"),
    ("---\naliases: &x [A, A]\nb: *x\n---\n", "---\naliases: &x [A, A]\nb: *x\n---\n"),
    ("---\nx: &b B\naliases: [A, *b, A]\n---\n", "---\nx: &b B\naliases: [A, *b, A]\n---\n"),
    ("---\nalias: [[A]]\n---\n", "---\nalias: [[A]]\n---\n"),
    ("---\nalias: A\nalias: B\n---\n", "---\nalias: A\nalias: B\n---\n"),
    ('---\nalias: "A\n  B"\n---\n', '---\nalias: "A\n  B"\n---\n'),
]


def vault_at(root: Path) -> Vault:
    return Vault(root=root, config=Config(base=root, sections={"aliases": OPT_IN}))


@pytest.mark.parametrize(("written", "fixed"), CASES)
def test_fix_text(tmp_path, written, fixed):
    vault = vault_at(tmp_path)
    note = Note.from_bytes(tmp_path / "a.md", "a.md", written.encode())
    result = fix_note(note, rule_context(vault), select_rules(vault.config, ["aliases"]))
    assert result.text == fixed
    assert result.changed == (written != fixed)


@pytest.mark.parametrize(("written", "fixed"), CASES)
def test_fix_file(vault, run, written, fixed):
    root = vault({"a.md": written, ".vaultcheck.toml": "[aliases]\nredundant-alias = true\n"
                  "alias-property = true\n"})
    run("check", "--select", "aliases", "--fix", root)
    assert (root / "a.md").read_bytes() == fixed.encode()


def test_apply_edits_changes_only_the_spans_it_names():
    assert apply_edits("a\r\nb [[x | y]]\rc", [Edit(5, 14, "[[x|y]]")]) == "a\r\nb [[x|y]]\rc"


@pytest.mark.parametrize(("first", "second"), [
    (Edit(1, 3, "z"), Edit(2, 4, "")),  # overlapping
    (Edit(1, 1, "x"), Edit(1, 1, "y")),  # two insertions at one place
    (Edit(1, 3, "z"), Edit(1, 1, "x")),  # an insertion where a replacement starts
])
def test_apply_edits_refuses_edits_whose_order_would_matter(first, second):
    with pytest.raises(OverlappingEdits):
        apply_edits("abcdef", [first, second])


def test_apply_edits_refuses_an_edit_outside_the_text():
    with pytest.raises(ValueError, match="outside"):
        apply_edits("abc", [Edit(2, 5, "")])


def problem(*edits: Edit) -> Problem:
    return Problem(Path("a.md"), 1, 1, 1, 2, "alias-format", "m", fix=Fix(edits))


def test_choose_fixes_lets_a_conflicting_fix_wait_for_the_next_pass():
    first, later = problem(Edit(0, 9, "[[a|b]]")), problem(Edit(3, 6, "|"))
    assert choose_fixes([later, first]) == ([Edit(0, 9, "[[a|b]]")], [first])


def test_choose_fixes_applies_a_shared_fix_once_and_counts_each_problem():
    shared = Fix((Edit(0, 3, "x"), Edit(5, 6, "")))
    problems = [
        Problem(Path("a.md"), line, 1, line, 2, "alias-property", f"finding {line}", fix=shared)
        for line in (1, 2)
    ]
    assert choose_fixes(problems) == ([Edit(0, 3, "x"), Edit(5, 6, "")], problems)


def test_unified_diff_shows_carriage_returns_and_a_missing_final_newline():
    assert unified_diff("a\r\n[[x | y]]", "a\r\n[[x|y]]", "n.md") == (
        "--- a/n.md\n+++ b/n.md\n@@ -1,2 +1,2 @@\n a\r\n"
        "-[[x | y]]\n\\ No newline at end of file\n"
        "+[[x|y]]\n\\ No newline at end of file\n"
    )


@pytest.mark.parametrize(("raw", "in_table", "respelled"), [
    ("[[a | b]]", False, "[[a|b]]"),
    ("[[a | b]]", True, "[[a\\|b]]"),
    ("[[a\\|b]]", False, "[[a\\|b]]"),
    ("[[ a \\| b ]]", False, "[[a\\|b]]"),
    ("[[a] ]]", False, "[[a] ]]"),
    ("[[a\\ | b]]", True, "[[a\\ | b]]"),
])
def test_normalise_wikilink_keeps_what_the_link_means(raw, in_table, respelled):
    assert normalise_wikilink(raw, in_table) == respelled


def test_only_rules_declared_fixable_offer_fixes(tmp_path):
    # fix_note runs only FIXABLE rules until the text settles: a fix from another rule
    # would never be applied.
    vault = vault_at(tmp_path)
    every_rule = select_rules(vault.config, list(RULES))
    offered = set()
    for written, _fixed in CASES:
        note = Note.from_bytes(tmp_path / "a.md", "a.md", written.encode())
        offered |= {problem.rule for problem in check_note(note, rule_context(vault), every_rule) if problem.fix}
    fixable = {name for name, rule in RULES.items() if rule.fixable}
    assert offered == fixable


@pytest.mark.parametrize(("written", "fixed"), CASES)
def test_fix_reports_what_every_selected_rule_finds_in_the_fixed_text(tmp_path, written, fixed):
    vault = vault_at(tmp_path)
    selection = select_rules(vault.config, ["aliases", "frontmatter", "timestamps"])
    note = Note.from_bytes(tmp_path / "a.md", "a.md", (written + " [00:00:02] [00:00:01]").encode())
    result = fix_note(note, rule_context(vault), selection)
    assert result.left == check_note(result.final, rule_context(vault), selection)
