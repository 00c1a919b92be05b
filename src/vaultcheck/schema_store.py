"""Load frontmatter JSON Schemas: shipped ones by name, local files by path, never the network.

jsonschema would fetch a remote ``$ref`` (and read ``file://`` ones) by itself. Instead
every ``$ref`` is resolved here first: local files are read and registered in a
``referencing.Registry`` of our own, a remote reference is a :class:`ConfigError`, and
validators are built with that registry and no way to retrieve anything else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlparse

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
    from jsonschema import exceptions, validators
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
    if isinstance(schema, dict):
        # Relative $refs resolve against the schema's own file unless it names an $id.
        id_key = "id" if cls.__name__ in ("Draft3Validator", "Draft4Validator") else "$id"
        schema = {id_key: path.as_uri(), **schema}
        documents[path.as_uri()] = schema
    registry: Registry[Any] = Registry().with_resources(
        (uri, Resource.from_contents(document, default_specification=DRAFT202012))
        for uri, document in documents.items()
    )
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)
