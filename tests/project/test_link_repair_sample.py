"""Link repairs on a copy of the real sample vault: 20 notes and 2 folders moved with
``git mv``, then ``vaultcheck check --fix`` (and the ``vaultcheck-link-repair`` hook
through pre-commit) must repair every link the moves broke and change nothing else.
"""

from __future__ import annotations

import collections
import difflib
import json
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import SHARED
from test_precommit import try_repo

from vaultcheck.links.check import frontmatter_links
from vaultcheck.note.note import Note

SAMPLE = SHARED / "corpora" / "tubegraph-sample"
FOLDERS = {"3blue1brown": "maths/3b1b", "\u2068cleoabram\u2069": "media/cleo"}
#: A note of the test's own, in the vault's style, linking into the moved folders by path.
HUB = (
    "---\ntitle: Reading list\n---\n\n"
    "From: [[healthygamergg]] <br/>\n\n"
    "## Maths\n\n"
    "- [[3blue1brown/null_space|Null space]] and ![[3blue1brown/null_space#Null Space in Transformations]]\n"
    "- [The heat equation](3blue1brown/the_heat_equation_and_its_applications.md)\n\n"
    "## Science\n\n"
    "- [[\u2068cleoabram\u2069/introduction_to_quantum_computers#What is a Quantum Computer|quantum computers]]\n"
)


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return done.stdout.decode("utf-8", "surrogateescape")


def files_below(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def link_problems(run, root: Path) -> list[dict[str, object]]:
    found = run("check", "--format", "json", "--select", "links", "--no-cache", root, cwd=root)
    assert found.code in (0, 1), found.err
    return json.loads(found.out)


def most_linked(root: Path, count: int) -> list[str]:
    """The ``count`` notes of healthygamergg/ that most links name (by their bare name)."""
    names = {path.stem for path in (root / "healthygamergg").glob("*.md")} - {"healthygamergg"}
    counts: collections.Counter[str] = collections.Counter()
    for path in root.rglob("*.md"):
        for match in re.finditer(r"\[\[([^\]|#]+)", path.read_text(encoding="utf-8")):
            if match.group(1).strip() in names:
                counts[match.group(1).strip()] += 1
    return [name for name, _count in counts.most_common(count)]


@pytest.fixture
def moved(tmp_path: Path, run):
    """The sample, made clean of fixable problems and committed; then 20 of its most linked
    notes renamed or moved and 2 folders moved, staged. Returns the vault, its bytes
    before ``--fix``, and the link problems the moves caused (``links_broken``)."""
    if not SAMPLE.is_dir():
        pytest.skip(f"the sample vault is not here ({SAMPLE}): it lives beside the project in ../shared")
    if shutil.which("git") is None:
        pytest.skip("needs git")
    root = tmp_path / "vault"
    shutil.copytree(SAMPLE, root)
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    (root / ".obsidian").mkdir()
    (root / "reading_list.md").write_text(HUB, encoding="utf-8")
    run("check", "--fix", "--quiet", root, cwd=root)  # alias formatting, so only repairs change below
    git(root, "init", "-q")
    git(root, "config", "core.autocrlf", "false")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "sample")
    before = link_problems(run, root)
    for number, name in enumerate(most_linked(root, 20)):
        new = [f"healthygamergg/{name}_v2.md", f"topics/{name}_renamed.md", f"topics/Note {number} {name[:24]}.md"]
        (root / "topics").mkdir(exist_ok=True)
        git(root, "mv", f"healthygamergg/{name}.md", new[number % 3])
    for old, new in FOLDERS.items():
        (root / new).parent.mkdir(exist_ok=True)
        git(root, "mv", old, new)
    after_moves = link_problems(run, root)
    broken = [item for item in after_moves if item["fixable"]]
    assert len(after_moves) - len(before) == len(broken) > 800
    return root, files_below(root), broken, len(before)


def link_spans(text: str, rel: str) -> list[tuple[int, int]]:
    note = Note.from_bytes(Path(rel), rel, text.encode("utf-8"))
    return [(link.start, link.end) for link in (*frontmatter_links(note), *note.syntax.links)]


def only_links_changed(before: bytes, after: bytes, rel: str) -> int:
    """How many links differ, asserting every other character is as it was: each change
    lies inside one link of the text before and one link of the text after."""
    old, new = before.decode("utf-8"), after.decode("utf-8")
    old_links, new_links = link_spans(old, rel), link_spans(new, rel)
    assert len(old_links) == len(new_links), rel
    changed = set()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, first, last, new_first, new_last in matcher.get_opcodes():
        if tag == "equal":
            continue
        inside = [index for index, (start, end) in enumerate(old_links) if start <= first and last <= end]
        assert inside, f"{rel}: {old[first:last]!r} -> {new[new_first:new_last]!r} is outside every link"
        start, end = new_links[inside[0]]
        assert start <= new_first and new_last <= end, rel
        changed.add(inside[0])
    return len(changed)


def assert_repaired(root: Path, before: dict[str, bytes], broken: list[dict[str, object]], problems_before: int, run):
    after = files_below(root)
    assert sorted(after) == sorted(before)
    rewritten = {rel: only_links_changed(before[rel], after[rel], rel) for rel in before if after[rel] != before[rel]}
    left = link_problems(run, root)
    assert [item for item in left if item["fixable"]] == []
    assert len(left) == problems_before
    assert sum(rewritten.values()) == len(broken)
    assert set(rewritten) == {str(item["path"]) for item in broken}
    return rewritten


def test_fix_repairs_every_link_the_moves_broke_and_nothing_else(moved, run):
    root, before, broken, problems_before = moved

    fixed = run("check", "--fix", root, cwd=root)

    rewritten = assert_repaired(root, before, broken, problems_before, run)
    assert f"fixed {len(broken):,} problems in {len(rewritten)} notes" in fixed.err
    again = run("check", "--fix", root, cwd=root)
    assert files_below(root) == {**before, **{rel: (root / rel).read_bytes() for rel in rewritten}}
    assert "fixed" not in again.err


def test_the_hook_repairs_them_through_pre_commit(moved, run):
    root, before, broken, problems_before = moved

    failed = try_repo(root, "vaultcheck-link-repair", all_files=False)

    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "files were modified by this hook" in failed.stdout
    rewritten = assert_repaired(root, before, broken, problems_before, run)
    assert "review and re-stage them (git add)" in failed.stdout
    fixed = files_below(root)
    git(root, "add", "-A")
    again = try_repo(root, "vaultcheck-link-repair", all_files=False)
    assert files_below(root) == fixed and "files were modified" not in again.stdout
    assert "this change" not in again.stdout and rewritten
