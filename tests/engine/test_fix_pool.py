"""``--fix`` and ``--diff`` over many notes: fixed in the pool of workers, like a check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vaultcheck.cli import _Fixing
from vaultcheck.engine import fix, pool, writer

SPACED = "See [[Ada Lovelace | Ada]] and [[ Ada Lovelace ]].\n"
FIXED = "See [[Ada Lovelace|Ada]] and [[Ada Lovelace]].\n"
NOTES = 12


@pytest.fixture
def small_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool for a dozen notes, two notes a batch, so tests stay small."""
    monkeypatch.setattr(pool, "PARALLEL_FROM", 4)
    monkeypatch.setattr(pool, "BATCH", 2)


def spaced_vault(vault) -> Path:  # type: ignore[no-untyped-def]
    files: dict[str, str | bytes] = {f"n{number:02d}.md": SPACED for number in range(NOTES)}
    files["Ada Lovelace.md"] = "# Ada\n"
    return vault(files)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the pool needs two cores")
def test_fix_runs_in_worker_processes(vault, run, small_pool, monkeypatch, tmp_path):
    root = spaced_vault(vault)
    pids = tmp_path / "pids"
    real_fix_note = fix.fix_note

    def fix_and_say_where(note, vault_, selection):  # type: ignore[no-untyped-def]
        with pids.open("a") as stream:
            stream.write(f"{os.getpid()}\n")
        return real_fix_note(note, vault_, selection)

    monkeypatch.setattr(fix, "fix_note", fix_and_say_where)
    result = run("check", "--select", "aliases", "--fix", root, cwd=root)
    assert result.code == 1
    where = pids.read_text().split()
    assert len(where) == NOTES + 1
    assert str(os.getpid()) not in where


def test_fix_in_the_pool_prints_one_summary_line(vault, run, small_pool):
    root = spaced_vault(vault)
    result = run("check", "--fix", root, cwd=root)
    assert result.err == f"fixed {2 * NOTES} problems in {NOTES} notes\n"
    assert result.out == f"{NOTES + 1} notes checked, no problems.\n"
    assert all((root / f"n{number:02d}.md").read_text() == FIXED for number in range(NOTES))
    again = run("check", "--fix", root, cwd=root)
    assert (again.code, again.err) == (0, "")


def test_the_summary_counts_in_thousands():
    fixing = _Fixing(None, None, None, diff=False, notes_changed=18573, problems_fixed=176825)  # type: ignore[arg-type]
    assert fixing.summary() == "fixed 176,825 problems in 18,573 notes\n"


def test_a_note_the_pool_cannot_write_is_reported_and_keeps_its_problems(
    vault, run, small_pool, refuse_writes
):
    root = spaced_vault(vault)
    (root / "n03.md").chmod(0o444)
    refuse_writes("n03.md")
    result = run("check", "--select", "aliases", "--fix", root, cwd=root)
    assert result.code == 1
    assert result.err == (
        "vaultcheck: error: n03.md not fixed: the file is read-only\n"
        f"fixed {2 * (NOTES - 1)} problems in {NOTES - 1} notes\n"
    )
    assert (root / "n03.md").read_text() == SPACED
    assert result.out.startswith("n03.md:1:5: alias-format")
    assert "n04.md" not in result.out


def test_a_note_edited_while_the_pool_fixes_it_is_left_alone(vault, run, small_pool, monkeypatch):
    root = spaced_vault(vault)
    real_fix_note = fix.fix_note

    def fix_while_someone_edits(note, vault_, selection):  # type: ignore[no-untyped-def]
        result = real_fix_note(note, vault_, selection)
        if note.rel == "n05.md":
            note.path.write_text("their edit\n")
        return result

    monkeypatch.setattr(fix, "fix_note", fix_while_someone_edits)
    result = run("check", "--select", "aliases", "--fix", root, cwd=root)
    assert result.code == 1
    assert "n05.md not fixed: changed on disk while it was being checked" in result.err
    assert (root / "n05.md").read_text() == "their edit\n"
    assert (root / "n06.md").read_text() == FIXED


def test_diff_in_the_pool_prints_every_diff_in_order_and_changes_nothing(vault, run, small_pool):
    root = spaced_vault(vault)
    result = run("check", "--select", "aliases", "--diff", root, cwd=root)
    assert result.code == 1
    names = [line[len("--- a/"):] for line in result.out.splitlines() if line.startswith("--- a/")]
    assert names == [f"n{number:02d}.md" for number in range(NOTES)]
    assert result.err == f"--diff: --fix would fix {2 * NOTES} problems in {NOTES} notes\n"
    assert all((root / f"n{number:02d}.md").read_text() == SPACED for number in range(NOTES))


def test_links_are_judged_on_the_fixed_notes(vault, run, small_pool):
    # A bare pipe in a table hides the link; once escaped it is a link, and a broken one.
    table = "| a | b |\n| --- | --- |\n| x | [[missing_note | x]] |\n"
    files: dict[str, str | bytes] = {f"n{number:02d}.md": table for number in range(NOTES)}
    root = vault(files)
    result = run("check", "--fix", root, cwd=root)
    assert result.out.count('broken-link no note named "missing_note"') == NOTES


def test_fixed_notes_are_written_on_threads_while_the_disk_syncs(vault, run, small_pool, monkeypatch):
    import threading

    root = spaced_vault(vault)
    real_write_fixed = writer.write_fixed
    threads = []

    def write_and_say_where(note, text):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        real_write_fixed(note, text)

    monkeypatch.setattr(pool, "PARALLEL_FROM", 10**6)  # in this process, to see its threads
    monkeypatch.setattr(writer, "write_fixed", write_and_say_where)
    result = run("check", "--select", "aliases", "--fix", root, cwd=root)
    assert result.err == f"fixed {2 * NOTES} problems in {NOTES} notes\n"
    assert threads == [False] * NOTES
