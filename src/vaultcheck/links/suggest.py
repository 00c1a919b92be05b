"""Near names for "did you mean ...?": files of the vault, headings, block ids.

A name that differs only in case or in how words are separated (``My Note`` for
``my_note``) is the answer before any fuzzy matching. Otherwise the candidates are the
names one slip away: one character typed wrong, missing, extra or swapped, or one
word missing or extra; :mod:`difflib` picks the closest of those above a similarity
cutoff, so unrelated names are never suggested. Looking candidates up in an index
built once keeps this cheap when a large vault has tens of thousands of broken links.

RapidFuzz narrows the candidates first, in C: its similarity (``2 * LCS / total
length``) is never below difflib's, whose matching blocks are one common subsequence,
so every name difflib would accept passes, and difflib's answer stays the same.
"""

from __future__ import annotations

import difflib
import re
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cached_property

from vaultcheck.vault.files import FileIndex, VaultFile, note_name, spelled

_SEPARATORS = re.compile(r"[\s_\-]+")
CUTOFF = 0.75
#: Names shorter than this are too short for a one-slip guess to be clear.
CLEAR_FROM = 6


def loose_key(name: str) -> str:
    """``My  Note-name`` and ``my_note_name`` compare equal."""
    return _SEPARATORS.sub(" ", name).strip().lower()


def _slips(key: str) -> Iterator[str]:
    """Keys that ``key`` shares with any name one slip away from it.

    Two strings one edit apart (or with two neighbours swapped) have a one-character
    deletion in common; two word lists one word apart have a one-word deletion in
    common (the whole word list counts as one, for a word missing on one side only).
    Word keys start with a tab, which no loose key holds, so the two kinds never meet.
    """
    yield key
    for index in range(len(key)):
        yield key[:index] + key[index + 1 :]
    words = key.split(" ")
    yield "\t" + key
    if len(words) > 2:
        for index in range(len(words)):
            yield "\t" + " ".join(words[:index] + words[index + 1 :])


class NearMatcher:
    """Finds the choice nearest to a word.

    Up to :attr:`SCAN` choices (the headings of a note) are all compared; beyond, only
    those one slip away, looked up in an index built on first use.

    The index is one sorted array of 64-bit numbers, one per slip of each choice: the
    slip's hash in the high bits, the choice's number in the low ones. A vault of 21,000
    notes has a million slips; as strings in a dict they took 220 MB, as numbers 8 MB.
    A hash shared by chance only adds a candidate, which is checked before it counts.
    """

    SCAN = 200

    def __init__(self, choices: Iterable[str]) -> None:
        self._choices = list(choices)
        self._slips: array[int] | None = None
        #: Answers so far, by word: kept across runs by the cache while the names stay.
        self.answers: dict[str, str | None] = {}

    @cached_property
    def _loose(self) -> dict[str, str]:
        """The choices by loose key, made on the first question no answer kept answers."""
        loose: dict[str, str] = {}
        for choice in self._choices:
            loose.setdefault(loose_key(choice), choice)
        return loose

    @cached_property
    def _keys(self) -> list[str]:
        return list(self._loose)

    @cached_property
    def _bits(self) -> int:
        return max(len(self._keys), 1).bit_length()

    def near(self, word: str) -> str | None:
        """The choice nearest to ``word``, or None when none is near enough."""
        if word not in self.answers:
            self.answers[word] = self._near(word)
        return self.answers[word]

    def _packed(self, slip: str, number: int) -> int:
        return (hash(slip) >> self._bits << self._bits) | number

    def _index(self) -> array[int]:
        if self._slips is None:
            packed = [
                self._packed(slip, number)
                for number, key in enumerate(self._keys)
                for slip in set(_slips(key))
            ]
            packed.sort()
            self._slips = array("q", packed)
        return self._slips

    def _one_slip_away(self, key: str) -> list[str]:
        """The choices that share a slip with ``key``."""
        index = self._index()
        mask = (1 << self._bits) - 1
        mine = set(_slips(key))
        found: set[str] = set()
        for slip in mine:
            low = self._packed(slip, 0)
            at = bisect_left(index, low)
            while at < len(index) and index[at] & ~mask == low:
                found.add(self._keys[index[at] & mask])
                at += 1
        return sorted(choice for choice in found if not mine.isdisjoint(_slips(choice)))

    def clear(self, word: str) -> str | None:
        """The one choice one slip away from ``word`` (or equal to it but for case and
        word separators), when there is exactly one and the slip is a character typed
        wrong, missing, extra or swapped, or one whole word more or less (one word in
        place of another is no clear slip: ``divergence in fields`` is not ``curl in
        fields``): a guess clear enough to rewrite a link with (``--unsafe-fixes``).
        None when there is none or several."""
        key = loose_key(word)
        same = self._loose.get(key)
        if same is not None:
            return same
        if len(key) < CLEAR_FROM:
            return None
        found = self._one_slip_away(key)
        if len(found) != 1:
            return None
        choice = found[0]
        mine, theirs = set(_slips(key)), set(_slips(choice))
        letters = any(not slip.startswith("\t") for slip in mine & theirs)
        words = "\t" + key in theirs or "\t" + choice in mine
        return self._loose[choice] if letters or words else None

    def _near(self, word: str) -> str | None:
        key = loose_key(word)
        same = self._loose.get(key)
        if same is not None:
            return same
        if len(self._loose) <= self.SCAN:
            candidates = list(self._loose)
        else:
            candidates = self._one_slip_away(key)
        found = difflib.get_close_matches(key, _within_reach(key, candidates), n=1, cutoff=CUTOFF)
        return self._loose[found[0]] if found else None


