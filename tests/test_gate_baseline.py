"""Adopting the gate on an old vault: --write-baseline, then --baseline reports only new problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

OLD_VAULT = {
    "Home.md": "---\ntags: [index]\n---\n\nPeople: [[Ada Lovelace]], [[Charles Babbage]].\n",
    "People/Ada Lovelace.md": "---\nname: Ada\nname: Ada Lovelace\n---\n\nWorked with [[Babbage]].\n",
    "Videos/letting_go.md": "From: [[healthygamergg]] <br/>\n\nClinginess [00:01:00].\n",
}
BASELINE = "vaultcheck-baseline.json"


@pytest.fixture
def old_vault(vault) -> Path:
    """A vault with four old problems and a baseline recording them."""
    return vault(OLD_VAULT)


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).write_text(text, encoding="utf-8")


def test_write_baseline_records_the_problems_and_passes(old_vault, run):
    before = run("check", old_vault, cwd=old_vault)
    result = run("check", "--write-baseline", BASELINE, cwd=old_vault)
    assert before.code == 1
    assert (result.code, result.out) == (0, "3 notes checked, no problems.\n")
    assert result.err == f"vaultcheck: wrote 4 problems to the baseline {BASELINE}\n"


def test_baseline_file_is_sorted_and_keyed_by_rule_note_and_line_text(old_vault, run):
    run("check", "--write-baseline", BASELINE, cwd=old_vault)
    document = json.loads((old_vault / BASELINE).read_text(encoding="utf-8"))
    assert document == {
        "version": 1,
        "problems": [
            {"path": "Home.md", "rule": "broken-link", "count": 1,
             "text": "People: [[Ada Lovelace]], [[Charles Babbage]]."},
            {"path": "People/Ada Lovelace.md", "rule": "broken-link", "count": 1,
             "text": "Worked with [[Babbage]]."},
            {"path": "People/Ada Lovelace.md", "rule": "frontmatter-syntax", "count": 1,
             "text": "name: Ada Lovelace"},
            {"path": "Videos/letting_go.md", "rule": "broken-link", "count": 1,
             "text": "From: [[healthygamergg]] <br/>"},
        ],
    }


def test_check_with_the_baseline_exits_zero(old_vault, run):
    run("check", "--write-baseline", BASELINE, cwd=old_vault)
    result = run("check", "--baseline", BASELINE, cwd=old_vault)
    assert (result.code, result.out) == (0, "3 notes checked, no problems.\n")
    assert result.err == f"vaultcheck: 4 problems not reported: 4 in the baseline {BASELINE}\n"


def test_a_new_broken_link_fails_alone(old_vault, run):
    run("check", "--write-baseline", BASELINE, cwd=old_vault)
    write(old_vault, "Home.md", OLD_VAULT["Home.md"] + "\nSee also [[Grace Hopper]].\n")
    result = run("check", "--baseline", BASELINE, cwd=old_vault)
    assert result.code == 1
    assert result.out.splitlines()[0] == 'Home.md:7:10: broken-link no note named "Grace Hopper" in the vault'
    assert "1 problem in 1 of 3 notes:" in result.out


def test_edits_above_an_old_problem_do_not_resurrect_it(old_vault, run):
    run("check", "--write-baseline", BASELINE, cwd=old_vault)
    write(
        old_vault,
        "People/Ada Lovelace.md",
        "---\nborn: 1815\nname: Ada\nname: Ada Lovelace\n---\n\n# Life\n\nMet him in 1833.\n"
        "Worked with [[Babbage]].\n",
    )
    result = run("check", "--baseline", BASELINE, cwd=old_vault)
    assert (result.code, result.out) == (0, "3 notes checked, no problems.\n")


def test_a_second_copy_of_an_old_problem_is_new(old_vault, run):
    run("check", "--write-baseline", BASELINE, cwd=old_vault)
    write(old_vault, "People/Ada Lovelace.md", OLD_VAULT["People/Ada Lovelace.md"] + "Worked with [[Babbage]].\n")
    result = run("check", "--baseline", BASELINE, "--format", "json", cwd=old_vault)
    assert [(p["path"], p["line"]) for p in json.loads(result.out)] == [("People/Ada Lovelace.md", 7)]


def test_editing_the_offending_line_makes_its_problem_new(old_vault, run):
    run("check", "--write-baseline", BASELINE, cwd=old_vault)
    write(old_vault, "Videos/letting_go.md", "From: [[healthygamergg]]\n\nClinginess [00:01:00].\n")
    result = run("check", "--baseline", BASELINE, cwd=old_vault)
    assert result.out.startswith("Videos/letting_go.md:1:7: broken-link")


def test_rewriting_the_baseline_drops_fixed_problems(old_vault, run):
    run("check", "--write-baseline", BASELINE, cwd=old_vault)
    write(old_vault, "Videos/letting_go.md", "From: healthygamergg <br/>\n")
    run("check", "--write-baseline", BASELINE, cwd=old_vault)
    entries = json.loads((old_vault / BASELINE).read_text(encoding="utf-8"))["problems"]
    assert [entry["path"] for entry in entries] == ["Home.md", "People/Ada Lovelace.md", "People/Ada Lovelace.md"]
    # The fixed problem coming back is new again.
    write(old_vault, "Videos/letting_go.md", OLD_VAULT["Videos/letting_go.md"])
    assert run("check", "--baseline", BASELINE, cwd=old_vault).code == 1


def test_rewriting_for_some_notes_keeps_the_entries_of_the_others(old_vault, run):
    run("check", "--write-baseline", BASELINE, cwd=old_vault)
    write(old_vault, "Home.md", "No links now.\n")
    run("check", "--write-baseline", BASELINE, "Home.md", cwd=old_vault)
    entries = json.loads((old_vault / BASELINE).read_text(encoding="utf-8"))["problems"]
    assert [entry["path"] for entry in entries] == [
        "People/Ada Lovelace.md", "People/Ada Lovelace.md", "Videos/letting_go.md"
    ]


def test_rewriting_for_some_rules_keeps_the_entries_of_the_others(old_vault, run):
    run("check", "--write-baseline", BASELINE, cwd=old_vault)
    run("check", "--write-baseline", BASELINE, "--select", "frontmatter", cwd=old_vault)
    entries = json.loads((old_vault / BASELINE).read_text(encoding="utf-8"))["problems"]
    assert sorted(entry["rule"] for entry in entries) == ["broken-link"] * 3 + ["frontmatter-syntax"]


def test_baseline_paths_are_vault_paths_wherever_the_run_starts(old_vault, run):
    run("check", "--write-baseline", old_vault / BASELINE, old_vault, cwd=old_vault / "People")
    result = run("check", "--baseline", BASELINE, cwd=old_vault)
    assert result.code == 0


def test_suppressed_and_per_file_ignored_problems_stay_out_of_the_baseline(old_vault, run):
    write(old_vault, ".vaultcheck.toml", '[per-file-ignores]\n"Videos/**" = ["links"]\n')
    write(old_vault, "Home.md", "%% vaultcheck-disable-file %%\n" + OLD_VAULT["Home.md"])
    result = run("check", "--write-baseline", BASELINE, cwd=old_vault)
    assert result.err == f"vaultcheck: wrote 2 problems to the baseline {BASELINE}\n"


def test_missing_baseline_is_a_usage_error(old_vault, run):
    result = run("check", "--baseline", "nowhere.json", cwd=old_vault)
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "vaultcheck: error: baseline nowhere.json does not exist"
        " (create it with --write-baseline nowhere.json)\n"
    )


@pytest.mark.parametrize(
    "content, reason",
    [
        ("not json", "cannot be read"),
        ('{"version": 2, "problems": []}', "expected version 1, got 2"),
        ('{"version": 1, "problems": [{"rule": "x", "path": "a.md"}]}', "'text'"),
        ('{"version": 1, "problems": [{"rule": "x", "path": "a.md", "text": "", "count": 0}]}',
         "count must be a positive integer"),
    ],
)
def test_malformed_baseline_is_a_usage_error(old_vault, run, content, reason):
    write(old_vault, "bad.json", content)
    result = run("check", "--baseline", "bad.json", cwd=old_vault)
    assert result.code == 2
    assert result.err.startswith("vaultcheck: error: baseline bad.json ")
    assert reason in result.err


def test_baseline_and_write_baseline_must_name_the_same_file(old_vault, run):
    result = run("check", "--baseline", "a.json", "--write-baseline", "b.json", cwd=old_vault)
    assert result.code == 2
    assert "name different files" in result.err


def test_write_baseline_replaces_an_existing_file_keeping_its_mode(old_vault, run):
    run("check", "--write-baseline", BASELINE, cwd=old_vault)
    (old_vault / BASELINE).chmod(0o640)
    run("check", "--write-baseline", BASELINE, cwd=old_vault)
    assert (old_vault / BASELINE).stat().st_mode & 0o777 == 0o640
    assert not [p for p in old_vault.iterdir() if p.name.startswith(f".{BASELINE}.")]
