"""The interface of a rule: what a rule module defines (:class:`Rule`), what it is given
(:class:`RuleContext`), and the one way rules turn offsets into positions
(:func:`problem_at`, :func:`problem_on_line`).

A rule module defines ``NAME`` (stable kebab-case, used in config, suppressions and
output), ``FAMILY`` (what ``--select`` and the pre-commit hooks group it under),
``SUMMARY`` (one line), a module docstring with a passing and a failing example (what
``vaultcheck explain`` prints, and what its tests run), and
``check(note, ctx) -> Iterator[Problem]``. Optional: ``FIXABLE`` (its problems can carry
a fix), ``DEFAULT_SEVERITY``, ``ENABLED_BY_DEFAULT``, and ``BROKEN_ELSEWHERE_BY``: the
changes (``"removal"`` of a file, ``"edit"`` of a note) that make its problems appear
in notes the change does not touch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from vaultcheck.core.problem import Fix, Problem, Severity
from vaultcheck.note.note import Note

if TYPE_CHECKING:
    from vaultcheck.links.check import LinkContext
    from vaultcheck.vault.config import Config
    from vaultcheck.vault.vault import Vault


LINKS = "links"
"""The family whose rules judge a note's links against the rest of the vault: they are
given the note's :class:`~vaultcheck.links.source.LinkSource`, not the note, since links
are judged in one process once every note's facts are known."""


class RuleOptions(Protocol):
    """What a rule's options are: a class that reads them from the configuration."""

    @classmethod
    def from_config(cls, config: Config) -> RuleOptions: ...


Options = TypeVar("Options", bound=RuleOptions)


@dataclass(frozen=True)
class RuleContext:
    """What a rule's ``check(note, ctx)`` is given besides the note, for one run.

    ``vault`` holds the root, the configuration, the schemas and the file index;
    :meth:`options` the rules' options, parsed once; ``links`` is the run's link index (names, headings, blocks,
    near-name suggestions); ``rule_names`` are the names of every registered rule.
    """

    vault: Vault
    links: LinkContext
    rule_names: frozenset[str] = frozenset()
    _options: dict[type, object] = field(default_factory=dict, compare=False, repr=False)

    def options(self, kind: type[Options]) -> Options:
        """A rule's options, of ``kind`` (a class with ``from_config(config)``), parsed from
        the configuration once per run and shared by the rules that read them."""
        found = self._options.get(kind)
        if found is None:
            found = self._options[kind] = kind.from_config(self.vault.config)
        return cast(Options, found)


CheckFunction = Callable[[Any, RuleContext], Iterator[Problem]]
"""``check(note, ctx)``: ``note`` is a :class:`~vaultcheck.note.note.Note`, or for the
rules of the ``links`` family, which see only links, possibly a
:class:`~vaultcheck.links.source.LinkSource` parsed in another process or run."""

_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)
_BLOCK_MARKER = re.compile(r"(?<=\S)::(?=\n)")


@dataclass(frozen=True)
class Rule:
    """A rule as the engine sees it, read from its module (see the module docstring)."""

    name: str
    family: str
    summary: str
    doc: str
    check: CheckFunction
    default_severity: Severity = Severity.ERROR
    enabled_by_default: bool = True
    fixable: bool = False
    broken_elsewhere: frozenset[str] = frozenset()

    @property
    def text(self) -> str:
        """The documentation as plain text: ``code`` unquoted, ``Passes::`` as ``Passes:``."""
        return _LITERAL.sub(r"\1", _BLOCK_MARKER.sub(":", self.doc))

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        return cls(
            name=module.NAME,
            family=module.FAMILY,
            summary=module.SUMMARY,
            doc=(module.__doc__ or "").strip(),
            check=module.check,
            default_severity=getattr(module, "DEFAULT_SEVERITY", Severity.ERROR),
            enabled_by_default=getattr(module, "ENABLED_BY_DEFAULT", True),
            fixable=getattr(module, "FIXABLE", False),
            broken_elsewhere=frozenset(getattr(module, "BROKEN_ELSEWHERE_BY", ())),
        )


class Located(Protocol):
    """Where a problem can be placed: a note, or a note's :class:`~vaultcheck.links.source.LinkSource`."""

    @property
    def path(self) -> Path: ...

    def position(self, offset: int) -> tuple[int, int]: ...

    def excerpt(self, start: int, end: int) -> str: ...


def problem_at(
    note: Located, rule: str, start: int, end: int, message: str, fix: Fix | None = None
) -> Problem:
    """A problem covering ``note.text[start:end]``."""
    line, column = note.position(start)
    end_line, end_column = note.position(end)
    return Problem(
        note.path, line, column, end_line, end_column, rule, message,
        fix=fix, excerpt=note.excerpt(start, end),
    )


def problem_on_line(
    note: Note, rule: str, line: int, column: int, message: str, fix: Fix | None = None
) -> Problem:
    """A problem at a 1-based line and column, spanning to the end of that line."""
    starts = note.lines.starts
    line = min(max(line, 1), len(starts))
    line_end = starts[line] if line < len(starts) else len(note.text)
    end_column = max(len(note.text[starts[line - 1] : line_end].rstrip("\r\n")) + 1, column)
    start = min(starts[line - 1] + column - 1, line_end)
    return Problem(
        note.path, line, column, line, end_column, rule, message,
        fix=fix, excerpt=note.excerpt(start, starts[line - 1] + end_column - 1),
    )
