"""Near names for "did you mean ...?": files of the vault, headings, block ids.

A name that differs only in case or in how words are separated (``My Note`` for
``my_note``) is the answer before any fuzzy matching; otherwise :mod:`difflib` picks the
closest name above a similarity cutoff, so unrelated names are never suggested.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from vaultcheck.links.files import FileIndex, VaultFile, note_name, spelled

_SEPARATORS = re.compile(r"[\s_\-]+")
CUTOFF = 0.75


def loose_key(name: str) -> str:
    """``My  Note-name`` and ``my_note_name`` compare equal."""
    return _SEPARATORS.sub(" ", name).strip().lower()


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


class NearMatcher:
    """Finds the choice nearest to a word, the choices indexed once.

    difflib compares a word with every choice; over the thousands of names of a large
    vault that is too slow, so beyond :attr:`SCAN` choices only the :attr:`SHORTLIST`
    sharing the most trigrams with the word are compared.
    """

    SCAN = 200
    SHORTLIST = 40

    def __init__(self, choices: Iterable[str]) -> None:
        self._loose: dict[str, str] = {}
        self._lower: dict[str, str] = {}
        for choice in choices:
            self._loose.setdefault(loose_key(choice), choice)
            self._lower.setdefault(choice.lower(), choice)
        self._grams: dict[str, list[str]] | None = None
        self.near = lru_cache(maxsize=None)(self._near)

    def _shortlist(self, word: str) -> list[str]:
        if len(self._lower) <= self.SCAN:
            return list(self._lower)
        if self._grams is None:
            self._grams = defaultdict(list)
            for lower in self._lower:
                for gram in _trigrams(lower):
                    self._grams[gram].append(lower)
        shared: Counter[str] = Counter()
        for gram in _trigrams(word):
            shared.update(self._grams.get(gram, ()))
        return [lower for lower, _count in shared.most_common(self.SHORTLIST)]

    def _near(self, word: str) -> str | None:
        same = self._loose.get(loose_key(word))
        if same is not None:
            return same
        lower = word.lower()
        found = difflib.get_close_matches(lower, self._shortlist(lower), n=1, cutoff=CUTOFF)
        return self._lower[found[0]] if found else None


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

    def near(self, name: str, note: bool) -> VaultFile | None:
        """The file whose name is nearest to ``name`` (a note's name without ``.md``, or a
        file name with its extension), among notes when ``note`` is true, else other files."""
        found = self._matchers[note].near(name)
        if found is None:
            return None
        files = [file for file in self._by_name[found.lower()] if file.is_note == note]
        return min(files, key=lambda file: (len(file.path), file.path))

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
