"""alias-property: other names of a note written where or how Obsidian does not read them.

Obsidian takes a note's other names from the ``aliases`` property, a list. The singular
``alias`` was deprecated in Obsidian 1.4 and recent versions no longer read it; a single
string ``aliases: Foo`` is read, but Obsidian rewrites it as a list the next time it saves
the note's properties, and a name listed twice is noise.

Opt-in: it reports (and ``--fix`` fixes) only with ``alias-property = true`` in
``[tool.vaultcheck.aliases]``.

Passes::

    ---
    aliases:
      - Letting go
      - Moving on
    ---

Fails::

    ---
    alias: Letting go
    aliases: Moving on
    ---

    Obsidian reads other names from 'aliases', not 'alias': merge it into 'aliases'
    'aliases' is a single string; Obsidian writes a list

Fix (``--fix``): rewrites only the ``alias``/``aliases`` lines, in Obsidian's own style,
names in order and each once, every other line of the YAML as it was::

    ---
    aliases:
      - Moving on
      - Letting go
    ---

Names are copied exactly as written (quotes, tags and anchors included); a comment after
the last name stays after it. No fix is offered when the frontmatter has other problems,
when a name spans lines, when a list holds nested values or aliases (``*name``), when
comments sit between the names, or when the rewritten YAML would not load to the same
properties (an anchor on a list that is used elsewhere, for one).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from vaultcheck.core.edits import apply_edits
from vaultcheck.core.problem import Edit, Fix, Problem
from vaultcheck.note.yaml_loader import KeyPath, YamlError, end_mark, load_yaml, start_mark
from vaultcheck.rules.alias_format import AliasSwitches
from vaultcheck.rules.api import RuleContext, problem_on_line

if TYPE_CHECKING:
    from vaultcheck.note.note import Note

NAME = "alias-property"
FAMILY = "aliases"
FIXABLE = True
SUMMARY = "Frontmatter 'alias:' for 'aliases:', a single string, or a name twice (opt-in)."

KEY = "aliases"
OLD_KEY = "alias"
ITEM_PREFIX = "  - "
"""How Obsidian indents the items of a list property."""

_BLOCK_ITEM_PREFIX = re.compile(r"[ ]*-[ ]+")


def _identity(value: Any) -> tuple[type, Any] | None:
    """What makes two names the same (``1`` and ``"1"`` differ); None for a nested value."""
    if isinstance(value, (dict, list)):
        return None
    return type(value), value


def _findings(data: dict[str, Any]) -> Iterator[tuple[KeyPath, str]]:
    """Each thing wrong with the note's alias properties: where, and what."""
    if OLD_KEY in data:
        merge = ": merge it into 'aliases'" if KEY in data else ": rename it 'aliases'"
        yield (OLD_KEY,), f"Obsidian reads other names from 'aliases', not 'alias'{merge}"
    value = data.get(KEY)
    if isinstance(value, str):
        yield (KEY,), "'aliases' is a single string; Obsidian writes a list"
    elif isinstance(value, list):
        seen: set[tuple[type, Any]] = set()
        for index, item in enumerate(value):
            identity = _identity(item)
            if identity is None:
                continue
            if identity in seen:
                yield (KEY, index), f"{item!r} is listed twice in 'aliases'"
            seen.add(identity)


def check(note: Note, ctx: RuleContext) -> Iterator[Problem]:
    if not ctx.options(AliasSwitches).on(NAME):
        return
    data = note.frontmatter.data
    if data is None or (OLD_KEY not in data and KEY not in data):
        return
    findings = list(_findings(data))
    if not findings:
        return
    fix = _fix(note, data)
    for path, message in findings:
        line, column = note.frontmatter.position_of(path)
        yield problem_on_line(note, NAME, line, column, message, fix)


@dataclass
class _Entry:
    """One top-level ``alias``/``aliases`` entry of the YAML: offsets into the YAML text.

    ``items`` are the spans of the names as written; ``simple`` is false when the entry
    cannot be rewritten safely (nested values, anchors, names over several lines,
    comments inside it, a key not alone at the start of its line).
    """

    line_start: int
    key_start: int
    value_end: int
    sequence: bool = False
    item_prefix: str | None = None
    items: list[tuple[int, int]] = field(default_factory=list)
    simple: bool = True

    def sources(self, text: str) -> list[str]:
        return [text[start:end] for start, end in self.items]


def _skip_node(events: list[yaml.Event], index: int) -> int:
    """The index just past the node starting at ``events[index]``."""
    depth = 0
    while True:
        event = events[index]
        index += 1
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if depth == 0:
            return index


def _span(event: yaml.Event) -> tuple[int, int]:
    return start_mark(event).index, end_mark(event).index


