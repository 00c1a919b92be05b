"""Inside git, the files that count are git's (tracked or staged), and a commit that deletes
or renames a note is checked for the links it breaks in notes it did not change."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from linkvault import messages, reported

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

LINK_RULES = "broken-link,broken-heading,broken-block-ref,missing-attachment"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(vault, monkeypatch):
    """A committed vault in a fresh git repository (not run under pre-commit)."""
    for variable in ("PRE_COMMIT", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"):
        monkeypatch.delenv(variable, raising=False)

    def make(files: dict[str, str | bytes]) -> Path:
        root = vault(files)
        git(root, "init", "-q")
        git(root, "config", "user.email", "links@example.invalid")
        git(root, "config", "user.name", "links")
        git(root, "add", ".")
        git(root, "commit", "-q", "-m", "notes")
        return root

    return make


def test_an_untracked_note_does_not_make_a_link_pass(repo, run):
    root = repo({"Home.md": "See [[Draft]].\n"})
    (root / "Draft.md").write_text("# Draft\n")
    result = run("check", "--select", LINK_RULES, cwd=root)
    assert messages(result.out) == {
        ("Home.md", 1, 5): 'broken-link no note named "Draft" in the vault: Draft.md is on disk'
        " but not tracked by git; git add it"
    }


def test_a_staged_note_counts(repo, run):
    root = repo({"Home.md": "See [[Draft]] and ![[chart.png]].\n"})
    (root / "Draft.md").write_text("# Draft\n")
    (root / "chart.png").write_bytes(b"\x89PNG")
    git(root, "add", "Draft.md", "chart.png")
    result = run("check", "--select", LINK_RULES, cwd=root)
    assert (result.code, reported(result.out)) == (0, [])


def test_a_vault_outside_git_uses_the_disk(vault, run):
    root = vault({"Home.md": "See [[Draft]].\n", "Draft.md": "# Draft\n"})
    result = run("check", "--select", LINK_RULES, cwd=root)
    assert (result.code, reported(result.out)) == (0, [])


@pytest.fixture
def enclosing(tmp_path, monkeypatch):
    """A repository whose ``.gitignore`` ignores ``notes/``, a vault folder inside it."""
    for variable in ("PRE_COMMIT", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"):
        monkeypatch.delenv(variable, raising=False)
    top = tmp_path / "repo"
    (top / "notes").mkdir(parents=True)
    (top / ".gitignore").write_text("notes/\n")
    (top / "README.md").write_text("Read me.\n")
    git(top, "init", "-q")
    git(top, "add", ".")
    git(top, "-c", "user.email=a@example.invalid", "-c", "user.name=a", "commit", "-q", "-m", "x")
    (top / "notes" / "Home.md").write_text("See [[Draft]] and [[Gone]].\n")
    (top / "notes" / "Draft.md").write_text("# Draft\n")
    return top


DISK = "so links are resolved against the files on disk"


@pytest.mark.parametrize("obsidian", [False, True], ids=["folder", "vault-with-tracked-settings"])
def test_notes_git_ignores_are_checked_against_the_disk_and_the_run_says_why(
    enclosing, run, obsidian
):
    notes = enclosing / "notes"
    if obsidian:  # a vault root, whose settings alone are tracked
        (notes / ".obsidian").mkdir()
        (notes / ".obsidian" / "app.json").write_text("{}")
        git(enclosing, "add", "-f", "notes/.obsidian/app.json")
    result = run("check", "--select", LINK_RULES, "notes", cwd=enclosing)
    assert messages(result.out) == {
        ("notes/Home.md", 1, 19): 'broken-link no note named "Gone" in the vault'
    }
    assert result.err == (
        f"vaultcheck: none of the 2 notes checked is in git's index (git ignores or does not"
        f" track them), {DISK}\n"
    )


def test_one_ignored_note_is_named(enclosing, run):
    result = run("check", "--select", LINK_RULES, "notes/Home.md", cwd=enclosing)
    assert len(messages(result.out)) == 1
    assert result.err == (
        f"vaultcheck: notes/Home.md is not in git's index (git ignores or does not track it), {DISK}\n"
    )


def test_with_a_tracked_note_checked_git_decides_and_never_says_to_add_an_ignored_file(
    enclosing, run
):
    result = run("check", "--select", LINK_RULES, cwd=enclosing)
    assert messages(result.out) == {
        ("notes/Home.md", 1, 5): 'broken-link no note named "Draft" in the vault',
        ("notes/Home.md", 1, 19): 'broken-link no note named "Gone" in the vault',
    }
    assert result.err == ""


def test_a_vault_whose_notes_git_tracks_says_nothing_of_the_disk(repo, run):
    root = repo({"Home.md": "See [[Draft]].\n", "Draft.md": "# Draft\n"})
    result = run("check", "--select", LINK_RULES, cwd=root)
    assert (result.code, reported(result.out), result.err) == (0, [], "")


@pytest.fixture
def linked(repo):
    return repo({
        "Old.md": "# Old\n## Part\n",
        "Linker.md": "See [[Old]] and [[Old#Part]] and [[Unrelated gone]].\n",
        "Pictures.md": "![[pic.png]] and [o](Old.md)\n",
        "Quiet.md": "Nothing to see.\n",
        "pic.png": b"\x89PNG",
        "changed.md": "A note.\n",
    })


def test_renaming_a_note_reports_links_to_it_in_unchanged_notes(linked, run):
    git(linked, "mv", "Old.md", "New.md")
    (linked / "changed.md").write_text("A note, changed.\n")
    git(linked, "add", "changed.md")
    result = run("check", "--select", LINK_RULES, "changed.md", cwd=linked)
    rename = 'no note named "Old" in the vault: this change renames Old.md to New.md; link as'
    assert messages(result.out) == {
        ("Linker.md", 1, 5): f"broken-link {rename} [[New]]",
        ("Linker.md", 1, 17): f"broken-link {rename} [[New#Part]]",
        ("Pictures.md", 1, 18): 'broken-link no note named "Old.md" in the vault: this change'
        " renames Old.md to New.md; link as [o](New.md)",
    }
    assert result.code == 1


def test_deleting_an_attachment_reports_embeds_of_it(linked, run):
    git(linked, "rm", "-q", "pic.png")
    result = run("check", "--select", LINK_RULES, "changed.md", cwd=linked)
    assert messages(result.out) == {
        ("Pictures.md", 1, 1): 'missing-attachment no file named "pic.png" in the vault: this'
        " change deletes pic.png",
    }


def test_only_links_to_removed_files_are_reported_in_unchanged_notes(linked, run):
    # Linker.md's [[Unrelated gone]] was broken before this change: not this commit's doing.
    git(linked, "rm", "-q", "Old.md")
    result = run("check", "--select", LINK_RULES, "changed.md", cwd=linked)
    assert {(path, rule) for path, _line, _column, rule in reported(result.out)} == {
        ("Linker.md", "broken-link"), ("Pictures.md", "broken-link")
    }
    assert "Unrelated gone" not in result.out


def test_the_hook_with_no_files_checks_only_what_the_deletion_breaks(linked, run, monkeypatch):
    # pre-commit runs the always_run hook without file names when no note is staged.
    monkeypatch.setenv("PRE_COMMIT", "1")
    git(linked, "rm", "-q", "Old.md")
    result = run("check", "--select", LINK_RULES, cwd=linked)
    assert sorted(reported(result.out)) == [
        ("Linker.md", 1, 5, "broken-link"),
        ("Linker.md", 1, 17, "broken-link"),
        ("Pictures.md", 1, 18, "broken-link"),
    ]


def test_a_deleted_note_with_a_twin_elsewhere_breaks_nothing(repo, run):
    root = repo({
        "Old.md": "# Old\n",
        "Archive/Old.md": "# Old\n",
        "Linker.md": "See [[Old]].\n",
        "changed.md": "A note.\n",
    })
    git(root, "rm", "-q", "Old.md")
    result = run("check", "--select", LINK_RULES, "changed.md", cwd=root)
    assert (result.code, reported(result.out)) == (0, [])


def test_a_commit_without_removals_checks_only_the_given_notes(linked, run):
    result = run("check", "--select", LINK_RULES, "changed.md", cwd=linked)
    assert (result.code, reported(result.out)) == (0, [])
