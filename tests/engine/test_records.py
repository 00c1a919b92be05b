"""Checking through records, in worker processes, finds exactly what one process finds."""

from __future__ import annotations

import pytest

from vaultcheck.engine import pool
from vaultcheck.engine.record import record_note


def many_notes(count: int) -> dict[str, str]:
    notes = {}
    for number in range(count):
        notes[f"Videos/video_{number:03d}.md"] = (
            f"---\ntitle: Video {number}\nvideoId: abcdefghij{number % 10}\n---\n"
            f"From [[channel]] and [[video_{(number + 1) % count:03d}#Part two|next]].\n\n"
            f"## Part one\n\nSee [[video_{number + 7:03d} | later]] <a data-t=\"00:01:00\">[00:01:00]</a>"
            f" and [00:00:30].\n\n## Part two\n\n```\n[[not a link]]\n```\n"
        )
    notes["channel.md"] = "---\naliases: [The channel]\n---\nVideos of [[The channel]].\n"
    return notes


@pytest.mark.parametrize("select", [(), ("--select", "links")])
def test_workers_find_what_one_process_finds(vault, run, monkeypatch, select):
    root = vault(many_notes(40))
    monkeypatch.setattr(pool, "PARALLEL_FROM", 10**9)
    alone = run("check", "--no-cache", *select, root)
    monkeypatch.setattr(pool, "PARALLEL_FROM", 1)
    monkeypatch.setattr(pool, "BATCH", 3)
    pooled = run("check", "--no-cache", *select, root)
    assert "broken-link" in alone.out and "problems in" in alone.out
    assert (pooled.code, pooled.out) == (alone.code, alone.out)


def test_records_keep_what_links_need_and_nothing_when_no_link_rule_runs(vault):
    from vaultcheck.engine.check import rule_context
    from vaultcheck.note.note import Note
    from vaultcheck.rules.selection import select_rules
    from vaultcheck.vault.config import Config
    from vaultcheck.vault.vault import Vault

    root = vault({"a.md": "# Top\n\n[[b#Top]] ^block\n"})
    config = Config(base=root)
    note = Note.read(root / "a.md", "a.md")
    linked = record_note(note, rule_context(Vault(root, config)), select_rules(config))
    assert [link.target for link in linked.links.links] == ["b"]
    assert linked.facts.headings == ((1, "Top"),) and linked.facts.block_ids == ("block",)
    alone = record_note(note, rule_context(Vault(root, config)), select_rules(config, ["timestamps"]))
    assert alone.links is None and alone.facts is None
