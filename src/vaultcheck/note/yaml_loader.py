"""A bounded YAML loader that remembers where every key is.

Why not ``yaml.safe_load``: it applies YAML 1.1 typing (``10:20:30`` becomes the
base-60 integer 37230, ``2024-03-01`` a ``datetime.date`` that JSON Schema cannot
see), silently keeps the last of two duplicate keys, forgets positions, and expands
aliases without limit, so 300 bytes of nested aliases ("billion laughs") or
``a: &x [*x]`` can hang or crash whatever walks the result.

This loader reads the parser's events (libyaml when available) and builds plain
JSON values itself, iteratively:

- scalars are typed by the YAML 1.2 core schema, so dates and times stay the strings
  Obsidian shows;
- every mapping key's (line, column) is recorded under its key path;
- duplicate keys are reported, not overwritten silently;
- nesting depth and the number of values, counted with every alias expanded, are
  bounded, so a bomb is refused after reading its events once, never expanded.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml

MAX_DEPTH = 64
MAX_VALUES = 10_000

KeyPath = tuple[str | int, ...]

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULL = re.compile(r"~|null|Null|NULL|")
_TRUE = re.compile(r"true|True|TRUE")
_FALSE = re.compile(r"false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_MAX_INT_DIGITS = 4000

_STR_TAG = "tag:yaml.org,2002:str"


class Mark(Protocol):
    """A place in the YAML text, from PyYAML's parser or libyaml's (0-based)."""

    @property
    def index(self) -> int: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


def start_mark(event: yaml.Event) -> Mark:
    """Where ``event`` starts: both parsers mark every event they emit."""
    assert event.start_mark is not None
    return event.start_mark


def end_mark(event: yaml.Event) -> Mark:
    """Where ``event`` ends: both parsers mark every event they emit."""
    assert event.end_mark is not None
    return event.end_mark


class YamlError(Exception):
    """The frontmatter is not YAML we accept; ``line``/``column`` are 0-based in the YAML text."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class DuplicateKey:
    """A key defined twice in one mapping: reported, loading goes on (0-based positions)."""

    key: str
    line: int
    column: int
    first_line: int


@dataclass
class LoadedYaml:
    """The value of a YAML document with the 0-based position of every key and item."""

    value: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    duplicates: list[DuplicateKey] = field(default_factory=list)


