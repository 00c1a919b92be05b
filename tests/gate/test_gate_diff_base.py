"""--diff-base REF in a temporary git repository: only what the change touched is reported."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from vaultcheck.vault.gitdiff import FileChange, parse_patch, unquote_path

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BASE_NOTES = {
    "Home.md": "---\ntags: [index]\n---\n\nOld: [[Charles Babbage]].\n\nPeople: [[Ada Lovelace]].\n",
    "Ada Lovelace.md": "---\nname: Ada\nname: Ada Lovelace\n---\n\n# Work\n\nThe Analytical Engine.\n",
    "Grace Hopper.md": "---\ntitle: Grace Hopper\n---\n\nSee [[Ada Lovelace#Work]] and [[COBOL]].\n",
    "COBOL.md": "A language.\n",
}


def git(cwd: Path, *args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return completed.stdout


@pytest.fixture
def repo(vault, monkeypatch) -> Path:
    """A vault in git with one commit, tagged ``base``, holding three old problems."""
    root = vault(BASE_NOTES)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(root.parent))
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "notes@example.invalid")
    git(root, "config", "user.name", "notes")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    git(root, "tag", "base")
    return root


def edit(root: Path, rel: str, text: str) -> None:
    (root / rel).write_text(text, encoding="utf-8")


def reported(run, root: Path, *args: str) -> list[str]:
    result = run("check", "--format", "json", "--diff-base", "base", *args, cwd=root)
    assert result.code in (0, 1), result.err
    return [f"{p['path']}:{p['line']}:{p['rule']}" for p in json.loads(result.out)]


def test_nothing_changed_reports_nothing(repo, run):
    result = run("check", "--diff-base", "base", cwd=repo)
    assert (result.code, result.out) == (0, "4 notes checked, no problems.\n")
    assert result.err == "vaultcheck: 2 problems not reported: 2 on lines unchanged since base\n"


def test_only_problems_on_changed_lines_are_reported(repo, run):
    edit(repo, "Home.md", BASE_NOTES["Home.md"] + "\nNew: [[Grace Hoper]].\n")
    assert reported(run, repo) == ["Home.md:9:broken-link"]


def test_committed_staged_and_unstaged_changes_all_count(repo, run):
    edit(repo, "Home.md", BASE_NOTES["Home.md"] + "Committed [[A1]].\n")
    git(repo, "commit", "-qam", "one")
    edit(repo, "Home.md", BASE_NOTES["Home.md"] + "Committed [[A1]].\nStaged [[A2]].\n")
    git(repo, "add", "Home.md")
    edit(repo, "Home.md", BASE_NOTES["Home.md"] + "Committed [[A1]].\nStaged [[A2]].\nUnstaged [[A3]].\n")
    assert reported(run, repo) == ["Home.md:8:broken-link", "Home.md:9:broken-link", "Home.md:10:broken-link"]


def test_a_new_untracked_note_counts_in_every_line(repo, run):
    edit(repo, "New.md", "---\na: 1\na: 2\n---\n[[Nowhere]]\n")
    assert reported(run, repo) == ["New.md:3:frontmatter-syntax", "New.md:5:broken-link"]


def test_a_link_broken_by_a_deleted_note_is_reported_where_it_is(repo, run):
    git(repo, "rm", "-q", "COBOL.md")
    result = run("check", "--diff-base", "base", cwd=repo)
    assert result.out.splitlines()[0] == (
        'Grace Hopper.md:5:31: broken-link no note named "COBOL" in the vault: this change deletes COBOL.md'
    )
    assert result.code == 1


def test_a_link_broken_by_a_rename_is_reported_with_the_new_name(repo, run):
    git(repo, "mv", "COBOL.md", "COBOL language.md")
    result = run("check", "--diff-base", "base", cwd=repo)
    assert result.out.splitlines()[0] == (
        'Grace Hopper.md:5:31: broken-link no note named "COBOL" in the vault: this change renames'
        " COBOL.md to COBOL language.md; link as [[COBOL language]]"
    )


def test_links_to_removed_notes_are_found_when_only_the_changed_notes_are_given(repo, run):
    edit(repo, "Home.md", BASE_NOTES["Home.md"] + "Added [[Nowhere]].\n")
    git(repo, "rm", "-q", "COBOL.md")
    assert reported(run, repo, "Home.md") == ["Grace Hopper.md:5:broken-link", "Home.md:8:broken-link"]


def test_a_heading_removed_breaks_links_to_it_elsewhere(repo, run):
    edit(repo, "Ada Lovelace.md", BASE_NOTES["Ada Lovelace.md"].replace("# Work", "# Works"))
    assert reported(run, repo) == ["Grace Hopper.md:5:broken-heading"]


def test_a_property_removed_is_reported_where_the_rule_points(repo, run):
    edit(repo, ".vaultcheck.toml", "")
    git(repo, "add", ".vaultcheck.toml")
    git(repo, "commit", "-qm", "config")
    git(repo, "tag", "-f", "base")
    schema = repo / "person.json"
    schema.write_text(json.dumps({"type": "object", "required": ["title"]}), encoding="utf-8")
    edit(repo, "Grace Hopper.md", "---\n---\n\nSee [[Ada Lovelace#Work]] and [[COBOL]].\n")
    result = run("check", "--format", "json", "--diff-base", "base", "--schema", schema,
                 "--select", "frontmatter-schema", cwd=repo)
    problems = json.loads(result.out)
    assert [(p["path"], p["line"], p["message"]) for p in problems] == [
        ("Grace Hopper.md", 1, "'title' is a required property")
    ]


def test_the_base_is_where_the_branch_left_it(repo, run):
    git(repo, "switch", "-q", "-c", "topic")
    edit(repo, "Home.md", BASE_NOTES["Home.md"] + "Branch: [[B1]].\n")
    git(repo, "commit", "-qam", "topic")
    git(repo, "switch", "-q", "main")
    edit(repo, "COBOL.md", "A language.\n\n[[Main only]]\n")
    git(repo, "commit", "-qam", "main moves on")
    git(repo, "switch", "-q", "topic")
    result = run("check", "--format", "json", "--diff-base", "main", cwd=repo)
    assert [(p["path"], p["line"]) for p in json.loads(result.out)] == [("Home.md", 8)]


def test_an_unknown_base_is_a_usage_error(repo, run):
    result = run("check", "--diff-base", "no-such-branch", cwd=repo)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("vaultcheck: error: --diff-base: no commit 'no-such-branch'")
    assert "fetch-depth: 0" in result.err


def test_outside_git_is_a_usage_error(vault, run, monkeypatch):
    root = vault({"a.md": "x\n"})
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(root.parent))
    result = run("check", "--diff-base", "main", cwd=root)
    assert result.code == 2
    assert result.err.startswith("vaultcheck: error: --diff-base")


def test_a_vault_in_a_subfolder_of_the_repository(repo, run):
    notes = repo / "notes"
    notes.mkdir()
    (notes / ".obsidian").mkdir()
    edit(notes, "Odd \"name\" é.md", "[[Nowhere]]\n")
    assert reported(run, notes) == ['Odd "name" é.md:1:broken-link']


# The patch parser ----------------------------------------------------------------------


def test_parse_patch_reads_added_rewritten_and_deleted_lines():
    patch = (
        "diff --git a/a.md b/a.md\n--- a/a.md\n+++ b/a.md\n"
        "@@ -2 +2,2 @@ x\n-old\n+new\n+more\n@@ -9,2 +10,0 @@\n-gone\n-gone\n"
        "diff --git a/b.md b/b.md\ndeleted file mode 100644\n--- a/b.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
    )
    assert parse_patch(patch) == {"a.md": FileChange(lines=(2, 3), deleted_after=(10,))}


@pytest.mark.parametrize(
    "header, name",
    [
        ("b/plain.md", "b/plain.md"),
        ('"b/with \\"quote\\".md"', 'b/with "quote".md'),
        ('"b/caf\\303\\251\\tx.md"', "b/café\tx.md"),
        ('"b/back\\\\slash.md"', "b/back\\slash.md"),
    ],
)
def test_unquote_path_reads_git_quoting(header, name):
    assert unquote_path(header) == name


def test_a_change_touches_a_span_when_lines_were_deleted_inside_it():
    change = FileChange(lines=(8,), deleted_after=(3,))
    assert change.touches(1, 4)
    assert not change.touches(4, 6)
    assert change.touches(8, 8)
    assert not change.touches(3, 3)
