"""Adopting the gate on an old vault: --write-baseline, then --baseline reports only new problems."""

from __future__ import annotations

import json
import shutil
import subprocess
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
             "text": "People: [[Ada Lovelace]], [[Charles Babbage]].",
             "excerpt": "[[Charles Babbage]]"},
            {"path": "People/Ada Lovelace.md", "rule": "broken-link", "count": 1,
             "text": "Worked with [[Babbage]].", "excerpt": "[[Babbage]]"},
            {"path": "People/Ada Lovelace.md", "rule": "frontmatter-syntax", "count": 1,
             "text": "name: Ada Lovelace", "excerpt": "name: Ada Lovelace"},
            {"path": "Videos/letting_go.md", "rule": "broken-link", "count": 1,
             "text": "From: [[healthygamergg]] <br/>", "excerpt": "[[healthygamergg]]"},
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


def test_a_link_broken_beside_an_old_broken_link_is_reported(vault, run):
    # The old entry is for [[Gone]]; deleting Target.md breaks [[Target]] on the same line.
    root = vault({"Target.md": "# Target\n", "Home.md": "See [[Target]] and [[Gone]].\n"})
    run("check", "--write-baseline", BASELINE, cwd=root)
    (root / "Target.md").unlink()
    result = run("check", "--baseline", BASELINE, "--format", "json", cwd=root)
    assert [(p["path"], p["column"]) for p in json.loads(result.out)] == [("Home.md", 5)]
    assert result.err == f"vaultcheck: 1 problem not reported: 1 in the baseline {BASELINE}\n"


def test_an_entry_written_without_excerpt_still_matches_its_line(vault, run):
    root = vault({"Home.md": "See [[Gone]].\n"})
    entry = {"path": "Home.md", "rule": "broken-link", "text": "See [[Gone]].", "count": 1}
    write(root, BASELINE, json.dumps({"version": 1, "problems": [entry]}))
    assert run("check", "--baseline", BASELINE, cwd=root).code == 0


@pytest.fixture
def git_vault(vault, monkeypatch):
    """A vault in a git repository, with a committed baseline of its old problems."""
    if shutil.which("git") is None:
        pytest.skip("needs git on PATH: these tests rename and delete notes with git")
    for name in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"):
        monkeypatch.delenv(name, raising=False)

    def make(files: dict[str, str], run) -> Path:
        root = vault(files)
        git(root, "init", "-q")
        git(root, "config", "user.email", "notes@example.invalid")
        git(root, "config", "user.name", "notes")
        run("check", "--write-baseline", BASELINE, cwd=root)
        git(root, "add", ".")
        git(root, "commit", "-qm", "notes and baseline")
        return root

    return make


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_hook_run_for_a_deletion_reports_every_link_it_breaks(git_vault, run, monkeypatch):
    home = "See [[Target]] and [[Gone]].\nAgain [[Target]], [[Target#Part]] and [[Lost]].\n"
    root = git_vault({"Target.md": "# Target\n", "Home.md": home}, run)
    git(root, "rm", "-q", "Target.md")
    monkeypatch.setenv("PRE_COMMIT", "1")  # what the links hook sees: no file names
    result = run("check", "--select", "links", "--baseline", BASELINE, "--format", "json", cwd=root)
    found = [(p["line"], p["column"]) for p in json.loads(result.out)]
    assert found == [(1, 5), (2, 7), (2, 19)]
    assert result.code == 1


def test_baseline_entries_follow_a_note_git_renames(git_vault, run):
    root = git_vault({"Old name.md": "---\ntags: 5\n---\nSee [[Gone]] and [[Lost]].\n"}, run)
    git(root, "mv", "Old name.md", "New name.md")
    staged = run("check", "--baseline", BASELINE, cwd=root)
    assert (staged.code, staged.out) == (0, "1 note checked, no problems.\n")
    assert "3 in the baseline" in staged.err
    git(root, "commit", "-qm", "rename")  # in CI the rename is committed
    committed = run("check", "--baseline", BASELINE, "New name.md", cwd=root)
    assert committed.code == 0, committed.out
    # A problem the renamed note did not have is still new.
    write(root, "New name.md", "---\ntags: 5\n---\nSee [[Gone]] and [[Lost]] and [[Missing]].\n")
    assert run("check", "--baseline", BASELINE, cwd=root).code == 1


def test_a_baseline_that_names_no_note_of_the_vault_is_a_warning(vault, run):
    root = vault({"Home.md": "See [[Gone]].\n"})
    entry = {"path": "notes/Home.md", "rule": "broken-link", "text": "See [[Gone]].",
             "excerpt": "[[Gone]]", "count": 2}
    write(root, BASELINE, json.dumps({"version": 1, "problems": [entry]}))
    result = run("check", "--baseline", BASELINE, cwd=root)
    assert result.code == 1
    assert result.err == (
        f"vaultcheck: warning: the baseline {BASELINE} has 2 entries and none names a note"
        f" of the vault at {root}; was it written for another vault root? (see --root)\n"
    )
    run("check", "--write-baseline", BASELINE, cwd=root)
    assert "warning" not in run("check", "--baseline", BASELINE, cwd=root).err
