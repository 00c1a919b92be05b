""""Did you mean": RapidFuzz narrows the candidates, difflib still picks, answers unchanged.

The reference below is the matcher as it was before RapidFuzz: difflib over every
candidate (all names in a small vault, those one slip away in a large one).
"""

from __future__ import annotations

import difflib
import shutil
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultcheck.links import suggest
from vaultcheck.links.suggest import CUTOFF, NearMatcher, loose_key


def reference_near(matcher: NearMatcher, word: str) -> str | None:
    key = loose_key(word)
    loose = matcher._loose
    if key in loose:
        return loose[key]
    if len(loose) <= NearMatcher.SCAN:
        candidates = list(loose)
    else:
        mine = set(suggest._slips(key))
        candidates = [other for other in loose if not mine.isdisjoint(suggest._slips(other))]
    found = difflib.get_close_matches(key, candidates, n=1, cutoff=CUTOFF)
    return loose[found[0]] if found else None


# Names from a few letters, so that near names (and ties) are common.
NAMES = st.text(alphabet="abcde _-", min_size=1, max_size=14)


@settings(max_examples=300, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=40), st.lists(NAMES, min_size=1, max_size=20))
def test_answers_are_difflibs_in_a_small_vault(choices, words):
    matcher = NearMatcher(choices)
    for word in words:
        assert matcher.near(word) == reference_near(matcher, word)


@settings(max_examples=200, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=40), st.lists(NAMES, min_size=1, max_size=20))
def test_answers_are_difflibs_when_rapidfuzz_narrows_every_list(choices, words):
    with mock.patch.object(suggest, "FEW", 0):
        matcher = NearMatcher(choices)
        for word in words:
            assert matcher.near(word) == reference_near(matcher, word)


@settings(max_examples=40, deadline=None)
@given(st.lists(NAMES, min_size=NearMatcher.SCAN + 1, max_size=NearMatcher.SCAN + 60),
       st.lists(NAMES, min_size=1, max_size=20))
def test_answers_are_difflibs_in_a_large_vault(choices, words):
    matcher = NearMatcher(choices)
    for word in words:
        assert matcher.near(word) == reference_near(matcher, word)


def test_the_existing_cases_keep_their_answers():
    notes = ["Plan", "understanding_anxiety", "Taking Responsibility vs. Blame", "diagram.png",
             "My Note", "Daily 2024-01-02", "Ada Lovelace"]
    matcher = NearMatcher(notes)
    assert matcher.near("Plna") == "Plan"
    assert matcher.near("understanding_anxeity") == "understanding_anxiety"
    assert matcher.near("taking responsibility vs blame") == "Taking Responsibility vs. Blame"
    assert matcher.near("my-note") == "My Note"
    assert matcher.near("Ada Lovelace2") == "Ada Lovelace"
    assert matcher.near("Grace Hopper") is None


def test_a_long_name_with_a_popular_letter_keeps_difflibs_answer():
    # From 200 characters on, difflib ignores popular characters (autojunk): its score
    # drops, RapidFuzz's does not, so narrowing still keeps every name difflib accepts.
    long = "a" * 150 + "b" * 60
    with mock.patch.object(suggest, "FEW", 0):
        matcher = NearMatcher([long, long[:-3] + "xyz", "c" * 210])
        for word in (long[:-1], long + "q", "a" * 205):
            assert matcher.near(word) == reference_near(matcher, word)


@pytest.mark.slow
def test_suggestions_on_the_real_sample_are_unchanged(sample_vault, tmp_path, run, monkeypatch):
    root = tmp_path / "vault"
    shutil.copytree(sample_vault, root)
    (root / ".obsidian").mkdir(exist_ok=True)
    args = ("check", "--no-cache", "--select", "links", "--format", "json", ".")
    now = run(*args, cwd=root)
    monkeypatch.setattr(NearMatcher, "_near", reference_near)
    before = run(*args, cwd=root)
    assert "did you mean" in now.out
    assert now.out == before.out
