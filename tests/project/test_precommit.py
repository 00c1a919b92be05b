"""The pre-commit hooks: declared consistently, documented, and working through real pre-commit."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from offline import offline_environment

from vaultcheck.rules.registry import FAMILIES, RULES
from vaultcheck.rules.selection import expand_rule_names

REPO = Path(__file__).resolve().parents[2]
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
README = (REPO / "README.md").read_text()


def selected(entry: str) -> list[str]:
    words = shlex.split(entry)
    if "--select" not in words:
        return list(RULES)
    return expand_rule_names(words[words.index("--select") + 1].split(","), "hook")


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook["id"])
def test_hook_is_a_markdown_python_hook(hook):
    assert hook["language"] == "python"
    assert hook["types"] == ["markdown"]
    assert hook["entry"].startswith("vaultcheck check")
    assert hook["name"] and hook["description"]


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook["id"])
def test_hook_selects_known_rules(hook):
    assert selected(hook["entry"])


def test_one_hook_per_rule_family_plus_everything():
    # No hook for "input" (unreadable-file runs in every hook) nor for "suppressions":
    # unused-suppression can judge a comment only next to the rules it names.
    families = sorted(family for family in FAMILIES if family not in ("input", "suppressions"))
    assert sorted(hook["id"] for hook in HOOKS) == sorted(
        ["vaultcheck", *(f"vaultcheck-{family}" for family in families)]
    )


def test_the_everything_hook_runs_every_rule():
    everything = next(hook for hook in HOOKS if hook["id"] == "vaultcheck")
    assert selected(everything["entry"]) == list(RULES)


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook["id"])
def test_readme_names_every_hook(hook):
    assert f"id: {hook['id']}" in README or f"`{hook['id']}`" in README


@pytest.mark.parametrize("rule", RULES)
def test_readme_names_every_rule(rule):
    assert f"`{rule}`" in README


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def try_repo(notes: Path, hook: str) -> subprocess.CompletedProcess[str]:
    pre_commit = [sys.executable, "-m", "pre_commit"]
    env = offline_environment()  # pip installs from local wheels, never an index
    return subprocess.run(
        [*pre_commit, "try-repo", str(REPO), hook, "--all-files", "--color", "never"],
        cwd=notes, capture_output=True, text=True, env=env, timeout=600, check=False,
    )


@pytest.fixture
def notes_repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout of vaultcheck")
    notes = tmp_path / "notes"
    notes.mkdir()
    git(notes, "init", "-q")
    git(notes, "config", "user.email", "notes@example.invalid")
    git(notes, "config", "user.name", "notes")
    return notes


def test_try_repo_fails_on_bad_frontmatter_then_passes(notes_repo, seed_note):
    (notes_repo / ".vaultcheck.toml").write_text(
        'schema = "video-note"\nselect = ["frontmatter", "unreadable-file"]\n'
    )
    shutil.copy(seed_note, notes_repo / "the_process_of_letting_go_in_relationships.md")
    bad = notes_repo / "clinginess.md"
    bad.write_text("---\ntitle: Understanding clinginess\nvideoId: tvpDLpCf1jU\ntags: 5\n---\n\nText.\n")
    git(notes_repo, "add", ".")

    failed = try_repo(notes_repo, "vaultcheck")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "clinginess.md:4:1: frontmatter-schema tags: expected an array, a string or null, got integer 5" in failed.stdout
    assert "the_process_of_letting_go" not in failed.stdout

    bad.write_text("---\ntitle: Understanding clinginess\nvideoId: tvpDLpCf1jU\ntags: [dating]\n---\n\nText.\n")
    git(notes_repo, "add", ".")
    passed = try_repo(notes_repo, "vaultcheck")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_the_everything_hook_runs_on_commits_that_only_delete_notes():
    # pre-commit passes no file for a deletion; without always_run the hook is skipped.
    everything = next(hook for hook in HOOKS if hook["id"] == "vaultcheck")
    assert everything["always_run"] is True and everything["pass_filenames"] is False
