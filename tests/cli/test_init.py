"""``vaultcheck init``: config, baseline and snippets for the repository it runs in."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from vaultcheck.vault.config import load_config


def make(top: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text(text, encoding="utf-8")
    return top


SUBFOLDER = {
    "README.md": "# Notes\n[[nothing]]\n",
    "notes/.obsidian/app.json": "{}\n",
    "notes/Home.md": "See [[Gone]] and [[Lost]].\n",
    "notes/Videos/talk.md": "---\ntags: 5\n---\n[00:10] then [00:05].\n",
}


def test_init_on_a_subfolder_vault(tmp_path, run):
    top = make(tmp_path / "repo", SUBFOLDER)
    result = run("init", cwd=top)
    assert result.code == 0, result.err
    config = load_config(top / ".vaultcheck.toml", base=top)
    assert config.root == "notes" and config.schema is None
    assert '# schema = "obsidian-note"' in (top / ".vaultcheck.toml").read_text()
    entries = json.loads((top / "vaultcheck-baseline.json").read_text())["problems"]
    assert sorted({entry["path"] for entry in entries}) == ["Home.md", "Videos/talk.md"]
    assert result.out.startswith("vaultcheck: wrote .vaultcheck.toml (the vault: notes/;")
    assert result.err == "vaultcheck: wrote 4 problems to the baseline vaultcheck-baseline.json\n"
    # The snippets are YAML, and name this repository's baseline.
    precommit = result.out.split("# .pre-commit-config.yaml\n")[1].split("\n\n")[0]
    hooks = yaml.safe_load(precommit)["repos"][0]["hooks"]
    assert hooks == [{"id": "vaultcheck", "args": ["--baseline", "vaultcheck-baseline.json"]}]
    workflow = yaml.safe_load(result.out.split("# .github/workflows/vaultcheck.yml\n")[1])
    steps = workflow["jobs"]["vaultcheck"]["steps"]
    assert steps[1]["with"]["baseline"] == "vaultcheck-baseline.json"
    assert steps[2] == {
        "uses": "github/codeql-action/upload-sarif@v3",
        "if": "always()",
        "with": {"sarif_file": "vaultcheck.sarif"},
    }
    # From now on, only new problems fail.
    assert run("check", "--baseline", "vaultcheck-baseline.json", cwd=top).code == 0
    (top / "notes" / "New.md").write_text("[[Missing]]\n")
    assert run("check", "--baseline", "vaultcheck-baseline.json", cwd=top).code == 1


def test_init_on_a_vault_at_the_top(tmp_path, run):
    top = make(tmp_path / "vault", {".obsidian/app.json": "{}\n", "Home.md": "Fine.\n"})
    result = run("init", "--baseline", "old.json", cwd=top)
    assert result.code == 0
    assert load_config(top / ".vaultcheck.toml", base=top).root is None
    assert "(the vault: this folder;" in result.out
    assert json.loads((top / "old.json").read_text())["problems"] == []


def test_init_refuses_to_overwrite_and_to_guess(tmp_path, run):
    top = make(tmp_path / "repo", {"a/.obsidian/x": "", "b/.obsidian/x": "", "a/n.md": ""})
    several = run("init", cwd=top)
    assert several.code == 2
    assert several.err == "vaultcheck: error: several vaults here (a, b); choose one with --root\n"
    assert not (top / ".vaultcheck.toml").exists()
    assert run("init", "--root", "a", cwd=top).code == 0
    again = run("init", "--root", "a", cwd=top)
    assert again.code == 2 and "already configures vaultcheck" in again.err
