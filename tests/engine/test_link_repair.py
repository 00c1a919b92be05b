"""Link repairs beyond the golden cases: outlines, near names, refusals, writes."""

from __future__ import annotations

import subprocess

import pytest
from test_link_repair_golden import CASES, changed_vault, files_below

from vaultcheck.links.repair import link_form, outline_change, relative_spelling, target_span
from vaultcheck.links.suggest import NearMatcher
from vaultcheck.note.syntax import parse_syntax
from vaultcheck.vault.before import parse_changes


@pytest.mark.parametrize(("before", "after", "change"), [
    ([(1, "A"), (2, "Old")], [(1, "A"), (2, "New")], ("Old", "New")),
    ([(2, "Old")], [(3, "New")], None),  # another level: not the same place
    ([(1, "A"), (2, "Old")], [(1, "B"), (2, "New")], None),  # two changed
    ([(2, "Old"), (2, "X")], [(2, "New"), (2, "Old")], None),  # the old one is still there
    ([(2, "Old")], [(2, "Old"), (2, "New")], None),  # one added, none gone
    ([(2, "Q: why?")], [(2, "Q why")], None),  # the same heading to a link
])
def test_a_heading_is_renamed_only_when_one_replaces_one_in_place(before, after, change):
    assert outline_change(before, after) == change


def test_parse_changes_reads_renames_edits_deletions_and_additions():
    output = b"R100\0a.md\0b.md\0R087\0c.md\0d/c.md\0M\0e.md\0D\0f.md\0A\0g.md\0"
    change = parse_changes(output, "HEAD")
    assert change.renamed == {"a.md": "b.md", "c.md": "d/c.md"}
    assert change.edited == {"d/c.md", "e.md"} and change.deleted == {"f.md"} and change.added == {"g.md"}
    assert change.earlier_path("d/c.md") == "c.md" and change.earlier_path("e.md") == "e.md"


@pytest.mark.parametrize(("written", "form"), [
    ("Note", "name"), ("Note.md", "name"), ("sub/Note", "path"), ("a/sub/Note", "absolute"),
    ("./Note", "relative"), ("../a/sub/Note.md", "relative"), ("A/Sub/Note.md", "absolute"),
])
def test_link_form(written, form):
    assert link_form(written, "a/sub/Note.md") == form


def test_relative_spelling():
    assert relative_spelling("b/Note", "a/x") == "../../b/Note"
    assert relative_spelling("a/x/Note", "a") == "./x/Note"
    assert relative_spelling("Note", "") == "./Note"


@pytest.mark.parametrize(("word", "clear"), [
    ("brain fog", "brain_fog_causes"),  # a word less
    ("brain fog causs", "brain_fog_causes"),  # a letter missing
    ("Brain-Fog Causes", "brain_fog_causes"),  # case and separators only
    ("sleep", None),  # nothing one slip away
    ("cap", None),  # too short to guess
    ("brain fug causes", "brain_fog_causes"),  # a letter wrong
    ("mind fog causes", None),  # a word in place of another
])
def test_a_clear_near_name_is_the_one_name_one_slip_away(word, clear):
    assert NearMatcher(["brain_fog_causes", "sleep hygiene", "cat"]).clear(word) == clear


def test_two_names_one_slip_away_are_no_clear_guess():
    assert NearMatcher(["sleep hygiene", "sleep hygienes"]).clear("sleep hygienex") is None


def test_a_note_that_cannot_be_written_is_reported_and_keeps_its_problem(tmp_path, run, refuse_writes):
    root, _args = changed_vault(tmp_path, "note")
    before = files_below(root)
    refuse_writes("index.md")

    fixed = run("check", "--fix", "--root", root, root, cwd=root)

    assert fixed.code == 1
    assert "vaultcheck: error: index.md not fixed: the file is read-only" in fixed.err
    assert "this change renames sleep_hygiene.md to better_sleep.md" in fixed.out
    assert files_below(root) == before


def test_unsafe_fixes_without_fix_or_diff_change_nothing(tmp_path, run):
    root, _args = changed_vault(tmp_path, "unsafe-near-name")
    before = files_below(root)

    found = run("check", "--unsafe-fixes", "--no-cache", "--root", root, root, cwd=root)

    assert found.code == 1 and "fixable" not in found.out
    assert files_below(root) == before


def test_a_diff_base_change_is_repaired_too(tmp_path, run):
    root, _args = changed_vault(tmp_path, "note")
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "rename"],
        cwd=root, check=True,
    )

    fixed = run("check", "--fix", "--diff-base", "HEAD~1", "--root", root, root, cwd=root)

    assert "fixed 1 problem in 1 note" in fixed.err, fixed.out + fixed.err
    assert (root / "index.md").read_text() == "Start with [[better_sleep]] tonight.\n"


def test_a_repository_without_a_commit_has_no_change_to_repair(vault, run):
    root = vault({"index.md": "See [[nowhere]].\n"})
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)

    found = run("check", "--fix", root, cwd=root)

    assert found.code == 1, found.err
    assert 'no note named "nowhere" in the vault' in found.out


def test_the_hook_repairs_links_to_a_heading_in_notes_the_commit_does_not_touch(tmp_path, run, monkeypatch):
    root, _args = changed_vault(tmp_path, "heading")
    monkeypatch.setenv("PRE_COMMIT", "1")

    fixed = run("check", "--select", "broken-link,broken-heading,missing-attachment", "--fix",
                "sleep_hygiene.md", cwd=root)

    assert fixed.code == 1, fixed.out + fixed.err
    assert files_below(root) == files_below(CASES / "heading" / "after")
    assert "rewrote 1 note (3 problems fixed): index.md" in fixed.err


@pytest.mark.parametrize(("raw", "written", "subpath"), [
    ("[[ Old note #Intro | shown ]]", "Old note ", "Intro "),
    ("![[img.png|300]]", "img.png", ""),
    ('[text](Old%20note.md#A%20b "title")', "Old%20note.md", "A%20b"),
    ("[text](<Old note.md>)", "Old note.md", ""),
    ("[a [nested] text](Old.md)", "Old.md", ""),
])
def test_target_span_finds_the_target_as_written(raw, written, subpath):
    link = parse_syntax(raw, 0).links[0]
    span = target_span(link)
    assert span is not None
    assert raw[span.start : span.end].strip() == written.strip()
    assert raw[span.sub_start : span.sub_end].strip() == subpath.strip()
