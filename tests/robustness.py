"""What the property tests and the fuzz script share: every rule on a note's bytes.

Not a test module: ``tests/hostile/test_robust_properties.py`` runs it with a small example
budget on every test run, ``tests/fuzz_notes.py`` with a large one by hand.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from vaultcheck.core.positions import LineIndex
from vaultcheck.engine.check import check_note, rule_context
from vaultcheck.engine.fix import fix_note
from vaultcheck.note.note import Note
from vaultcheck.rules.api import RuleContext
from vaultcheck.rules.registry import RULES
from vaultcheck.rules.selection import Selection
from vaultcheck.vault.config import Config
from vaultcheck.vault.vault import Vault

#: Markdown, YAML and Obsidian syntax to draw from, so examples reach the parsers' corners.
PIECES = [
    "---\n", "---\r\n", "\ufeff", "title: x\n", "a: &x [*x]\n", "\t- y\n", "> ", "- ", "1. ",
    "[[", "]]", "![[", "|", "#", "^id", "[", "](", ")", "`", "```\n", "*", "_", "%%", "$",
    "<a data-t=\"1\">", "</a>", "[00:01:02]", "\n", "\r\n", "\r", " ", "    ", "\\", "\x00",
]
TEXT = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=60).map("".join)
BYTES = st.binary(max_size=400) | TEXT.map(lambda text: text.encode("utf-8"))


def every_rule(root: Path) -> tuple[RuleContext, Selection]:
    context = rule_context(Vault(root=root, config=Config(base=root)))
    return context, Selection({name: rule.default_severity for name, rule in RULES.items()})


def check_bytes(raw: bytes, root: Path) -> None:
    """Write ``raw`` as a note, run every rule and the fixer on it; fail on a crash or a
    problem placed outside the file."""
    path = root / "note.md"
    path.write_bytes(raw)
    context, selection = every_rule(root)
    note = Note.read(path, "note.md")
    problems = check_note(note, context, selection)
    # An unreadable note has no text: count its lines in the bytes, every byte a character.
    lines = (note.lines if note.error is None else LineIndex(raw.decode("latin-1"))).starts
    for problem in problems:
        assert 1 <= problem.line <= len(lines), problem
        assert 1 <= problem.end_line <= len(lines), problem
        assert problem.column >= 1 and problem.end_column >= 1, problem
        assert (problem.line, problem.column) <= (problem.end_line, problem.end_column), problem
        if note.error is None:
            line_end = lines[problem.line] if problem.line < len(lines) else len(note.text) + 1
            assert lines[problem.line - 1] + problem.column - 1 <= line_end, problem
    if note.error is None:
        fixed = fix_note(note, context, selection)
        assert isinstance(fixed.text, str)
