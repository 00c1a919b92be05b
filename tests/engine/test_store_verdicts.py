"""Stored link verdicts: a run that takes notes and their link problems from the store
reports exactly what a run without it reports, whatever changed in between, and judges
again only the links whose verdict can have changed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from vaultcheck.engine import run as engine_run

NOTES: dict[str, str | bytes] = {
    "a.md": (
        "# A\n\n## Part one\n\nText ^block1\n\n"
        "See [[b#Intro]], [[b#^blk]], [[c]], [[Alias C]], [[Alias E]], [[missing note]], [[d]], [[b#Nope]].\n"
    ),
    "b.md": "# B\n\n## Intro\n\nBody ^blk\n\nBack to [[a#Part one]] and [[a#^block1]] [00:02:00] [00:01:00].\n",
    "c.md": "---\naliases: [Other]\n---\n# C\n\nSee [[a]] and [[Other]].\n",
    "folder/d.md": "# D\n\nSee [[../a]], [[missing_note]] and [[b#intro]].\n",
    "e.md": "![[img.png]] ![[gone.png]] [[b#Intro]] [[b]]\n",
    "img.png": b"\x89PNG\r\n\x1a\n",
}


def same_with_and_without_store(run, root: Path) -> str:
    """The report of a run using the store, checked against one without it, over the whole
    vault and over one note."""
    def one_by_one() -> None:
        for note in ("a.md", "e.md"):
            if (root / note).exists():
                one_stored = run("check", root / note)
                one_fresh = run("check", "--no-cache", root / note)
                assert (one_stored.code, one_stored.out) == (one_fresh.code, one_fresh.out)

    one_by_one()  # runs on some notes first: the others changed unseen
    stored = run("check", root)
    fresh = run("check", "--no-cache", root)
    assert (stored.code, stored.out, stored.err) == (fresh.code, fresh.out, fresh.err)
    one_by_one()
    return stored.out


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


#: Changes made one after the other, each followed by runs with and without the store.
CHANGES = [
    ("a heading renamed", lambda root: write(root, "b.md", (root / "b.md").read_text().replace("## Intro", "## Introduction"))),
    ("an alias added", lambda root: write(root, "c.md", "---\naliases: [Other, Alias C]\n---\n# C\n\nSee [[a]].\n")),
    ("an alias added to a note no link leads to", lambda root: write(root, "e.md", "---\naliases: [Alias E]\n---\n" + (root / "e.md").read_text())),
    ("a missing note made", lambda root: write(root, "missing note.md", "# Missing\n")),
    ("a near name made", lambda root: write(root, "folder/missing_notes.md", "Near.\n")),
    ("a block id removed", lambda root: write(root, "b.md", (root / "b.md").read_text().replace(" ^blk", ""))),
    ("a note deleted", lambda root: (root / "c.md").unlink()),
    ("a note renamed", lambda root: (root / "folder/d.md").rename(root / "folder/d2.md")),
    ("an attachment deleted", lambda root: (root / "img.png").unlink()),
    ("a note touched, unchanged", lambda root: os.utime(root / "b.md", ns=(1, 10**18))),
    ("a note's body edited", lambda root: write(root, "b.md", (root / "b.md").read_text() + "More.\n")),
    ("the heading back", lambda root: write(root, "b.md", (root / "b.md").read_text().replace("## Introduction", "## Intro"))),
    ("a folder of notes added", lambda root: write(root, "new/b.md", "# Other B\n\n## Intro\n")),
]


def test_every_change_reports_what_a_run_without_the_store_reports(vault, run):
    root = vault(NOTES)
    reports = [same_with_and_without_store(run, root)]
    for _what, change in CHANGES:
        change(root)
        reports.append(same_with_and_without_store(run, root))
    assert len(set(reports)) > len(CHANGES) // 2  # the changes did change the reports


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_inside_git_staged_untracked_and_removed_files_report_as_without_the_store(vault, run, monkeypatch):
    for variable in ("PRE_COMMIT", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"):
        monkeypatch.delenv(variable, raising=False)
    root = vault(NOTES)
    git(root, "init", "-q")
    git(root, "config", "user.email", "store@example.invalid")
    git(root, "config", "user.name", "store")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "notes")
    reports = [same_with_and_without_store(run, root)]
    steps = [
        lambda: write(root, "missing note.md", "Untracked.\n"),  # on disk, not in git
        lambda: git(root, "add", "missing note.md"),
        lambda: git(root, "rm", "-q", "c.md"),  # the change deletes a note
        lambda: git(root, "mv", "folder/d.md", "folder/d2.md"),
        lambda: write(root, ".gitignore", "missing*\n"),
        lambda: git(root, "commit", "-q", "-m", "more"),
        lambda: (root / "b.md").unlink(),  # gone from disk, still in git
    ]
    for step in steps:
        step()
        reports.append(same_with_and_without_store(run, root))
    assert len(set(reports)) > len(steps) // 2


@pytest.fixture
def judged(monkeypatch):
    """The notes whose links are judged (not taken from the store)."""
    notes: list[str] = []
    original = engine_run.judge_links

    def counting(note, context, selection):
        notes.append(note.rel)
        return original(note, context, selection)

    monkeypatch.setattr(engine_run, "judge_links", counting)
    return notes


def test_unchanged_notes_keep_their_link_verdicts(vault, run, judged):
    root = vault(NOTES)
    first = run("check", root)
    judged.clear()
    assert run("check", root).out == first.out
    assert judged == []


def test_an_edit_judges_again_that_note_and_the_notes_that_link_to_what_it_changed(vault, run, judged):
    root = vault(NOTES)
    run("check", root)
    judged.clear()
    write(root, "b.md", (root / "b.md").read_text() + "More text, same headings.\n")
    run("check", root)
    assert judged == ["b.md"]
    judged.clear()
    write(root, "b.md", (root / "b.md").read_text().replace("## Intro", "## Introduction"))
    run("check", root)
    assert sorted(judged) == ["a.md", "b.md", "e.md", "folder/d.md"]


def test_a_new_file_judges_every_note_again(vault, run, judged):
    root = vault(NOTES)
    run("check", root)
    judged.clear()
    write(root, "missing note.md", "# Missing\n")
    run("check", root)
    assert sorted(judged) == ["a.md", "b.md", "c.md", "e.md", "folder/d.md", "missing note.md"]
