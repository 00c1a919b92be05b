"""Match a link's ``#Heading#Sub`` or ``#^blockid`` against the headings and blocks of a note.

Obsidian cannot keep some characters in a link to a heading (``# | ^ : %% [[ ]]`` and
backslashes): when it writes ``[[note#...]]`` for a heading it replaces them with spaces
and collapses runs of white space. A heading ``## Q: why #1?`` is linked as
``[[note#Q why 1?]]``. Both the heading and the link are compared in that form, and
case-insensitively.

A nested subpath ``A#B`` walks the headings in order: ``A`` at any level, then ``B`` at
a deeper level further down, the way Obsidian walks them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_UNLINKABLE = re.compile(r"[:#|^\\\r\n]|%%|\[\[|\]\]")
BLOCK_ID = re.compile(r"[A-Za-z0-9-]+")


def linkable(heading: str) -> str:
    """A heading as Obsidian writes it in a link: ``Q: why #1?`` -> ``Q why 1?``."""
    return " ".join(_UNLINKABLE.sub(" ", heading).split())


def heading_key(text: str) -> str:
    """A heading (or one ``#`` part of a link) as Obsidian compares it."""
    return linkable(text).lower()


def heading_parts(subpath: str) -> list[str]:
    """The non-empty ``#``-separated parts of a heading subpath (``A##B`` -> ``[A, B]``)."""
    return [part for part in subpath.split("#") if part.strip()]


def block_part(subpath: str) -> str | None:
    """The block id a subpath asks for (``^abc`` -> ``abc``), None for a heading subpath."""
    stripped = subpath.lstrip("#")
    return stripped[1:] if stripped.startswith("^") else None


def find_heading(headings: Sequence[tuple[int, str]], parts: Sequence[str]) -> bool:
    """True when ``parts`` (a nested heading path) matches ``headings``, given as
    ``(level, heading_key)`` in document order: each part at a deeper level than the
    previous one, further down the note."""
    wanted = [heading_key(part) for part in parts]
    level = 0
    matched = 0
    for heading_level, key in headings:
        if heading_level > level and key == wanted[matched]:
            level = heading_level
            matched += 1
            if matched == len(wanted):
                return True
    return not wanted
