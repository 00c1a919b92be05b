"""``--fix`` on a copy of the real sample vault (../shared/corpora/tubegraph-sample).

The checks here do not use vaultcheck's own code: a file may differ only inside
wikilink-shaped spans found by a plain regex, and there only in the spaces and tabs
next to the brackets and pipes, or a backslash before a pipe.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

# A wikilink or embed on one line: from "[[" to the first "]]", no "[[" inside.
LINK = re.compile(r"!?\[\[(?:[^\[\]\r\n]|\[(?!\[)|\](?!\]))*\]\]")
FIXED = re.compile(r"fixed ([0-9,]+) problems? in ([0-9,]+) notes?")
SPACE_AT_EDGE = re.compile(r"^!?\[\[[ \t]|[ \t]\]\]$")


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int, int]]:
    """Every file's bytes, mode, inode and mtime, by relative path."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            status = path.stat()
            found[path.relative_to(root).as_posix()] = (
                path.read_bytes(), status.st_mode, status.st_ino, status.st_mtime_ns
            )
    return found


def squeezed(link: str) -> str:
    """A link without spaces, tabs or pipe escapes: what respelling must leave alone."""
    return re.sub(r"[ \t]", "", link).replace("\\|", "|")


def assert_only_links_respelled(old: str, new: str) -> int:
    """The text outside link spans is identical and each changed link only lost spaces
    or gained pipe escapes; returns how many links changed."""
    assert LINK.split(old) == LINK.split(new)
    changed = 0
    for before, after in zip(LINK.findall(old), LINK.findall(new), strict=True):
        if before != after:
            changed += 1
            assert squeezed(before) == squeezed(after), (before, after)
            assert not SPACE_AT_EDGE.search(after), after
            assert len(after) <= len(before) + before.count("|"), (before, after)
    return changed


@pytest.fixture
def sample_copy(sample_vault: Path, tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(sample_vault, root)
    # The shared corpus is read-only; its copy is the user's own, writable, vault.
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (root / ".obsidian").mkdir(exist_ok=True)
    return root


@pytest.mark.slow
def test_fix_changes_only_link_spans_and_a_second_run_changes_nothing(sample_copy, run):
    before = snapshot(sample_copy)

    result = run("check", "--select", "aliases", "--fix", ".", cwd=sample_copy)

    after = snapshot(sample_copy)
    assert result.code == 1
    assert after.keys() == before.keys()
    changed = [name for name in before if before[name][0] != after[name][0]]
    assert changed and all(name.endswith(".md") for name in changed)
    # One summary line, however many notes the pool of workers fixed.
    report = FIXED.fullmatch(result.err.rstrip("\n"))
    assert report is not None, result.err
    assert int(report.group(2).replace(",", "")) == len(changed)
    links = 0
    for name in changed:
        old, new = before[name][0].decode("utf-8"), after[name][0].decode("utf-8")
        links += assert_only_links_respelled(old, new)
        assert after[name][1] == before[name][1]
    # Only alias-format is on by default: one problem per respelled link.
    assert links == int(report.group(1).replace(",", ""))
    for name in before.keys() - changed:
        assert after[name] == before[name], f"{name} was rewritten with nothing to fix"

    again = run("check", "--select", "aliases", "--fix", ".", cwd=sample_copy)

    assert (again.code, again.err) == (0, "")
    assert snapshot(sample_copy) == after


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git apply")
def test_diff_changes_nothing_and_git_applies_to_what_fix_writes(sample_copy, run, tmp_path):
    # The folder whose name is wrapped in invisible direction marks: paths git must take.
    folder = next(path.name for path in sample_copy.iterdir() if "cleoabram" in path.name)
    before = snapshot(sample_copy)
    diff = run("check", "--select", "aliases", "--diff", folder, cwd=sample_copy)
    assert diff.code == 1
    assert snapshot(sample_copy) == before

    patched = tmp_path / "patched"
    shutil.copytree(sample_copy, patched)
    run("check", "--select", "aliases", "--fix", folder, cwd=sample_copy)
    applied = subprocess.run(
        ["git", "apply", "-"], input=diff.out.encode("utf-8"), cwd=patched,
        capture_output=True, check=False,
        env={**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)},
    )
    assert applied.returncode == 0, applied.stderr.decode()
    contents = {name: value[0] for name, value in snapshot(patched).items()}
    assert contents == {name: value[0] for name, value in snapshot(sample_copy).items()}
