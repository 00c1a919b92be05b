"""Split a note into frontmatter and body, and load the frontmatter with positions.

Obsidian reads frontmatter only when the very first line of the file is ``---`` and a
later line is ``---`` again. The YAML between the fences goes through
:mod:`vaultcheck.note.yaml_loader`, which keeps positions. All lines and columns here are
1-based lines of the whole file.

python-frontmatter is not used: its ``parse`` loads the YAML with PyYAML's own loader,
which turns ``created: 2024-03-01`` into a date (Obsidian keeps the string), keeps no
positions, lets a duplicate key win silently and has no limit on alias expansion; and
its fence (three or more dashes, then any blank) takes ``----`` for a fence, which
Obsidian does not. What vaultcheck used of it was one regular expression, below.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from vaultcheck.core.positions import LineIndex
from vaultcheck.note.yaml_loader import KeyPath, YamlError, load_yaml

_FENCE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
"""Obsidian's frontmatter fence: exactly ``---`` (trailing blanks allowed) on its own line."""
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


@dataclass(frozen=True)
class SyntaxIssue:
    """Why the frontmatter cannot be used as it is, and where (1-based, whole file)."""

    message: str
    line: int
    column: int


@dataclass(frozen=True)
class Frontmatter:
    """The frontmatter of a note.

    ``data`` is the mapping to validate: ``{}`` for a note without frontmatter (so a
    schema's ``required`` still applies) and ``None`` when the frontmatter is broken
    (its :attr:`issues` say why). ``positions`` maps a key path such as
    ``("tags", 0)`` to the 1-based (line, column) of that key or item.
    """

    present: bool
    body_start: int
    data: dict[str, Any] | None
    issues: tuple[SyntaxIssue, ...] = ()
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    yaml_start: int = 0
    yaml_end: int = 0

    def position_of(self, path: KeyPath) -> tuple[int, int]:
        """Where the value at ``path`` is written: the nearest recorded key or item on the path."""
        for length in range(len(path), 0, -1):
            found = self.positions.get(path[:length])
            if found:
                return found
        return (1, 1)


def parse_frontmatter(text: str) -> Frontmatter:
    """Find and load the frontmatter at the start of ``text`` (a note without its BOM)."""
    if not _FENCE.match(text):
        return Frontmatter(present=False, body_start=0, data={})
    fences = _FENCE.finditer(text)
    opening = next(fences)
    closing = next(fences, None)
    if closing is None:
        return Frontmatter(
            present=True,
            body_start=0,
            data=None,
            issues=(SyntaxIssue("frontmatter opened with --- on line 1 is never closed", 1, 1),),
        )
    yaml_start = opening.end() + 1
    yaml_end = max(closing.start(), yaml_start)
    body_start = closing.end() + 1 if closing.end() < len(text) else closing.end()
    lines = LineIndex(text)
    yaml_text = text[yaml_start:yaml_end]
    first_line = lines.position(yaml_start)[0]

    def at(line: int, column: int) -> tuple[int, int]:
        return first_line + line, column + 1

    framed = functools.partial(
        Frontmatter, present=True, body_start=body_start, yaml_start=yaml_start, yaml_end=yaml_end
    )
    tabs = [
        SyntaxIssue("tab character in indentation (YAML indents with spaces only)",
                    *at(yaml_text.count("\n", 0, match.start()), match.end() - match.start() - 1))
        for match in _TAB_INDENT.finditer(yaml_text)
    ]
    if tabs:
        return framed(data=None, issues=tuple(tabs))
    try:
        loaded = load_yaml(yaml_text)
    except YamlError as error:
        issue = SyntaxIssue(error.message, *at(error.line, error.column))
        return framed(data=None, issues=(issue,))
    positions = {path: at(line, column) for path, (line, column) in loaded.positions.items()}
    issues = tuple(
        SyntaxIssue(
            f"duplicate key '{duplicate.key}' (first defined on line"
            f" {first_line + duplicate.first_line})",
            *at(duplicate.line, duplicate.column),
        )
        for duplicate in loaded.duplicates
    )
    value = {} if loaded.value is None else loaded.value
    if not isinstance(value, dict):
        kind = "a list" if isinstance(value, list) else f"the single value {value!r}"
        issue = SyntaxIssue(f"frontmatter must be a mapping of properties, not {kind}",
                            first_line, 1)
        return framed(data=None, issues=(issue,))
    return framed(data=value, issues=issues, positions=positions)
