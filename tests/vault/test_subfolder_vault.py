"""A vault in a subfolder of a larger repository: ``root`` in the config at the top, ``--root``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO_FILES = {
    "README.md": "# The repository\n\nSee [[nothing]].\n",
    "notes/.obsidian/app.json": "{}\n",
    "notes/Home.md": "See [[Ada]] and [[Gone]].\n",
    "notes/People/Ada.md": "# Ada\n",
}


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    top = tmp_path / "repo"
    for rel, text in REPO_FILES.items():
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text(text, encoding="utf-8")
    return top


GONE = 'notes/Home.md:1:17: broken-link no note named "Gone" in the vault\n'


@pytest.mark.parametrize(
    "config_file, text",
    [(".vaultcheck.toml", 'root = "notes"\n'), ("pyproject.toml", '[tool.vaultcheck]\nroot = "notes"\n')],
)
def test_config_root_at_the_top_names_the_vault(repository, run, config_file, text):
    (repository / config_file).write_text(text)
    for args in ([], ["."]):
        result = run("check", *args, cwd=repository)
        assert result.code == 1
        assert result.out.startswith(GONE)
        assert "in 1 of 2 notes" in result.out  # README.md is not a note of the vault


def test_paths_outside_the_vault_are_skipped_with_a_word(repository, run):
    (repository / ".vaultcheck.toml").write_text('root = "notes"\n')
    result = run("check", "README.md", "notes/Home.md", cwd=repository)
    assert result.out.startswith(GONE) and "1 of 1 note" in result.out
    assert result.err == f"vaultcheck: skipped, outside the vault at {repository / 'notes'}: README.md\n"
    alone = run("check", "README.md", cwd=repository)
    assert alone.code == 2 and "every path is outside the vault" in alone.err


def test_a_hook_run_with_only_files_outside_the_vault_passes(repository, run, monkeypatch):
    (repository / ".vaultcheck.toml").write_text('root = "notes"\n')
    monkeypatch.setenv("PRE_COMMIT", "1")
    result = run("check", "--select", "frontmatter", "README.md", cwd=repository)
    assert result.code == 0


def test_the_top_config_applies_from_inside_the_vault(repository, run):
    (repository / ".vaultcheck.toml").write_text('root = "notes"\n[severity]\nbroken-link = "warning"\n')
    # notes/ holds .obsidian, so it is found first; the config above that names it applies.
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=repository, check=True)
    result = run("check", "Home.md", cwd=repository / "notes")
    assert result.code == 0
    assert "broken-link (warning)" in result.out


def test_root_option(repository, run):
    result = run("check", "--root", "notes", ".", cwd=repository)
    assert result.out.startswith(GONE) and "1 of 2 notes" in result.out
    assert run("check", "--root", "nowhere", cwd=repository).code == 2


@pytest.mark.parametrize("root", ["missing", "../outside"])
def test_a_bad_config_root_is_a_usage_error(repository, run, root):
    (repository / ".vaultcheck.toml").write_text(f'root = "{root}"\n')
    result = run("check", cwd=repository)
    assert result.code == 2 and "root:" in result.err


def test_baseline_written_at_the_top_matches_in_hook_runs(repository, run):
    (repository / ".vaultcheck.toml").write_text('root = "notes"\n')
    run("check", "--write-baseline", "baseline.json", cwd=repository)
    entries = json.loads((repository / "baseline.json").read_text())["problems"]
    assert [entry["path"] for entry in entries] == ["Home.md"]
    result = run("check", "--baseline", "baseline.json", "notes/Home.md", cwd=repository)
    assert (result.code, result.err) == (0, "vaultcheck: 1 problem not reported: 1 in the baseline baseline.json\n")
