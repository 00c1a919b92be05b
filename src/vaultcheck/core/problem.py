"""The one record every check yields and every reporter prints."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from vaultcheck.core.printable import printable


class Severity(str, enum.Enum):
    """How much a problem matters; ``error`` fails the run, ``warning`` is reported."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` of a note's decoded text (BOM excluded) with ``replacement``.

    Offsets are into the original text, line endings untouched, so applying an edit
    changes exactly the characters it names and nothing else.
    """

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A mechanical correction: the edits that make the problem go away.

    ``safe`` fixes keep what the note means (``--fix`` applies them); an unsafe one is
    a likely guess, such as a near name for a broken link, applied only with
    ``--unsafe-fixes``.
    """

    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding at a place in a note.

    Slotted, as are its fix and edits: a run over a large vault holds hundreds of
    thousands of them until it reports.

    ``line`` and ``column`` are 1-based and count in the whole file (frontmatter
    included), in characters; ``end_line``/``end_column`` close the span (exclusive).
    :meth:`sort_key` orders problems by path, then position, so output is deterministic.
    ``excerpt`` is the text the problem points at (its span, newlines normalised,
    surrounding whitespace stripped), filled in where the problem is made from its note:
    what fingerprints and baselines know it by, without reading the note again.
    """

    path: Path
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    message: str
    severity: Severity = Severity.ERROR
    fix: Fix | None = None
    excerpt: str | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (str(self.path), self.line, self.column, self.rule, self.message)


_SEVERITIES = {severity.value: severity for severity in Severity}


def severity_named(value: str) -> Severity:
    """``Severity(value)`` without the enum's lookup machinery (called for every cached problem)."""
    return _SEVERITIES[value]


def text_line(problem: Problem) -> str:
    """``LINE:COL: RULE MESSAGE`` (``RULE (warning)`` for a warning): a problem as the text
    report prints it after its path and a colon, without colour."""
    label = f"{problem.rule} (warning)" if problem.severity is Severity.WARNING else problem.rule
    return f"{problem.line}:{problem.column}: {label} {printable(problem.message)}"
