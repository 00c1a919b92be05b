"""``--fix`` repairs links after a change, on the golden cases of tests/engine/link-repair/.

Each case is a folder: ``before/`` is the vault as committed, ``case.json`` the change
(``moves``: ``git mv`` pairs, staged; ``args``: extra options), ``edited/`` files the
change rewrites (staged too), and ``after/`` every file of the vault as ``vaultcheck
check --fix`` must leave it, byte for byte. A second ``--fix`` must change nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

CASES = Path(__file__).resolve().parent / "link-repair"
NAMES = sorted(path.name for path in CASES.iterdir() if path.is_dir())


def files_below(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def changed_vault(tmp_path: Path, name: str) -> tuple[Path, list[str]]:
    """The case's vault committed in git, then its change staged; and its extra options."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    case = CASES / name
    root = tmp_path / "vault"
    shutil.copytree(case / "before", root)
    (root / ".obsidian").mkdir(exist_ok=True)
    git(root, "init", "-q")
    git(root, "config", "core.autocrlf", "false")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "before")
    spec = json.loads((case / "case.json").read_text())
    for old, new in spec["moves"]:
        (root / new).parent.mkdir(parents=True, exist_ok=True)
        git(root, "mv", old, new)
    if (case / "edited").is_dir():
        shutil.copytree(case / "edited", root, dirs_exist_ok=True)
    git(root, "add", "-A")
    return root, spec["args"]


@pytest.mark.parametrize("name", NAMES)
def test_fix_repairs_links_as_the_golden_case_says(tmp_path, run, name):
    root, args = changed_vault(tmp_path, name)
    expected = files_below(CASES / name / "after")

    first = run("check", "--fix", "--root", root, *args, root, cwd=root)

    assert first.code in (0, 1), first.err
    assert files_below(root) == expected, first.out + first.err
    modes = {path: path.stat().st_mode for path in root.rglob("*.md")}

    second = run("check", "--fix", "--root", root, *args, root, cwd=root)

    assert files_below(root) == expected and "fixed" not in second.err, second.err
    assert {path: path.stat().st_mode for path in root.rglob("*.md")} == modes


@pytest.mark.parametrize("name", NAMES)
def test_diff_shows_exactly_what_fix_writes(tmp_path, run, name):
    root, args = changed_vault(tmp_path, name)
    before = files_below(root)

    shown = run("check", "--diff", "--root", root, *args, root, cwd=root)

    assert files_below(root) == before
    changed = sorted(
        rel for rel, content in files_below(CASES / name / "after").items() if before.get(rel) != content
        and rel.endswith(".md") and rel in before
    )
    headers = sorted(line[len("+++ b/"):].rstrip("\t") for line in shown.out.splitlines() if line.startswith("+++ b/"))
    assert headers == changed, shown.out + shown.err
    if changed:
        patch = subprocess.run(
            ["git", "apply", "--unidiff-zero", "-"], cwd=root, input=shown.out.encode(),
            capture_output=True, check=False,
        )
        assert patch.returncode == 0, patch.stderr
        after = files_below(CASES / name / "after")
        assert {rel: files_below(root)[rel] for rel in changed} == {rel: after[rel] for rel in changed}


def test_unsafe_fixes_are_shown_by_diff_only_when_asked(tmp_path, run):
    root, _args = changed_vault(tmp_path, "unsafe-near-name")

    plain = run("check", "--diff", "--root", root, root, cwd=root)
    unsafe = run("check", "--diff", "--unsafe-fixes", "--root", root, root, cwd=root)

    assert plain.out == "" and "nothing to fix" in plain.err
    assert "+[[brain_fog_causes|Brain fog]]" in unsafe.out


def test_a_repaired_link_is_reported_as_fixable_with_its_new_spelling(tmp_path, run):
    root, _args = changed_vault(tmp_path, "note")

    found = run("check", "--root", root, root, cwd=root)

    assert found.code == 1
    assert (
        'index.md:1:12: broken-link no note named "sleep_hygiene" in the vault: this change renames'
        " sleep_hygiene.md to better_sleep.md; link as [[better_sleep]]"
    ) in found.out
    assert "(1 fixable with --fix)" in found.out
