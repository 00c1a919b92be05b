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

import contextlib
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import re2  # type: ignore[import-untyped]

from vaultcheck.core.reading import NotRegularFile, TooLarge, read_problem, read_regular
from vaultcheck.vault.config import ConfigError

DEFAULT_SCHEMA = "obsidian-note"
SHIPPED_SCHEMAS = ("obsidian-note", "video-note")


def shipped_schema_path(name: str) -> Path:
    return Path(str(resources.files("vaultcheck.schemas").joinpath(f"{name}.json")))


def resolve_schema_path(reference: str, base: Path) -> Path:
    """A schema named on the command line or in config: a shipped name or a path from ``base``."""
    if reference in SHIPPED_SCHEMAS:
        return shipped_schema_path(reference)
    return (base / reference).resolve()


def _read_json(path: Path, referrer: str | None = None) -> Any:
    try:
        text = read_regular(path).decode("utf-8")
    except FileNotFoundError:
        if referrer is not None:
            raise ConfigError(f"{referrer} refers to {path}, which does not exist") from None
        raise ConfigError(f"schema {path} does not exist") from None
    except (NotRegularFile, TooLarge) as error:
        raise ConfigError(f"schema {path} {read_problem(error)}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"schema {path} cannot be read: {error}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"schema {path}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}"
        ) from None
    except RecursionError:
        raise ConfigError(f"schema {path}: nested too deeply to read") from None


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


def json_key(value: Any) -> Any:
    """A hashable stand-in for a JSON value, equal exactly when JSON Schema calls the
    values equal: ``1`` and ``1.0`` are one number, ``true`` is not ``1``, arrays compare
    item by item and objects key by key."""
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, str):
        return ("string", value)
    if value is None:
        return ("null",)
    if isinstance(value, (list, tuple)):
        return ("array", tuple(json_key(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((key, json_key(item)) for key, item in value.items()))
    return ("other", repr(value))


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """``uniqueItems`` in time linear in the array (jsonschema's own falls back to
    comparing every pair when items do not sort, e.g. strings mixed with numbers)."""
    from jsonschema.exceptions import ValidationError

    if not unique or not validator.is_type(instance, "array"):
        return
    seen: set[Any] = set()
    for item in instance:
        key = json_key(item)
        if key in seen:
            yield ValidationError(f"{instance!r} has non-unique elements")
            return
        seen.add(key)


_LINEAR_KEYWORDS = {
    "pattern": _pattern,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
    "uniqueItems": _unique_items,
}

#: Keywords whose subschemas apply to the value itself, not to a part of it: a loop of
#: ``$ref``s through them alone validates the same value again and again, forever.
_IN_PLACE_LISTS = frozenset({"allOf", "anyOf", "oneOf", "extends"})
_IN_PLACE_SINGLE = frozenset({"not", "if", "then", "else", "extends"})
_IN_PLACE_MAPS = frozenset({"dependentSchemas", "dependencies"})
_REFERENCES = ("$ref", "$dynamicRef", "$recursiveRef")


def _in_place_children(node: dict[str, Any]) -> Iterator[Any]:
    for key, value in node.items():
        if key in _IN_PLACE_LISTS and isinstance(value, list):
            yield from value
        if key in _IN_PLACE_SINGLE and isinstance(value, (dict, bool)):
            yield value
        if key in _IN_PLACE_MAPS and isinstance(value, dict):
            yield from value.values()


def _check_references(documents: dict[str, Any], registry: Any) -> None:
    """Every ``$ref`` must lead to a schema, and no loop of ``$ref``s may come back to a
    schema without descending into a property or item first (``{"$ref": "#"}``, or two
    files referring to each other): validating would recurse forever. Both are a
    :class:`ConfigError` naming the place, found once when the schema is loaded."""
    from referencing import Resource
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012

    edges: dict[int, list[int]] = {}
    where: dict[int, str] = {}
    for uri, document in documents.items():
        file = Path(unquote(urlparse(uri).path)).name
        stack: list[tuple[Any, Any, str]] = [(document, registry.resolver(uri), "#")]
        while stack:
            node, resolver, pointer = stack.pop()
            if isinstance(node, list):
                stack.extend((item, resolver, f"{pointer}/{i}") for i, item in enumerate(node))
                continue
            if not isinstance(node, dict):
                continue
            if isinstance(node.get("$id"), str) and node is not document:
                with contextlib.suppress(Exception):
                    resource = Resource.from_contents(node, default_specification=DRAFT202012)
                    resolver = resolver.in_subresource(resource)
            where[id(node)] = f"{file}{pointer}"
            targets = [id(child) for child in _in_place_children(node) if isinstance(child, dict)]
            for keyword in _REFERENCES:
                reference = node.get(keyword)
                if not isinstance(reference, str):
                    continue
                try:
                    target = resolver.lookup(reference).contents
                except Unresolvable as error:
                    if keyword != "$ref":
                        continue
                    raise ConfigError(
                        f"schema {file} at {pointer}: $ref {reference!r} leads nowhere ({error})"
                    ) from None
                if not isinstance(target, (dict, bool)):
                    raise ConfigError(
                        f"schema {file} at {pointer}: $ref {reference!r} leads to"
                        f" {_short_json(target)}, which is not a schema"
                    )
                if isinstance(target, dict):
                    targets.append(id(target))
            edges[id(node)] = targets
            stack.extend(
                (value, resolver, f"{pointer}/{key}")
                for key, value in node.items()
                if key not in _DATA_KEYWORDS
            )
    cycle = _find_cycle(edges)
    if cycle:
        path = " -> ".join(where.get(node, "?") for node in cycle)
        raise ConfigError(
            f"schema $ref loop: {path} (each validates the same value by the next, forever;"
            " a $ref back must go through properties or items)"
        )


def _short_json(value: Any) -> str:
    shown = json.dumps(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _find_cycle(edges: dict[int, list[int]]) -> list[int]:
    """A cycle of the graph (its nodes, the first repeated at the end), or ``[]``."""
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    for start in edges:
        if start in state:
            continue
        path = [start]
        state[start] = 1
        iterators = [iter(edges.get(start, ()))]
        while iterators:
            following = next(iterators[-1], None)
            if following is None:
                state[path.pop()] = 2
                iterators.pop()
            elif state.get(following) == 1:
                return [*path[path.index(following) :], following]
            elif following not in state:
                state[following] = 1
                path.append(following)
                iterators.append(iter(edges.get(following, ())))
    return []


def _load_local_documents(root: Path) -> dict[str, Any]:
    """The root schema and every local file its ``$ref``s reach, by file URI."""
    documents: dict[str, Any] = {}
    pending: list[tuple[str, Path, str | None]] = [(root.as_uri(), root, None)]
    while pending:
        uri, path, referrer = pending.pop()
        if uri in documents:
            continue
        document = _read_json(path, referrer)
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
        cls.check_schema(schema)  # type: ignore[arg-type]  # stubs omit boolean schemas
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
    _check_references(documents, registry)
    formats = FormatChecker()
    formats.checkers = {**cls.FORMAT_CHECKER.checkers, "regex": (_is_regex, ())}
    linear = validators.extend(cls, _LINEAR_KEYWORDS)  # type: ignore[no-untyped-call]  # unannotated in the stubs
    return linear(schema, registry=registry, format_checker=formats)
