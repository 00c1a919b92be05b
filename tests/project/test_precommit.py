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

from vaultcheck.rules.api import Rule
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
    # A hook for each family with a rule on by default, but "input" (unreadable-file
    # runs in every hook). Not for a family whose rules are all opt-in, such as
    # "suppressions" (unused-suppression judges a comment only next to the rules it
    # names) or "headings": the everything hook runs them once they are turned on.
    families = sorted(
        family
        for family, names in FAMILIES.items()
        if family != "input" and any(RULES[name].enabled_by_default for name in names)
    )
    assert sorted(hook["id"] for hook in HOOKS) == sorted(
        ["vaultcheck", *(f"vaultcheck-{family}" for family in families)]
    )


def test_the_everything_hook_runs_every_rule():
    everything = next(hook for hook in HOOKS if hook["id"] == "vaultcheck")
    assert selected(everything["entry"]) == list(RULES)


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook["id"])
def test_readme_names_every_hook(hook):
    assert f"id: {hook['id']}" in README or f"`{hook['id']}`" in README


def readme_rule_table() -> dict[str, tuple[str, str]]:
    """The README's table under ``## Rules``: rule name -> (family, default)."""
    section = README.split("\n## Rules\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    table: dict[str, tuple[str, str]] = {}
    for row in rows:
        name, family, default = (cell.strip() for cell in row.strip("|").split(" | ")[:3])
        assert name.strip("`") not in table, f"README: {name} has two rows"
        table[name.strip("`")] = (family, default)
    return table


def documented_default(rule: Rule) -> str:
    """What the README's "default" column says of a rule, from what the registry says."""
    if not rule.enabled_by_default:
        default = f"off ({rule.default_severity.value})"
    elif "(opt-in)" in rule.summary:
        default = "opt-in"
    else:
        default = rule.default_severity.value
    return f"{default}, fixable" if rule.fixable else default


def test_readme_rule_table_is_the_registry():
    table = readme_rule_table()
    assert sorted(table) == sorted(RULES)
    for name, rule in RULES.items():
        assert table[name] == (rule.family, documented_default(rule)), name


def test_hooks_select_only_rules_and_families_that_exist():
    for hook in HOOKS:
        words = shlex.split(hook["entry"])
        if "--select" in words:
            for name in words[words.index("--select") + 1].split(","):
                assert name in RULES or name in FAMILIES, f"{hook['id']}: unknown {name!r}"


def test_the_links_hook_runs_exactly_the_rules_a_removed_note_can_break():
    """The links hook always runs (a commit that only deletes a note passes no file) and
    must judge every rule that declares a change elsewhere can break it, and nothing more."""
    links = next(hook for hook in HOOKS if hook["id"] == "vaultcheck-links")
    assert links["always_run"] is True
    broken_elsewhere = {name for name, rule in RULES.items() if rule.broken_elsewhere}
    assert "broken-link" in broken_elsewhere
    assert set(selected(links["entry"])) == broken_elsewhere


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


@pytest.mark.slow
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
