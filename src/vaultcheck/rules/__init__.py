"""The registry of rules: one module per rule, listed here explicitly.

A rule module defines ``NAME`` (stable kebab-case, used in config, suppressions and
output), ``FAMILY`` (its pre-commit hook family), ``SUMMARY`` (one line), ``FIXABLE``
when its problems can carry a fix (default false), a module
docstring with a passing and a failing example (what ``vaultcheck explain`` prints),
and ``check(note, vault) -> Iterator[Problem]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from vaultcheck.problem import Problem, Severity
from vaultcheck.rules import (
    alias_format,
    alias_property,
    ambiguous_link,
    broken_block_ref,
    broken_heading,
    broken_link,
    frontmatter_schema,
    frontmatter_syntax,
    markdown_too_complex,
    missing_attachment,
    name_collision,
    redundant_alias,
    timestamp_malformed,
    timestamp_order,
    unreadable_file,
    unused_suppression,
)

if TYPE_CHECKING:
    from vaultcheck.vault import Vault

CheckFunction = Callable[[Any, "Vault"], Iterator[Problem]]
"""``check(note, vault)``: ``note`` is a :class:`~vaultcheck.note.Note`, or for the rules
of the ``links`` family, which see only links, possibly a
:class:`~vaultcheck.links.source.LinkSource` parsed in another process or run."""


_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)
_BLOCK_MARKER = re.compile(r"(?<=\S)::(?=\n)")


@dataclass(frozen=True)
class Rule:
    """A rule as the runner sees it."""

    name: str
    family: str
    summary: str
    doc: str
    check: CheckFunction
    default_severity: Severity = Severity.ERROR
    enabled_by_default: bool = True
    fixable: bool = False

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
        )


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in map(
        Rule.from_module,
        [
            unreadable_file,
            markdown_too_complex,
            frontmatter_syntax,
            frontmatter_schema,
            timestamp_malformed,
            timestamp_order,
            broken_link,
            broken_heading,
            broken_block_ref,
            missing_attachment,
            ambiguous_link,
            name_collision,
            alias_format,
            redundant_alias,
            alias_property,
            unused_suppression,
        ],
    )
}

FAMILIES: dict[str, tuple[str, ...]] = {}
for _rule in RULES.values():
    FAMILIES[_rule.family] = (*FAMILIES.get(_rule.family, ()), _rule.name)
