"""Load frontmatter JSON Schemas: shipped ones by name, local files by path, never the network.

jsonschema would fetch a remote ``$ref`` (and read ``file://`` ones) by itself. Instead
every ``$ref`` is resolved here first: local files are read and registered in a
``referencing.Registry`` of our own, a remote reference is a :class:`ConfigError`, and
validators are built with that registry and no way to retrieve anything else.

Schema ``pattern``s and ``patternProperties`` run on values and keys strangers write,
so they run on RE2, a linear-time engine: ``^(a+)+$`` cannot hang a run, whatever the
value. A pattern RE2 cannot run (lookaround, backreferences) is a :class:`ConfigError`
when the schema is loaded, rather than a backtracking match waiting to be exploited.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import re2  # type: ignore[import-untyped]

from vaultcheck.config import ConfigError

DEFAULT_SCHEMA = "obsidian-note"
SHIPPED_SCHEMAS = ("obsidian-note", "video-note")


def shipped_schema_path(name: str) -> Path:
    return Path(str(resources.files("vaultcheck.schemas").joinpath(f"{name}.json")))


def resolve_schema_path(reference: str, base: Path) -> Path:
    """A schema named on the command line or in config: a shipped name or a path from ``base``."""
    if reference in SHIPPED_SCHEMAS:
        return shipped_schema_path(reference)
    return (base / reference).resolve()


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"schema {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"schema {path} cannot be read: {error}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"schema {path}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}"
        ) from None


def _refs(node: Any) -> Iterator[str]:
    """Every ``$ref`` string in a schema document (iterative: schemas can nest deeply)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            reference = current.get("$ref")
            if isinstance(reference, str):
                yield reference
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


class UnsupportedPattern(ConfigError):
    """A schema pattern the linear-time engine cannot run."""


_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # the error is ours to report, not RE2's to print on stderr

# Keywords whose values are data, not subschemas: a "pattern" key inside them is no pattern.
_DATA_KEYWORDS = frozenset({"const", "default", "enum", "examples"})


@lru_cache(maxsize=1024)
def compiled_pattern(pattern: str) -> Any:
    """``pattern`` compiled by RE2, once per process; :class:`UnsupportedPattern` if it cannot be."""
    try:
        return re2.compile(pattern, _RE2_OPTIONS)
    except re2.error as error:
        reason = error.args[0] if error.args else "invalid"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise UnsupportedPattern(
            f"pattern {pattern!r} cannot be used: {reason} (vaultcheck matches schema patterns"
            " with RE2, in time linear in the value: no lookaround, no backreferences)"
        ) from None


def pattern_search(pattern: str, text: str) -> bool:
    """JSON Schema's ``pattern`` test: does ``pattern`` match anywhere in ``text``?"""
    return compiled_pattern(pattern).search(text) is not None


def _check_patterns(schema: Any, path: Path) -> None:
    """Compile every ``pattern`` and ``patternProperties`` key of a schema now, so one RE2
    cannot run is reported before any note is checked."""
    stack: list[tuple[Any, str]] = [(schema, "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, list):
            stack.extend((item, f"{where}/{index}") for index, item in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        patterns = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        if isinstance(node.get("patternProperties"), dict):
            patterns.extend(node["patternProperties"])
            if "unevaluatedProperties" in node:
                raise UnsupportedPattern(
                    f"schema {path} at {where or '/'}: unevaluatedProperties next to"
                    " patternProperties is not supported (jsonschema would match those"
                    " patterns with a backtracking engine); use additionalProperties"
                )
        for pattern in patterns:
            try:
                compiled_pattern(pattern)
            except UnsupportedPattern as error:
                raise UnsupportedPattern(f"schema {path} at {where or '/'}: {error}") from None
        stack.extend(
            (value, f"{where}/{key}") for key, value in node.items() if key not in _DATA_KEYWORDS
        )


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not pattern_search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: dict[str, Any], instance: Any, schema: Any
) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if pattern_search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def additional_keys(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """The keys of ``instance`` neither named in ``properties`` nor matched by a
    ``patternProperties`` pattern: what ``additionalProperties`` applies to."""
    named = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [
        key
        for key in instance
        if key not in named and not any(pattern_search(pattern, key) for pattern in patterns)
    ]


def _additional_properties(
    validator: Any, allowed: Any, instance: Any, schema: Any
) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    extras = additional_keys(instance, schema)
    if validator.is_type(allowed, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], allowed, path=extra)
    elif not allowed and extras:
        listed = ", ".join(repr(extra) for extra in sorted(extras))
        yield ValidationError(f"Additional properties are not allowed ({listed} unexpected)")


def _is_regex(instance: object) -> bool:
    """The ``regex`` format, which compiles a note's value: a value nested too deeply for
    Python's regex parser is not a usable regex, rather than a crash."""
    if not isinstance(instance, str):
        return True
    try:
        re.compile(instance)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


_LINEAR_KEYWORDS = {
    "pattern": _pattern,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
}


def _load_local_documents(root: Path) -> dict[str, Any]:
    """The root schema and every local file its ``$ref``s reach, by file URI."""
    documents: dict[str, Any] = {}
    pending = [(root.as_uri(), root, f"schema {root}")]
    while pending:
        uri, path, referrer = pending.pop()
        if uri in documents:
            continue
        if not path.is_file():
            raise ConfigError(f"{referrer} refers to {path}, which does not exist")
        document = _read_json(path)
        documents[uri] = document
        base = document.get("$id", uri) if isinstance(document, dict) else uri
        for reference in _refs(document):
            target, _fragment = urldefrag(urljoin(base, reference))
            if not target or target == base or target in documents:
                continue
            scheme = urlparse(target).scheme
            if scheme != "file":
                raise ConfigError(
                    f"schema {path}: $ref {reference!r} points at {target}; remote references"
                    " are refused (vaultcheck never fetches schemas): save it next to the"
                    " schema and refer to the file"
                )
            pending.append((target, Path(unquote(urlparse(target).path)), f"schema {path}"))
    return documents


def build_validator(path: Path) -> Any:
    """A jsonschema validator for the schema at ``path``; :class:`ConfigError` if unusable."""
    from jsonschema import FormatChecker, exceptions, validators
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    documents = _load_local_documents(path)
    schema = documents[path.as_uri()]
    if not isinstance(schema, (dict, bool)):
        raise ConfigError(f"schema {path} is not a JSON Schema (an object or a boolean)")
    cls = validators.validator_for(schema, default=validators.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except exceptions.SchemaError as error:
        where = "/".join(str(part) for part in error.absolute_path) or "(root)"
        raise ConfigError(f"schema {path} is not a valid schema at {where}: {error.message}") from None
    for uri, document in documents.items():
        _check_patterns(document, Path(unquote(urlparse(uri).path)))
    if isinstance(schema, dict):
        # Relative $refs resolve against the schema's own file unless it names an $id.
        id_key = "id" if cls.__name__ in ("Draft3Validator", "Draft4Validator") else "$id"
        schema = {id_key: path.as_uri(), **schema}
        documents[path.as_uri()] = schema
    registry: Registry[Any] = Registry().with_resources(
        (uri, Resource.from_contents(document, default_specification=DRAFT202012))
        for uri, document in documents.items()
    )
    formats = FormatChecker()
    formats.checkers = {**cls.FORMAT_CHECKER.checkers, "regex": (_is_regex, ())}
    linear = validators.extend(cls, _LINEAR_KEYWORDS)
    return linear(schema, registry=registry, format_checker=formats)