def resolve_plain_scalar(text: str) -> Any:
    """Type an unquoted scalar the way the YAML 1.2 core schema does."""
    if _NULL.fullmatch(text):
        return None
    if _TRUE.fullmatch(text):
        return True
    if _FALSE.fullmatch(text):
        return False
    if len(text) <= _MAX_INT_DIGITS:
        if _INT.fullmatch(text):
            return int(text)
        if _OCT.fullmatch(text):
            return int(text, 8)
        if _HEX.fullmatch(text):
            return int(text, 16)
        if _FLOAT.fullmatch(text):
            return float(text)
    if _INF.fullmatch(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.fullmatch(text):
        return math.nan
    return text


def _scalar_value(event: yaml.ScalarEvent) -> Any:
    if event.tag == _STR_TAG or not event.implicit[0]:
        return event.value
    return resolve_plain_scalar(event.value)


@dataclass
class _Open:
    """A collection being built: its value, key path and, for mappings, the pending key."""

    value: dict[str, Any] | list[Any]
    path: KeyPath
    anchor: str | None
    size: int = 1
    key: str | None = None
    expecting_key: bool = True


class _Builder:
    def __init__(self) -> None:
        self.stack: list[_Open] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.result = LoadedYaml(value=None)
        self.total = 0
        self.done = False

    def _count(self, size: int, mark: Mark) -> None:
        self.total += size
        if self.total > MAX_VALUES:
            raise YamlError(
                f"frontmatter expands to more than {MAX_VALUES} values"
                " (aliases repeated too often?)",
                mark.line,
                mark.column,
            )

    def _child_path(self, mark: Mark) -> KeyPath:
        parent = self.stack[-1] if self.stack else None
        if parent is None:
            return ()
        if isinstance(parent.value, list):
            return (*parent.path, len(parent.value))
        assert parent.key is not None
        return (*parent.path, parent.key)

    def _add(self, value: Any, size: int, mark: Mark) -> None:
        """Attach a finished value to the open collection (or make it the document)."""
        if not self.stack:
            self.result.value = value
            self.done = True
            return
        parent = self.stack[-1]
        parent.size += size
        if isinstance(parent.value, list):
            parent.value.append(value)
            return
        if parent.expecting_key:
            self._add_key(parent, value, mark)
            return
        assert parent.key is not None
        parent.value[parent.key] = value
        parent.key = None
        parent.expecting_key = True

    def _add_key(self, parent: _Open, key: Any, mark: Mark) -> None:
        if isinstance(key, (dict, list)):
            raise YamlError("a mapping key must be a plain value, not a list or mapping",
                            mark.line, mark.column)
        name = _key_text(key)
        path = (*parent.path, name)
        assert isinstance(parent.value, dict)
        if name in parent.value:
            self.result.duplicates.append(
                DuplicateKey(name, mark.line, mark.column, self.result.positions[path][0])
            )
            self._expect_value(parent, name)
            return
        self.result.positions[path] = (mark.line, mark.column)
        self._expect_value(parent, name)

    @staticmethod
    def _expect_value(parent: _Open, key: str) -> None:
        parent.key = key
        parent.expecting_key = False

    def feed(self, event: yaml.Event) -> None:
        mark = start_mark(event)
        if isinstance(event, yaml.ScalarEvent):
            self._record_item_position(mark)
            self._count(1, mark)
            value = _scalar_value(event)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self._add(value, 1, mark)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if self.stack and self.stack[-1].expecting_key and isinstance(
                self.stack[-1].value, dict
            ):
                raise YamlError("a mapping key must be a plain value, not a list or mapping",
                                mark.line, mark.column)
            if len(self.stack) >= MAX_DEPTH:
                raise YamlError(f"frontmatter is nested deeper than {MAX_DEPTH} levels",
                                mark.line, mark.column)
            self._record_item_position(mark)
            self._count(1, mark)
            container: dict[str, Any] | list[Any] = (
                {} if isinstance(event, yaml.MappingStartEvent) else []
            )
            self.stack.append(_Open(container, self._child_path(mark), event.anchor))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            closed = self.stack.pop()
            if closed.anchor:
                self.anchors[closed.anchor] = (closed.value, closed.size)
            self._add(closed.value, closed.size, mark)
        elif isinstance(event, yaml.AliasEvent):
            self._record_item_position(mark)
            if any(open_.anchor == event.anchor for open_ in self.stack):
                raise YamlError(f"alias *{event.anchor} refers to a value that contains itself",
                                mark.line, mark.column)
            if event.anchor not in self.anchors:
                raise YamlError(f"alias *{event.anchor} has no anchor &{event.anchor} before it",
                                mark.line, mark.column)
            value, size = self.anchors[event.anchor]
            self._count(size, mark)
            self._add(value, size, mark)

    def _record_item_position(self, mark: Mark) -> None:
        """Remember where each list item starts, so schema errors on items point at them."""
        if self.stack and isinstance(self.stack[-1].value, list):
            self.result.positions[self._child_path(mark)] = (mark.line, mark.column)


def _key_text(key: Any) -> str:
    """JSON object keys are strings: a YAML key ``1`` or ``true`` becomes ``"1"``/``"true"``."""
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def load_yaml(text: str) -> LoadedYaml:
    """Load the first document of ``text``; raise :class:`YamlError` when it cannot be used."""
    builder = _Builder()
    try:
        for event in yaml.parse(text, Loader=_Parser):
            if builder.done:
                if isinstance(event, yaml.DocumentStartEvent):
                    mark = start_mark(event)
                    raise YamlError("frontmatter holds more than one YAML document",
                                    mark.line, mark.column)
                continue
            builder.feed(event)
    except yaml.MarkedYAMLError as error:
        where = error.problem_mark or error.context_mark
        line, column = (where.line, where.column) if where else (0, 0)
        raise YamlError(_describe(error), line, column) from None
    except yaml.YAMLError as error:
        raise YamlError(str(error), 0, 0) from None
    return builder.result


def _describe(error: yaml.MarkedYAMLError) -> str:
    """A one-line message from a PyYAML error, without its multi-line snippet."""
    parts = [part for part in (error.context, error.problem) if part]
    return "invalid YAML: " + ", ".join(parts) if parts else "invalid YAML"
