"""Finding the vault root and its notes: markers, git, skipped folders, symlinks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from vaultcheck.vault.config import Config
from vaultcheck.vault.root import find_root
from vaultcheck.vault.vault import Vault


def names(vault: Vault) -> list[str]:
    return [vault.relative(path) for path in vault.notes()]


@pytest.mark.parametrize(
    "marker",
    [".obsidian/app.json", ".vaultcheck.toml", "pyproject.toml"],
)
def test_root_is_the_nearest_marked_folder(tmp_path, marker):
    root = tmp_path / "notes"
    (root / marker).parent.mkdir(parents=True, exist_ok=True)
    (root / marker).write_text("[tool.vaultcheck]\n" if marker == "pyproject.toml" else "")
    (root / "deep" / "er").mkdir(parents=True)
    assert find_root([root / "deep" / "er"], cwd=tmp_path) == root.resolve()


def test_pyproject_without_table_is_not_a_root(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "sub").mkdir()
    assert find_root([tmp_path / "sub"], cwd=tmp_path / "sub") == (tmp_path / "sub").resolve()


def test_git_top_level_is_the_fallback(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert find_root([tmp_path / "a" / "b"], cwd=tmp_path / "a") == tmp_path.resolve()


def test_tool_folders_are_skipped(vault):
    root = vault({
        "a.md": "", ".git/x.md": "", ".obsidian/y.md": "", ".trash/z.md": "", "sub/b.md": "",
        "image.png": "",
    })
    assert names(Vault(root.resolve(), Config(base=root))) == ["a.md", "sub/b.md"]


def test_symlink_loop_ends(vault):
    root = vault({"a/note.md": ""})
    os.symlink(root / "a", root / "a" / "loop")
    assert names(Vault(root.resolve(), Config(base=root))) == ["a/note.md"]


def test_symlinked_folder_outside_the_vault_is_not_walked(vault, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("x")
    root = vault({"a.md": ""})
    os.symlink(outside, root / "linked")
    assert names(Vault(root.resolve(), Config(base=root))) == ["a.md"]


def test_symlinked_note_outside_the_vault_is_reported_not_read(vault, tmp_path, run):
    outside = tmp_path / "outside.md"
    outside.write_text("---\nbroken: [\n---\n")
    root = vault({"a.md": ""})
    os.symlink(outside, root / "b.md")
    assert names(Vault(root.resolve(), Config(base=root))) == ["a.md", "b.md"]
    result = run("check", cwd=root)
    assert result.out.splitlines()[0] == (
        "b.md:1:1: unreadable-file a symlink that leads outside the vault: not read"
    )
    assert "frontmatter" not in result.out


def test_exclude_uses_gitignore_globs(vault):
    root = vault({"Templates/t.md": "", "a.md": "", "x/Templates/u.md": ""})
    config = Config(base=root, exclude=("/Templates/",))
    assert names(Vault(root.resolve(), config)) == ["a.md", "x/Templates/u.md"]


def test_notes_are_sorted_by_vault_path(vault):
    root = vault({"b.md": "", "a/z.md": "", "A.md": ""})
    assert names(Vault(root.resolve(), Config(base=root))) == ["A.md", "a/z.md", "b.md"]


def test_given_paths_limit_the_notes(vault):
    root = vault({"a/x.md": "", "b/y.md": ""}).resolve()
    checked = Vault(root, Config(base=root)).notes([root / "b"])
    assert [path.name for path in checked] == ["y.md"]


def test_relative_path_is_posix(vault):
    root = vault({"a/b c.md": ""}).resolve()
    assert Vault(root, Config(base=root)).relative(root / "a" / "b c.md") == "a/b c.md"


def test_vault_path_must_exist(run, tmp_path):
    result = run("check", tmp_path / "missing")
    assert result.code == 2
    assert "no such file or folder" in result.err


def test_root_marker_found_from_a_file(vault):
    root = vault({"x/y.md": ""})
    assert find_root([root / "x" / "y.md"], cwd=Path("/")) == root.resolve()
