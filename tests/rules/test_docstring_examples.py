"""Every rule's documented examples, run: what ``vaultcheck explain`` shows is what it does.

A rule's docstring has one ``Passes::`` and one ``Fails::`` literal block (the text in
parentheses before ``::`` says what else the vault holds: the rule's vault in
tests/rules/<rule>/vault/ holds it). The ``Passes`` block, written into that vault as a
note, gives no problem of the rule. The ``Fails`` block is the note, then, after a blank
line, the messages the rule gives for it (a message may wrap over lines); a block may
hold more than one note with its messages. Each note gives at least one problem of the
rule, and every message written is one the rule gives.

A block whose every line names a ``.md`` file (``name-collision``) stands for those
files, not for the text of a note; ``\\xNN`` in a block is the byte NN (a note that is
not UTF-8).
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Run
from rulevault import check_arguments, copy_vault

from vaultcheck.rules.registry import RULES

NOTE = "docstring_example.md"
_BLOCK = re.compile(
    r"^(Passes|Fails)\b(?:[^\n]|\n(?!\s*\n))*?::\n((?:[ \t]*\n|    [^\n]*\n)+)", re.MULTILINE
)
_BYTE = re.compile(rb"\\x([0-9a-fA-F]{2})")


def examples(rule: str) -> dict[str, list[str]]:
    """The ``Passes`` and ``Fails`` blocks of a rule's docstring, dedented."""
    found: dict[str, list[str]] = {"Passes": [], "Fails": []}
    for match in _BLOCK.finditer(RULES[rule].doc + "\n"):
        found[match.group(1)].append(textwrap.dedent(match.group(2)).strip("\n") + "\n")
    return found


def paragraphs(block: str) -> list[str]:
    return [part.strip("\n") + "\n" for part in re.split(r"\n[ \t]*\n", block) if part.strip()]


def names_files(parts: list[str]) -> bool:
    return all(line.endswith(".md") for part in parts for line in part.splitlines())


def spaced(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Example:
    """Runs a rule on its vault with an example added; ``problems`` are the rule's, on
    the example's files only."""

    rule: str
    tmp_path: Path
    run: Callable[..., Run]
    runs: int = 0

    def problems(self, parts: list[str]) -> list[dict[str, object]]:
        self.runs += 1
        root = copy_vault(self.rule, self.tmp_path / str(self.runs))
        if names_files(parts):
            written = [line for part in parts for line in part.splitlines()]
            for name in written:
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                (root / name).write_text(f"# {Path(name).stem}\n", encoding="utf-8")
        else:
            written = [NOTE]
            text = "\n".join(parts).encode("utf-8")
            (root / NOTE).write_bytes(_BYTE.sub(lambda match: bytes([int(match[1], 16)]), text))
        result = self.run(*check_arguments(self.rule, root), "--format", "json", cwd=root)
        assert result.code in (0, 1), result.err
        return [
            problem
            for problem in json.loads(result.out)
            if problem["rule"] == self.rule and problem["path"] in written
        ]


def consumed(paragraph: str, messages: list[str]) -> bool:
    """True when the paragraph is nothing but some of ``messages``, one after another."""
    rest = spaced(paragraph)
    candidates = sorted({spaced(message) for message in messages}, key=len, reverse=True)
    while rest:
        match = next((message for message in candidates if rest.startswith(message)), None)
        if match is None:
            return False
        rest = rest[len(match) :].lstrip()
    return True


@pytest.mark.parametrize("rule", RULES)
def test_the_docstring_has_one_passing_and_one_failing_example(rule):
    found = examples(rule)
    assert len(found["Passes"]) == 1, f"{rule}: write one 'Passes::' block in the docstring"
    assert len(found["Fails"]) == 1, f"{rule}: write one 'Fails::' block in the docstring"


@pytest.mark.parametrize("rule", RULES)
def test_the_passing_example_passes(rule, run, tmp_path):
    (block,) = examples(rule)["Passes"]
    assert Example(rule, tmp_path, run).problems(paragraphs(block)) == []


@pytest.mark.parametrize("rule", RULES)
def test_the_failing_example_fails_with_the_messages_written(rule, run, tmp_path):
    """Paragraph by paragraph: one that is the messages of the note so far is the
    expected output; any other is more of the note."""
    (block,) = examples(rule)["Fails"]
    example = Example(rule, tmp_path, run)
    note: list[str] = []
    messages_written = 0
    for paragraph in paragraphs(block):
        if note:
            problems = example.problems(note)
            if consumed(paragraph, [str(problem["message"]) for problem in problems]):
                messages_written += 1
                note = []
                continue
        note.append(paragraph)
    assert not note, (
        f"{rule}: the failing example must end with the messages it gives; these paragraphs"
        f" are not followed by them (or the messages written are not the rule's):\n"
        + "\n".join(note)
    )
    assert messages_written
