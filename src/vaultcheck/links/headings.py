"""Match a link's ``#Heading#Sub`` or ``#^blockid`` against the headings and blocks of a note.

Obsidian has two normalisations of a heading (its API exports both):

* ``stripHeadingForLink`` is what it writes when it makes a link: the characters a link
  cannot hold (``# | ^ : %% [[ ]]``, backslashes and line breaks) become spaces, runs of
  white space collapse to one, and the ends are trimmed. ``## Q: why #1?`` is written
  ``[[note#Q why 1?]]``. :func:`linkable` does this, for suggestions.
* ``stripHeading`` is what it compares when it resolves a link: every ASCII punctuation
  character except ``-``, ``_`` and ``'`` (that is ``! " # $ % & ( ) * + , . / : ; < = >
  ? @ [ \\ ] ^ ` { | } ~``) and line breaks become spaces, then white space collapses and
  the ends are trimmed, on the heading and on the link alike; the two then compare
  case-insensitively. So ``## What is the Hub?`` is found by ``[[note#What is the Hub]]``,
  ``### `hasTag()``` by ``[[note#hasTag]]``, and formatting marks are the characters
  they are made of: ``## **Bold** heading`` is found by ``[[note#Bold heading]]``, while
  ``## __Bold__ heading`` is not (``_`` is kept). :func:`heading_key` does this.

A nested subpath ``A#B`` names a heading ``B`` inside the section of a heading ``A``
(after it, before the next heading of ``A``'s level or higher), at any depth below it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_UNLINKABLE = re.compile(r"[:#|^\\\r\n]|%%|\[\[|\]\]")
_UNMATCHED = re.compile(r"[!\"#$%&()*+,./:;<=>?@\[\\\]^`{|}~\r\n]")
BLOCK_ID = re.compile(r"[A-Za-z0-9-]+")


def linkable(heading: str) -> str:
    """A heading as Obsidian writes it in a link: ``Q: why #1?`` -> ``Q why 1?``."""
    return " ".join(_UNLINKABLE.sub(" ", heading).split())


def heading_key(text: str) -> str:
    """A heading (or one ``#`` part of a link) as Obsidian compares it:
    ``What is the Hub?`` -> ``what is the hub``, ```hasTag()``` -> ``hastag``."""
    return " ".join(_UNMATCHED.sub(" ", text).split()).lower()


def heading_parts(subpath: str) -> list[str]:
    """The non-empty ``#``-separated parts of a heading subpath (``A##B`` -> ``[A, B]``)."""
    return [part for part in subpath.split("#") if part.strip()]


def block_part(subpath: str) -> str | None:
    """The block id a subpath asks for (``^abc`` -> ``abc``), None for a heading subpath."""
    stripped = subpath.lstrip("#")
    return stripped[1:] if stripped.startswith("^") else None


def find_heading(headings: Sequence[tuple[int, str]], parts: Sequence[str]) -> bool:
    """True when ``parts`` (a nested heading path) matches ``headings``, given as
    ``(level, heading_key)`` in document order: the first part at any level, each next
    part inside the section of the heading the previous part matched (further down,
    before the next heading of the same or a higher level)."""
    return _find_in(headings, 0, len(headings), [heading_key(part) for part in parts])


def _find_in(headings: Sequence[tuple[int, str]], start: int, end: int, wanted: list[str]) -> bool:
    """Whether ``wanted`` is a nested path among ``headings[start:end]``.

    A heading's section is scanned only when its heading matches; a heading lies in the
    sections of at most six enclosing headings, so the work stays linear per part.
    """
    if not wanted:
        return True
    for index in range(start, end):
        level, key = headings[index]
        if key != wanted[0]:
            continue
        section_end = index + 1
        while section_end < end and headings[section_end][0] > level:
            section_end += 1
        if _find_in(headings, index + 1, section_end, wanted[1:]):
            return True
    return False
