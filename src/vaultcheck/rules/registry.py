"""The registry of rules: every rule module, listed here once, in report order.

Adding a rule takes one module in this folder (see :class:`~vaultcheck.rules.api.Rule`
for what it defines), one line below, and one folder of golden notes in
``tests/rules/<rule>/``. Everything else that lists rules (families, the hooks, which
rules a deleted or edited note breaks elsewhere) is derived from this list.
"""

from __future__ import annotations

from vaultcheck.rules import (
    alias_format,
    alias_property,
    ambiguous_link,
    broken_block_ref,
    broken_heading,
    broken_link,
    duplicate_heading,
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
from vaultcheck.rules.api import Rule

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
            duplicate_heading,
            alias_format,
            redundant_alias,
            alias_property,
            unused_suppression,
        ],
    )
}

FAMILIES: dict[str, tuple[str, ...]] = {}
"""Rule names by family (``links``, ``timestamps``, ...): a family name selects them all."""
for _rule in RULES.values():
    FAMILIES[_rule.family] = (*FAMILIES.get(_rule.family, ()), _rule.name)


def broken_elsewhere_by(cause: str) -> frozenset[str]:
    """The rules whose problems a change causes in notes it does not touch: by deleting
    or renaming a file (``"removal"``), or by editing the note a link points into
    (``"edit"``)."""
    return frozenset(name for name, rule in RULES.items() if cause in rule.broken_elsewhere)
