"""How ``--fix`` writes a note: atomically, in place of the file read, never over someone
else's edit, and never half a file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from vaultcheck.engine import writer
from vaultcheck.engine.writer import StaleNote, atomic_write, write_fixed
from vaultcheck.note.note import Note

SPACED = "Feeling [[understanding_clinginess | clingy]].\n"
FIXED = "Feeling [[understanding_clinginess|clingy]].\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".vaultcheck-tmp"))


def test_write_fixed_replaces_the_file_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf" + SPACED.encode())
    note = Note.read(path, "a.md")
    write_fixed(note, FIXED)
    assert path.read_bytes() == b"\xef\xbb\xbf" + FIXED.encode()
    assert leftovers(tmp_path) == []


def test_an_edit_made_after_the_note_was_read_wins(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(SPACED)
    note = Note.read(path, "a.md")
    path.write_text(SPACED + "Written in Obsidian meanwhile.\n")
    with pytest.raises(StaleNote, match="changed on disk"):
        write_fixed(note, FIXED)
    assert path.read_text() == SPACED + "Written in Obsidian meanwhile.\n"


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failure_while_writing_leaves_the_old_file_whole(tmp_path, monkeypatch, failing):
    path = tmp_path / "a.md"
    path.write_text(SPACED)

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, failing, fail)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(path, FIXED.encode())
    assert path.read_text() == SPACED
    assert leftovers(tmp_path) == []


def test_the_new_file_is_written_next_to_the_old_one(tmp_path, monkeypatch):
    path = tmp_path / "notes" / "a.md"
    path.parent.mkdir()
    path.write_text(SPACED)
    replaced = []
    real_replace = os.replace

    def spy(source: str, target: Path) -> None:
        replaced.append(Path(source).parent)
        real_replace(source, target)

    monkeypatch.setattr(writer.os, "replace", spy)
    atomic_write(path, FIXED.encode())
    assert replaced == [path.parent]


def test_a_read_only_note_is_not_fixed_and_the_run_fails(vault, run, monkeypatch):
    root = vault({"a.md": SPACED, "b.md": SPACED})
    (root / "a.md").chmod(0o444)
    # root may write any file; the refusal is about the file's permission bits.
    real_access = os.access
    monkeypatch.setattr(
        writer.os, "access",
        lambda path, mode: real_access(path, mode) and Path(path).name != "a.md",
    )
    result = run("check", "--select", "aliases", "--fix", root, cwd=root)
    assert result.code == 1
    assert "vaultcheck: error: a.md not fixed: the file is read-only\n" in result.err
    assert "fixed 1 problem in 1 note\n" in result.err
    assert (root / "a.md").read_text() == SPACED
    assert stat.S_IMODE((root / "a.md").stat().st_mode) == 0o444
    assert "a.md:1:9: alias-format" in result.out
    assert "b.md" not in result.out


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlinked_note_is_fixed_in_its_target_and_stays_a_link(vault, run):
    root = vault({"real/a.md": SPACED})
    (root / "link.md").symlink_to(root / "real" / "a.md")
    run("check", "--select", "aliases", "--fix", root / "link.md")
    assert (root / "link.md").is_symlink()
    assert (root / "real" / "a.md").read_text() == FIXED
