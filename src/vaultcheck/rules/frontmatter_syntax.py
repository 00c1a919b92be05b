"""frontmatter-syntax: frontmatter that Obsidian cannot read as properties.

Covers YAML that does not parse, frontmatter that is not a mapping, an opening
``---`` that is never closed, tabs in indentation, duplicate keys, and YAML built to
explode (alias bombs, thousands of nested brackets), which is refused before it is
expanded. The problem points at the line inside the frontmatter where YAML fails.

Passes::

    ---
    title: Fractal dimension
    tags: [math, geometry]
    ---

Fails::

    ---
    title: Fractal dimension
    title: Fractal dimension again
    ---

    duplicate key 'title' (first defined on line 2)

Fix: correct the YAML; each key once, indented with spaces, closed by ``---``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Problem
from vaultcheck.rules.api import RuleContext, problem_on_line

if TYPE_CHECKING:
    from vaultcheck.note.note import Note

NAME = "frontmatter-syntax"
FAMILY = "frontmatter"
SUMMARY = "Frontmatter that is not a valid YAML mapping (unclosed, tabs, duplicate keys, bombs)."


def check(note: Note, ctx: RuleContext) -> Iterator[Problem]:
    for issue in note.frontmatter.issues:
        yield problem_on_line(note, NAME, issue.line, issue.column, issue.message)
