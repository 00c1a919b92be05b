"""``--fix`` against what a user or a checkout does meanwhile: an editor saving the note,
read-only notes under root, hard links, and the temporary files of a killed run."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import pytest

from vaultcheck.engine import writer

SPACED = "Feeling [[understanding_clinginess | clingy]].\n"
FIXED = "Feeling [[understanding_clinginess|clingy]].\n"
EDITED = SPACED + "A line the user saved while --fix ran.\n"


def temporaries(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".vaultcheck-tmp"))


def test_attack_edit_saved_while_fix_writes_is_lost(vault, run, monkeypatch):
    """The editor saves once the fixed text is in the temporary file, before the rename:
    the hook runs where the writer syncs that file (its first ``fsync``)."""
    root = vault({"a.md": SPACED})
    note = root / "a.md"
    real_fsync = os.fsync
    saved = []

    def fsync_then_editor_saves(descriptor: int) -> None:
        real_fsync(descriptor)
        if not saved:
            assert len(temporaries(root)) == 1  # the fixed text waits in its file
            saved.append(True)
            note.write_text(EDITED)

    monkeypatch.setattr(writer.os, "fsync", fsync_then_editor_saves)
    result = run("check", "--select", "aliases", "--fix", "a.md", cwd=root)
    assert saved
    assert note.read_text() == EDITED
    assert result.code == 1
    assert (
        result.err
        == "vaultcheck: error: a.md not fixed: changed on disk while it was being checked\n"
    )
    assert temporaries(root) == []


def test_an_edit_saved_just_before_the_rename_is_kept(tmp_path, monkeypatch):
    """The last look at the note is the step right before ``os.replace``."""
    note = tmp_path / "a.md"
    note.write_text(SPACED)
    from vaultcheck.note.note import Note

    read = Note.read(note, "a.md")
    real_chmod = os.chmod

    def chmod_then_editor_saves(path, mode, **kwargs):  # type: ignore[no-untyped-def]
        real_chmod(path, mode, **kwargs)
        note.write_text(EDITED)

    monkeypatch.setattr(writer.os, "chmod", chmod_then_editor_saves)
    with pytest.raises(writer.StaleNote):
        writer.write_fixed(read, FIXED)
    assert note.read_text() == EDITED
    assert temporaries(tmp_path) == []


def test_attack_root_fix_rewrites_read_only_note(vault, run, monkeypatch):
    root = vault({"a.md": SPACED, "b.md": SPACED})
    (root / "a.md").chmod(0o444)
    if os.geteuid() != 0:  # as root would be: every access allowed
        monkeypatch.setattr(writer.os, "access", lambda path, mode: True)
    result = run("check", "--select", "aliases", "--fix", ".", cwd=root)
    assert result.code == 1
    assert "vaultcheck: error: a.md not fixed: the file is read-only\n" in result.err
    assert (root / "a.md").read_text() == SPACED
    assert stat.S_IMODE((root / "a.md").stat().st_mode) == 0o444
    assert (root / "b.md").read_text() == FIXED


def test_attack_hard_linked_note_becomes_two_files(vault, run, tmp_path):
    root = vault({"a.md": SPACED, "b.md": SPACED})
    outside = tmp_path / "elsewhere.md"
    os.link(root / "a.md", outside)
    result = run("check", "--select", "aliases", "--fix", ".", cwd=root)
    assert result.code == 1
    assert "vaultcheck: error: a.md not fixed: the file has 2 hard links" in result.err
    assert os.path.samefile(root / "a.md", outside)
    assert (root / "a.md").read_text() == SPACED
    assert (root / "b.md").read_text() == FIXED


def stale_temporary(folder: Path, name: str, age: float) -> Path:
    path = folder / name
    path.write_text(SPACED[:10])
    moment = time.time() - age
    os.utime(path, (moment, moment))
    return path


@pytest.fixture
def fresh_tidying(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each run of a test tidies as a new process would."""
    monkeypatch.setattr(writer, "_tidied", set(), raising=False)


def test_attack_sigkill_during_fix_leaves_temporary_files(vault, run, fresh_tidying):
    root = vault({"Notes/a.md": SPACED, "Notes/clean.md": "Clean.\n"})
    folder = root / "Notes"
    left = stale_temporary(folder, ".a.md.k3x_9qzt.vaultcheck-tmp", age=3600)
    other = stale_temporary(folder, ".clean.md.abcdefgh.vaultcheck-tmp", age=3600)
    result = run("check", "--select", "aliases", "--fix", ".", cwd=root)
    assert result.code == 1
    assert not left.exists() and not other.exists()
    assert (folder / "a.md").read_text() == FIXED


def test_only_old_unlocked_temporary_files_of_vaultcheck_are_removed(vault, run, fresh_tidying):
    root = vault({"a.md": "Clean.\n"})
    fresh = stale_temporary(root, ".a.md.abcdefgh.vaultcheck-tmp", age=0)
    lookalikes = [
        stale_temporary(root, name, age=3600)
        for name in (
            "a.md.abcdefgh.vaultcheck-tmp",
            ".a.md.abc.vaultcheck-tmp",
            ".a.md.abcdefgh.tmp",
        )
    ]
    linked = root / ".b.md.abcdefgh.vaultcheck-tmp"
    linked.symlink_to(root / "a.md")
    in_use = stale_temporary(root, ".c.md.abcdefgh.vaultcheck-tmp", age=3600)
    with open(in_use, "rb") as held:
        if writer.fcntl is None:
            pytest.skip("needs advisory locks")
        writer.fcntl.flock(held.fileno(), writer.fcntl.LOCK_EX)
        result = run("check", "--fix", ".", cwd=root)
    assert result.code == 0
    assert fresh.exists() and in_use.exists() and linked.is_symlink()
    assert all(path.exists() for path in lookalikes)
    assert (root / "a.md").read_text() == "Clean.\n"


def test_a_check_without_fix_removes_nothing(vault, run, fresh_tidying):
    root = vault({"a.md": SPACED})
    left = stale_temporary(root, ".a.md.abcdefgh.vaultcheck-tmp", age=3600)
    run("check", ".", cwd=root)
    run("check", "--diff", ".", cwd=root)
    assert left.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_a_note_with_some_write_bit_is_still_fixed(vault, run):
    root = vault({"a.md": SPACED})
    (root / "a.md").chmod(0o644)
    result = run("check", "--select", "aliases", "--fix", ".", cwd=root)
    assert result.code == 1
    assert (root / "a.md").read_text() == FIXED
    assert stat.S_IMODE((root / "a.md").stat().st_mode) == 0o644