#: Up to this many candidates, difflib alone is quicker than importing RapidFuzz (a hook
#: run on one note with one broken link).
FEW = 32


def _within_reach(key: str, candidates: list[str]) -> list[str]:
    """The candidates whose RapidFuzz similarity to ``key`` reaches the cutoff: a superset of
    those difflib accepts (a hair below the cutoff, for rounding), found without difflib."""
    if len(candidates) <= FEW:
        return candidates
    from rapidfuzz import fuzz, process

    cutoff = CUTOFF * 100 - 1e-6
    return [
        choice
        for choice, _score, _index in process.extract(
            key, candidates, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=None
        )
    ]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean NAME?)`` for the choice nearest to ``word``, else ``""``: what
    the command line says of a mistyped rule or schema name."""
    near = NearMatcher(choices).near(word)
    return f" (did you mean {near}?)" if near is not None else ""


class NameSuggester:
    """Near file names of one vault: notes for note links, other files for attachments."""

    def __init__(self, index: FileIndex) -> None:
        self._by_name: dict[str, list[VaultFile]] = defaultdict(list)
        for file in index.files:
            self._by_name[note_name(file.path).lower()].append(file)
        self._matchers = {
            kind: NearMatcher(
                note_name(file.path) for file in index.files if file.is_note == kind
            )
            for kind in (True, False)
        }

    def answers(self) -> dict[bool, dict[str, str | None]]:
        """What the matchers answered so far (for notes, for other files)."""
        return {kind: matcher.answers for kind, matcher in self._matchers.items()}

    def remember(self, answers: dict[bool, dict[str, str | None]]) -> None:
        """Answers of an earlier run over the same file names."""
        for kind, known in answers.items():
            self._matchers[kind].answers.update(known)

    def near(self, name: str, note: bool) -> VaultFile | None:
        """The file whose name is nearest to ``name`` (a note's name without ``.md``, or a
        file name with its extension), among notes when ``note`` is true, else other files."""
        found = self._matchers[note].near(name)
        if found is None:
            return None
        files = [file for file in self._by_name[found.lower()] if file.is_note == note]
        return min(files, key=lambda file: (len(file.path), file.path))

    def clear_near(self, name: str, note: bool) -> VaultFile | None:
        """The one file that :meth:`NearMatcher.clear` finds for ``name``, among notes
        when ``note`` is true, else other files; None unless exactly one file has that name."""
        found = self._matchers[note].clear(name)
        if found is None:
            return None
        files = [file for file in self._by_name[found.lower()] if file.is_note == note]
        return files[0] if len(files) == 1 else None

    def link_text(self, file: VaultFile) -> str:
        """How to link ``file`` unambiguously: its name when no other file shares it, else
        the shortest tail of its path that no other file's path ends with."""
        parts = spelled(file.path).split("/")
        rivals = [
            spelled(other.path).lower()
            for other in self._by_name[note_name(file.path).lower()]
            if other is not file
        ]
        for length in range(1, len(parts)):
            tail = "/".join(parts[-length:]).lower()
            if not any(rival == tail or rival.endswith("/" + tail) for rival in rivals):
                return "/".join(parts[-length:])
        return "/".join(parts)
