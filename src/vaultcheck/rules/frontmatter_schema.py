"""frontmatter-schema: frontmatter that does not follow the note's JSON Schema.

Each note is validated against its schema (``--schema``, the first ``schemas`` glob
that matches its path, the default ``schema``, or the shipped ``obsidian-note``).
Every violation is its own problem at the offending key; a missing required
property points at the opening ``---`` (line 1). A note without frontmatter is
validated as an empty mapping, so ``required`` still catches it. Values keep the
types Obsidian gives them: ``created: 2024-03-01`` is the string ``"2024-03-01"``, and an
empty property (``description:``, a list item ``- ``) is null, which the shipped schemas
accept except for a required property.

Passes (with ``--schema video-note``)::

    ---
    title: The process of letting go
    videoId: tvpDLpCf1jU
    ---

Fails::

    ---
    title: The process of letting go
    videoId: tooShort
    ---

    videoId: 'tooShort' does not match ^[A-Za-z0-9_-]{11}$

Fix: change the value, or the schema if the note is right.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from vaultcheck.core.problem import Problem
from vaultcheck.rules.api import RuleContext, problem_on_line
from vaultcheck.vault.schemas import additional_keys

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

    from vaultcheck.note.note import Note

NAME = "frontmatter-schema"
FAMILY = "frontmatter"
SUMMARY = "Frontmatter that does not follow the note's JSON Schema."

_JSON_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
    (type(None), "null"),
)


def json_type(value: Any) -> str:
    """The JSON Schema type name of a loaded YAML value."""
    return next(name for kind, name in _JSON_TYPES if isinstance(value, kind))


_WITH_ARTICLE = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "array": "an array",
    "object": "an object",
}


def expected_types(names: list[str]) -> str:
    """``["array", "string", "null"]`` -> ``an array, a string or null``."""
    phrases = [_WITH_ARTICLE.get(name, name) for name in dict.fromkeys(names)]
    if len(phrases) == 1:
        return phrases[0]
    return f"{', '.join(phrases[:-1])} or {phrases[-1]}"


def got(value: Any) -> str:
    """What a value is, for a message: ``null`` (an empty property), ``integer 5``."""
    if value is None:
        return "null"
    return f"{json_type(value)} {_short(value)}"


def key_path_text(path: Any) -> str:
    """``("tags", 0)`` -> ``tags[0]``; ``("a", "b")`` -> ``a.b``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _short(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _listed(value: object) -> list[Any]:
    """A keyword's value as a list: ``"string"`` is ``["string"]``, a list stays itself."""
    if isinstance(value, list):
        return value
    return [value]


def _expected_types(error: ValidationError) -> list[str]:
    """The types an ``anyOf``/``oneOf`` would accept, when all its branches failed on type."""
    types: list[str] = []
    for sub in error.context or ():
        if sub.validator != "type" or sub.relative_path:
            return []
        types.extend(_listed(sub.validator_value))
    return types


def describe(error: ValidationError) -> str:
    """A plain-words message for one validation error, without the key path."""
    value = error.instance
    keyword = error.validator
    if keyword == "type":
        return f"expected {expected_types(_listed(error.validator_value))}, got {got(value)}"
    if keyword == "pattern":
        return f"{_short(value)} does not match {error.validator_value}"
    if keyword == "enum":
        options = ", ".join(_short(option) for option in _listed(error.validator_value))
        return f"{_short(value)} is not one of {options}"
    if keyword == "format":
        return f"{_short(value)} is not a valid {error.validator_value}"
    if keyword in ("anyOf", "oneOf"):
        types = _expected_types(error)
        if types:
            return f"expected {expected_types(types)}, got {got(value)}"
    return str(error.message)


def _most_specific(error: ValidationError) -> ValidationError:
    """For an ``anyOf``/``oneOf`` whose branch of the right type failed deeper (a list
    item, a nested key), that deeper error: it names the value to change."""
    while error.validator in ("anyOf", "oneOf") and error.context:
        deeper = [
            sub for sub in error.context if not (sub.validator == "type" and not sub.relative_path)
        ]
        if not deeper:
            break
        # Here only, as jsonschema is slow to import: a run without this rule never does.
        from jsonschema.exceptions import best_match

        error = best_match(deeper)
    return error


def check(note: Note, ctx: RuleContext) -> Iterator[Problem]:
    data = note.frontmatter.data
    if data is None:
        return
    validator = ctx.vault.validator(ctx.vault.schema_path_for(note.rel))
    frontmatter = note.frontmatter
    for error in map(_most_specific, validator.iter_errors(data)):
        path = tuple(error.absolute_path)
        prefix = f"{key_path_text(path)}: " if path else ""
        if error.validator == "required":
            yield problem_on_line(note, NAME, 1, 1, prefix + str(error.message))
        elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
            schema = error.schema if isinstance(error.schema, dict) else {}
            for extra in additional_keys(error.instance, schema):
                line, column = frontmatter.position_of((*path, extra))
                message = f"{key_path_text((*path, extra))}: property not allowed by the schema"
                yield problem_on_line(note, NAME, line, column, message)
        else:
            line, column = frontmatter.position_of(path)
            yield problem_on_line(note, NAME, line, column, prefix + describe(error))
