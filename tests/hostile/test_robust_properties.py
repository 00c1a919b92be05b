"""Arbitrary text and bytes through the note parser, every rule and the fixer: no
exception escapes and every problem lies inside the file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from robustness import BYTES, TEXT, check_bytes

from vaultcheck.note.note import Note

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(raw=BYTES)
def test_any_bytes_are_checked_without_crashing(raw):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / ".obsidian").mkdir()
        check_bytes(raw, root)


@SETTINGS
@given(text=TEXT)
def test_any_text_parses_with_offsets_inside_it(text):
    note = Note.from_bytes(Path("n.md"), "n.md", text.encode("utf-8"))
    if note.error is not None:
        return
    syntax = note.syntax
    for item in (*syntax.links, *syntax.headings, *syntax.block_ids, *syntax.timestamps):
        assert 0 <= item.start <= item.end <= len(note.text)
    for place in syntax.simplified:
        assert 0 <= place.start <= len(note.text)
