"""The cache of note records: same answers as a fresh run, never stale, never in the way."""

from __future__ import annotations

import os

import pytest

from vaultcheck.engine import make
from vaultcheck.engine.store import CACHE_FOLDER

NOTES = {
    "Videos/letting_go.md": "---\ntitle: Letting go\n---\nSee [[anxiety | fear]] [00:03:42] then [00:01:00].\n",
    "anxiety.md": "# Anxiety\n\nLinked from [[letting_go]].\n",
}


@pytest.fixture
def records_made(monkeypatch):
    """Counts the notes read and checked afresh (not taken from the cache)."""
    made = []
    original = make.record_note

    def counting(note, vault, selection):
        made.append(note.rel)
        return original(note, vault, selection)

    monkeypatch.setattr(make, "record_note", counting)
    return made


def test_second_run_reports_the_same_from_the_cache(vault, run, records_made):
    root = vault(NOTES)
    first = run("check", root)
    second = run("check", root)
    assert (second.code, second.out) == (first.code, first.out)
    assert sorted(records_made) == ["Videos/letting_go.md", "anxiety.md"]


def test_cache_folder_tells_git_to_ignore_it(vault, run):
    root = vault(NOTES)
    run("check", root)
    assert (root / CACHE_FOLDER / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_an_edited_note_is_checked_again(vault, run, records_made):
    root = vault(NOTES)
    run("check", root)
    (root / "anxiety.md").write_text("# Anxiety\n\nLinked from [[letting_goo]].\n", encoding="utf-8")
    result = run("check", root)
    assert "anxiety.md:3:13: broken-link" in result.out
    assert records_made.count("anxiety.md") == 2
    assert records_made.count("Videos/letting_go.md") == 1


def test_a_touched_but_unchanged_note_is_taken_from_the_cache(vault, run, records_made):
    root = vault(NOTES)
    run("check", root)
    note = root / "anxiety.md"
    os.utime(note, ns=(note.stat().st_atime_ns, note.stat().st_mtime_ns + 10**9))
    run("check", root)
    assert records_made.count("anxiety.md") == 1


def test_links_are_judged_again_when_their_target_goes(vault, run):
    root = vault(NOTES)
    assert "broken-link" not in run("check", root).out
    (root / "anxiety.md").unlink()
    assert 'no note named "anxiety"' in run("check", root).out


def test_changed_configuration_is_not_answered_from_old_records(vault, run):
    root = vault(NOTES)
    assert "timestamp-order" in run("check", root).out
    (root / ".vaultcheck.toml").write_text('ignore = ["timestamps"]\n', encoding="utf-8")
    assert "timestamp-order" not in run("check", root).out


def test_changed_schema_is_not_answered_from_old_records(vault, run):
    root = vault({**NOTES, ".vaultcheck.toml": 'schema = "note.json"\n', "note.json": "{}"})
    assert "frontmatter-schema" not in run("check", root).out
    (root / "note.json").write_text('{"required": ["videoId"]}', encoding="utf-8")
    assert "frontmatter-schema" in run("check", root).out


def test_no_cache_neither_reads_nor_writes(vault, run, records_made):
    root = vault(NOTES)
    run("check", "--no-cache", root)
    run("check", "--no-cache", root)
    assert not (root / CACHE_FOLDER).exists()
    assert len(records_made) == 4


def store_files(root):
    return sorted((root / CACHE_FOLDER).rglob("store-*.sqlite"))


def test_a_damaged_store_is_made_anew(vault, run, records_made):
    root = vault(NOTES)
    first = run("check", root)
    for file in store_files(root):
        file.write_bytes(b"SQLite format 3\0" + b"\xff" * 5000)
    assert run("check", root).out == first.out
    assert run("check", root).out == first.out
    assert len(records_made) == 4  # made again once, then taken from the new store


def test_a_damaged_row_is_made_again(vault, run):
    import sqlite3

    root = vault(NOTES)
    first = run("check", root)
    for file in store_files(root):
        with sqlite3.connect(file) as database:
            database.execute("UPDATE results SET lines = 7, rules = 'not json'")
            database.execute("UPDATE records SET record = '[1, 2]'")
    assert run("check", root).out == first.out


def test_a_store_of_another_layout_is_made_anew_and_runs_nothing_of_it(vault, run, tmp_path):
    import sqlite3

    root = vault(NOTES)
    first = run("check", root)
    ran = tmp_path / "ran"
    for file in store_files(root):
        with sqlite3.connect(file) as database:
            database.execute("CREATE TABLE planted (x TEXT)")
            database.execute(
                "CREATE TRIGGER planted_trigger AFTER INSERT ON notes BEGIN"
                " INSERT INTO planted VALUES ('ran'); END"
            )
            database.execute(f"ATTACH DATABASE '{ran}' AS outside")
    (root / "anxiety.md").write_text("# Anxiety\n\nLinked from [[letting_go]] again.\n", encoding="utf-8")
    assert run("check", root).out == first.out
    for file in store_files(root):
        with sqlite3.connect(file) as database:
            names = {name for (name,) in database.execute("SELECT name FROM sqlite_master")}
        assert "planted" not in names and "planted_trigger" not in names


def test_fix_does_not_use_the_cache(vault, run):
    root = vault(NOTES)
    run("check", root)
    run("check", "--select", "aliases", "--fix", root)
    assert "[[anxiety|fear]]" in (root / "Videos/letting_go.md").read_text(encoding="utf-8")
    assert "alias-format" not in run("check", root).out


@pytest.fixture
def target_reads(monkeypatch):
    """The notes read as link targets (for their headings and aliases)."""
    from vaultcheck.links import targets as facts

    read = []
    original = facts._read_in_vault

    def counting(path):
        read.append(path.name)
        return original(path)

    monkeypatch.setattr(facts, "_read_in_vault", counting)
    return read


def test_a_run_on_a_few_notes_takes_their_targets_facts_from_the_cache(vault, run, target_reads):
    root = vault({**NOTES, "other.md": "See [[anxiety#Anxiety]] and [[anxiety#Calm]].\n"})
    run("check", root)
    result = run("check", root / "other.md")
    assert 'no heading "Calm" in "anxiety"' in result.out
    assert target_reads == []


def test_a_target_changed_since_is_read_again(vault, run, target_reads):
    root = vault({**NOTES, "other.md": "See [[anxiety#Anxiety]] and [[anxiety#Calm]].\n"})
    run("check", root)
    (root / "anxiety.md").write_text("# Anxiety\n\n## Calm\n", encoding="utf-8")
    result = run("check", root / "other.md")
    assert "broken-heading" not in result.out
    assert target_reads == ["anxiety.md"]


def test_a_pickle_in_the_store_is_never_loaded(vault, run, tmp_path):
    import pickle

    class Payload:
        def __reduce__(self):
            return (open, (str(tmp_path / "ran"), "w"))

    root = vault(NOTES)
    first = run("check", root)
    for file in store_files(root):
        file.write_bytes(pickle.dumps(Payload()))
    assert run("check", root).out == first.out
    assert not (tmp_path / "ran").exists()


def test_stored_problems_that_no_longer_decode_end_the_run_in_one_line(vault, run):
    import sqlite3

    from vaultcheck.engine.found import pack

    root = vault(NOTES)
    run("check", root)
    for file in store_files(root):
        with sqlite3.connect(file) as database:
            database.execute("UPDATE results SET packed = ?", (pack("[[1, 2]]"),))
    result = run("check", "--format", "json", root)
    assert result.code == 2
    assert result.err.startswith("vaultcheck: error: the problems the cache keeps for ")
    assert result.err.count("\n") == 1
    assert run("check", root).code == 1  # the text report reads the lines alone