def _read_entry(text: str, key: yaml.ScalarEvent, events: list[yaml.Event], index: int) -> _Entry:
    """The entry whose key is ``key`` and whose value starts at ``events[index]``."""
    key_start, key_end = _span(key)
    line_start = text.rfind("\n", 0, key_start) + 1
    entry = _Entry(line_start, key_start, key_end)
    value = events[index]
    if isinstance(value, yaml.ScalarEvent):
        if value.value == "" and value.implicit[0]:  # nothing after the colon
            entry.value_end = text.index(":", key_end) + 1
        else:
            entry.items.append(_span(value))
            entry.value_end = end_mark(value).index
    elif isinstance(value, yaml.SequenceStartEvent):
        end = _skip_node(events, index)
        items = events[index + 1 : end - 1]
        entry.sequence = True
        entry.simple = all(isinstance(item, yaml.ScalarEvent) for item in items)
        entry.items = [_span(item) for item in items]
        if value.flow_style or not items:
            entry.value_end = end_mark(events[end - 1]).index
        else:
            entry.value_end = end_mark(items[-1]).index
            first = start_mark(items[0]).index
            prefix = text[text.rfind("\n", 0, first) + 1 : first]
            entry.item_prefix = prefix if _BLOCK_ITEM_PREFIX.fullmatch(prefix) else None
    else:
        entry.simple = False
        return entry
    outside_items = [text[key_end : entry.value_end]]
    if entry.items:
        edges = [key_end, *(edge for span in entry.items for edge in span), entry.value_end]
        outside_items = [text[edges[i] : edges[i + 1]] for i in range(0, len(edges), 2)]
    entry.simple = (
        entry.simple
        and not text[line_start:key_start].strip()
        and not any("#" in piece for piece in outside_items)
        and not any("\n" in source or "\r" in source for source in entry.sources(text))
    )
    return entry


def _entries(text: str) -> dict[str, _Entry] | None:
    """The ``alias``/``aliases`` entries of a YAML block mapping, or None for other YAML."""
    try:
        events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    top = events[2] if len(events) > 2 else None
    if not isinstance(top, yaml.MappingStartEvent) or top.flow_style:
        return None
    entries: dict[str, _Entry] = {}
    index = 3
    while not isinstance(events[index], yaml.MappingEndEvent):
        key = events[index]
        value_index = _skip_node(events, index)
        if isinstance(key, yaml.ScalarEvent) and key.value in (KEY, OLD_KEY):
            entries[key.value] = _read_entry(text, key, events, value_index)
        index = _skip_node(events, value_index)
    return entries


def _line_break(text: str, offset: int) -> str:
    """The line ending of the line holding ``offset``: new lines are written the same way."""
    end = text.find("\n", offset)
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def _line_end(text: str, offset: int) -> int:
    """The offset just past the line break after ``offset`` (or the end of the text)."""
    end = text.find("\n", offset)
    return len(text) if end < 0 else end + 1


def _fix(note: Note, data: dict[str, Any]) -> Fix | None:
    """One fix for every finding of the note: a single ``aliases`` list, each name once.

    The rewritten YAML is loaded again before the fix is offered: it must hold exactly
    the old properties, ``alias`` gone and ``aliases`` the merged list.
    """
    frontmatter = note.frontmatter
    if frontmatter.issues:
        return None
    text = note.text[frontmatter.yaml_start : frontmatter.yaml_end]
    entries = _entries(text)
    if entries is None or not all(entry.simple for entry in entries.values()):
        return None
    kept = entries.get(KEY) or entries[OLD_KEY]
    dropped = entries.get(OLD_KEY) if KEY in entries else None
    names: dict[tuple[type, Any], tuple[Any, str]] = {}
    for key in (KEY, OLD_KEY):
        if key not in entries:
            continue
        written = data[key]
        values = written if isinstance(written, list) else [] if written is None else [written]
        for value, source in zip(values, entries[key].sources(text), strict=False):
            identity = _identity(value)
            if identity is not None:
                names.setdefault(identity, (value, source))
    indent = text[kept.line_start : kept.key_start]
    prefix = kept.item_prefix or indent + ITEM_PREFIX
    line_break = _line_break(text, kept.key_start)
    empty = " []" if any(entry.sequence for entry in entries.values()) else ""
    rendered = KEY + ":" + (
        "".join(line_break + prefix + source for _, source in names.values()) or empty
    )
    edits = [Edit(kept.key_start, kept.value_end, rendered)]
    if dropped is not None:
        line_end = _line_end(text, dropped.value_end)
        if text[dropped.value_end : line_end].strip():
            return None
        edits.append(Edit(dropped.line_start, line_end, ""))
    expected = {key: value for key, value in data.items() if key != OLD_KEY}
    expected[KEY] = [value for value, _ in names.values()] or ([] if empty else None)
    try:
        loaded = load_yaml(apply_edits(text, edits))
    except YamlError:
        return None
    if loaded.duplicates or loaded.value != expected:
        return None
    start = frontmatter.yaml_start
    return Fix(tuple(Edit(edit.start + start, edit.end + start, edit.replacement) for edit in edits))
