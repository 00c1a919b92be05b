"""A note changed or deleted by someone else during the run: reported, never overwritten."""

from __future__ import annotations

from vaultcheck.engine import fix
from vaultcheck.vault.vault import Vault

SPACED = "See [[Ada Lovelace | Ada]].\n"


def test_note_changed_before_fix_is_written_is_left_alone(vault, run, monkeypatch):
    root = vault({"a.md": SPACED, "Ada Lovelace.md": "x\n"})
    real_fix_note = fix.fix_note

    def fix_while_someone_edits(note, vault_, selection):  # type: ignore[no-untyped-def]
        result = real_fix_note(note, vault_, selection)
        note.path.write_text("their edit\n")
        return result

    monkeypatch.setattr(fix, "fix_note", fix_while_someone_edits)
    result = run("check", "--select", "aliases", "--fix", root / "a.md", cwd=root)
    assert result.code == 1
    assert "a.md not fixed: changed on disk while it was being checked" in result.err
    assert (root / "a.md").read_text() == "their edit\n"


def test_note_deleted_before_fix_is_written_stays_deleted(vault, run, monkeypatch):
    root = vault({"a.md": SPACED, "Ada Lovelace.md": "x\n"})
    real_fix_note = fix.fix_note

    def fix_while_someone_deletes(note, vault_, selection):  # type: ignore[no-untyped-def]
        result = real_fix_note(note, vault_, selection)
        note.path.unlink()
        return result

    monkeypatch.setattr(fix, "fix_note", fix_while_someone_deletes)
    result = run("check", "--select", "aliases", "--fix", root / "a.md", cwd=root)
    assert result.code == 1
    assert "a.md not fixed: cannot be read again" in result.err
    assert not (root / "a.md").exists()


def test_note_deleted_after_listing_is_reported(vault, run, monkeypatch):
    root = vault({"a.md": "x\n", "b.md": "y\n"})
    real_notes = Vault.notes

    def list_then_delete(self, paths=()):  # type: ignore[no-untyped-def]
        found = real_notes(self, paths)
        (root / "a.md").unlink()
        return found

    monkeypatch.setattr(Vault, "notes", list_then_delete)
    result = run("check", root, cwd=root)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "a.md:1:1: unreadable-file cannot be read: No such file or directory" in result.out
