"""``check --timings FILE`` (hidden, for the benchmark): each note's CPU seconds."""

from __future__ import annotations

import pytest

from vaultcheck.engine import pool


@pytest.mark.parametrize("parallel_from", [4, 10**6])
def test_timings_list_every_note_made_afresh_slowest_first(vault, run, monkeypatch, parallel_from):
    monkeypatch.setattr(pool, "PARALLEL_FROM", parallel_from)
    monkeypatch.setattr(pool, "BATCH", 2)
    longer = "".join(f"Line {number} [[n{number} | x]] [00:00:{number % 60:02d}]\n" for number in range(300))
    root = vault({**{f"n{number}.md": "short\n" for number in range(6)}, "slow.md": longer})
    run("check", "--timings", "t.tsv", ".", cwd=root)
    lines = [line.split("\t") for line in (root / "t.tsv").read_text().splitlines()]
    assert sorted(name for _seconds, name in lines) == sorted([*(f"n{n}.md" for n in range(6)), "slow.md"])
    seconds = [float(value) for value, _name in lines]
    assert seconds == sorted(seconds, reverse=True) and all(value >= 0 for value in seconds)
    # A second run takes every note from the cache: none is timed.
    run("check", "--timings", "t.tsv", ".", cwd=root)
    assert (root / "t.tsv").read_text() == ""


def test_the_option_is_not_in_the_help(run):
    assert "--timings" not in run("check", "--help").out
