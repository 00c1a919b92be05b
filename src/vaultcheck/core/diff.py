"""Unified diffs of a fixed note, with the file name quoted as git quotes it."""

from __future__ import annotations

import difflib
import re

from vaultcheck.core.printable import quote_path

_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")


def _header_name(prefix: str, name: str) -> str:
    """A name for a ``---``/``+++`` line as git writes it: quoted when it holds control
    characters, quotes or backslashes (so no name can add a line to the patch), and
    followed by a tab when it holds a space (so ``patch`` reads it whole)."""
    quoted = quote_path(prefix + name)
    return quoted + "\t" if " " in quoted else quoted


def unified_diff(before: str, after: str, name: str) -> str:
    """A unified diff from ``before`` to ``after`` that ``patch -p1`` and ``git apply`` take.

    Lines end at ``\\n`` only, so a ``\\r\\n`` file shows its ``\\r`` and a lone ``\\r``
    stays inside its line, as git shows them; a last line without a line break gets
    the ``\\ No newline at end of file`` marker.
    """
    lines = difflib.unified_diff(
        _LINE.findall(before), _LINE.findall(after), _header_name("a/", name), _header_name("b/", name)
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        for line in lines
    )


