"""``check --fix`` and ``--diff`` as a user runs them: what is written, reported and returned.

Exit codes: 1 when ``--fix`` changed a file or problems remain, 0 when there was
nothing to do; ``--diff`` exits 1 when ``--fix`` would change something and changes
nothing itself.
"""

from __future__ import annotations

import json

SPACED = "Feeling [[understanding_clinginess | clingy]].\n"
FIXED = "Feeling [[understanding_clinginess|clingy]].\n"


def test_fix_reports_the_problems_left_at_their_place_in_the_fixed_file(vault, run):
    root = vault({"a.md": "[[understanding_clinginess | clingy]] [[missing_note]]\n",
                  "understanding_clinginess.md": "Clinginess.\n"})
    result = run("check", "--fix", root, cwd=root)
    assert (root / "a.md").read_text() == "[[understanding_clinginess|clingy]] [[missing_note]]\n"
    assert result.code == 1
    assert result.err == "fixed 1 problem in 1 note\n"
    assert result.out.startswith('a.md:1:37: broken-link no note named "missing_note"')


def test_fix_exits_1_when_problems_it_cannot_fix_remain_and_leaves_the_file(vault, run):
    root = vault({"a.md": "---\nalias: Clingy\nalias: Needy\n---\n",
                  ".vaultcheck.toml": "[aliases]\nalias-property = true\n"})
    before = (root / "a.md").stat().st_mtime_ns
    result = run("check", "--select", "aliases", "--fix", root, cwd=root)
    assert (result.code, result.err) == (1, "")
    assert "a.md:2:1: alias-property Obsidian reads other names from 'aliases'" in result.out
    assert (root / "a.md").stat().st_mtime_ns == before


def test_fix_touches_only_the_notes_it_is_given(vault, run):
    root = vault({"staged.md": SPACED, "other.md": SPACED})
    result = run("check", "--select", "aliases", "--fix", root / "staged.md", cwd=root)
    assert (result.code, result.err) == (1, "fixed 1 problem in 1 note\n")
    assert (root / "staged.md").read_text() == FIXED
    assert (root / "other.md").read_text() == SPACED


def test_fix_with_json_prints_what_is_left_on_stdout(vault, run):
    root = vault({"a.md": SPACED})
    result = run("check", "--select", "aliases", "--fix", "--format", "json", root, cwd=root)
    assert (result.code, json.loads(result.out), result.err) == (1, [], "fixed 1 problem in 1 note\n")


def test_without_fix_the_problem_is_reported_as_fixable(vault, run):
    root = vault({"a.md": SPACED})
    result = run("check", "--select", "aliases", "--format", "json", root, cwd=root)
    [record] = json.loads(result.out)
    assert record == {
        "path": "a.md", "line": 1, "column": 9, "end_line": 1, "end_column": 46,
        "rule": "alias-format", "severity": "error", "fixable": True,
        "message": "space around the alias pipe: Obsidian writes "
                   "[[understanding_clinginess|clingy]]",
    }
    assert (root / "a.md").read_text() == SPACED


def test_diff_with_fix_only_prints_the_diff(vault, run):
    root = vault({"a.md": SPACED})
    result = run("check", "--select", "aliases", "--fix", "--diff", root, cwd=root)
    assert result.code == 1
    assert "-" + SPACED in result.out and "+" + FIXED in result.out
    assert (root / "a.md").read_text() == SPACED


def test_an_unreadable_note_is_reported_and_never_written(vault, run):
    root = vault({"a.md": b"[[a | b]] \xff\n"})
    result = run("check", "--fix", root, cwd=root)
    assert result.code == 1
    assert "unreadable-file" in result.out
    assert (root / "a.md").read_bytes() == b"[[a | b]] \xff\n"


def test_fixing_a_table_link_a_bare_pipe_hid_lets_the_link_rules_see_it(vault, run):
    # Before the fix the row has three cells and no link; after it, a link to a missing note.
    table = "| concept | note |\n| --- | --- |\n| ADHD | [[missing_note{}ADHD]] |\n"
    root = vault({"a.md": table.format(" | ")})
    assert "broken-link" not in run("check", root, cwd=root).out
    run("check", "--select", "aliases", "--fix", root)
    assert (root / "a.md").read_text() == table.format("\\|")
    assert 'a.md:3:10: broken-link no note named "missing_note"' in run("check", root, cwd=root).out


def test_the_opt_in_switches_are_validated(vault, run):
    root = vault({"a.md": SPACED, ".vaultcheck.toml": '[aliases]\nredundant-alias = "yes"\n'})
    result = run("check", root, cwd=root)
    assert result.code == 2
    assert "aliases.redundant-alias" in result.err


def test_show_fixes_lists_the_problems_fixed_in_each_note_by_rule(vault, run):
    root = vault({
        "b.md": "[[kin | Kin]] and [[a | x]] and [[motivation|motivation]].\n",
        "a.md": SPACED,
        "clean.md": FIXED,
        ".vaultcheck.toml": "[aliases]\nredundant-alias = true\n",
    })
    result = run("check", "--select", "aliases", "--fix", "--show-fixes", root, cwd=root)
    assert result.code == 1
    assert result.err == (
        "fixed 4 problems in 2 notes\n"
        "- a.md:\n    1 × alias-format\n"
        "- b.md:\n    2 × alias-format\n    1 × redundant-alias\n"
    )


def test_show_fixes_with_diff_lists_what_fix_would_fix(vault, run):
    root = vault({"a.md": SPACED})
    result = run("check", "--select", "aliases", "--diff", "--show-fixes", root, cwd=root)
    assert (root / "a.md").read_text() == SPACED
    assert result.err == "--diff: --fix would fix 1 problem in 1 note\n- a.md:\n    1 × alias-format\n"


def test_show_fixes_without_fix_or_diff_is_a_usage_error(vault, run):
    root = vault({"a.md": SPACED})
    result = run("check", "--show-fixes", root, cwd=root)
    assert result.code == 2
    assert "--show-fixes" in result.err
