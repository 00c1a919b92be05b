"""A note record as compact JSON values: how records travel from worker processes
and how the store keeps them. Decoding builds plain values only."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from vaultcheck.core.problem import Problem
    from vaultcheck.engine.record import NoteRecord
    from vaultcheck.links.targets import NoteFacts
    from vaultcheck.note.syntax.model import LinkRef



#: What a stored record fails to decode with when it was written in another layout.
_UNDECODABLE = (ValueError, TypeError, KeyError, IndexError, AttributeError)

#: The kinds of link a record holds; any other is undecodable (a KeyError).
_LINK_KINDS: dict[str, Literal["wikilink", "markdown"]] = {"wikilink": "wikilink", "markdown": "markdown"}


def record_json(record: NoteRecord) -> str:
    """A record as JSON text (the reverse of :func:`record_from_json`)."""
    return json.dumps(encode_record(record), separators=(",", ":"))


def record_from_json(text: str) -> NoteRecord:
    return decode_record(json.loads(text))


def encode_record(record: NoteRecord) -> list[Any]:
    """A record as plain JSON values (the reverse of :func:`decode_record`)."""
    links = record.links
    return [
        str(record.path),
        record.rel,
        [[item.rule, item.first_line, item.last_line, list(item.place), item.comment] for item in record.suppressions],
        record.frontmatter_end,
        [encode_problem(problem, record.path) for problem in record.problems],
        None
        if links is None
        else [[_encode_link(link) for link in links.links], links.splits, list(links.lines.starts)],
        None if record.facts is None else encode_facts(record.facts),
    ]


def decode_record(value: list[Any]) -> NoteRecord:
    from vaultcheck.core.positions import LineIndex
    from vaultcheck.engine.record import NoteRecord
    from vaultcheck.links.source import LinkSource
    from vaultcheck.note.suppressions import Suppression

    path_text, rel, suppressions, frontmatter_end, problems, links, facts = value
    path = Path(path_text)
    source = None
    if links is not None:
        refs, splits, starts = links
        source = LinkSource(
            path,
            rel,
            tuple(_decode_link(ref) for ref in refs),
            tuple((start, end, text) for start, end, text in splits),
            LineIndex.from_starts(starts),
        )
    return NoteRecord(
        path,
        rel,
        tuple(
            Suppression(sys.intern(rule), first, last, (place[0], place[1], place[2], place[3]), comment)
            for rule, first, last, place, comment in suppressions
        ),
        frontmatter_end,
        tuple(decode_problem(problem, path) for problem in problems),
        source,
        None if facts is None else decode_facts(facts),
    )


def encode_problem(problem: Problem, path: Path) -> list[Any]:
    fix: list[Any] | None = None
    if problem.fix is not None:
        fix = [[e.start, e.end, e.replacement] for e in problem.fix.edits]
        if not problem.fix.safe:  # an unsafe fix ends with a marker no edit is
            fix.append(None)
    encoded = [
        problem.line, problem.column, problem.end_line, problem.end_column,
        problem.rule, problem.message, problem.severity.value, fix, problem.excerpt,
    ]
    return encoded if problem.path == path else [*encoded, str(problem.path)]


def decode_problem(value: list[Any], path: Path) -> Problem:
    from vaultcheck.core.problem import Edit, Fix, Problem, severity_named

    line, column, end_line, end_column, rule, message, severity, fix, excerpt = value[:9]
    return Problem(
        Path(value[9]) if len(value) > 9 else path,
        line, column, end_line, end_column, sys.intern(rule), message, severity_named(severity),
        None if fix is None else Fix(tuple(Edit(*edit) for edit in fix if edit is not None), None not in fix),
        excerpt,
    )


def _encode_link(link: LinkRef) -> list[Any]:
    return [link.kind, link.embed, link.start, link.end, link.target, link.subpath, link.alias, link.raw]


def _decode_link(value: list[Any]) -> LinkRef:
    from vaultcheck.note.syntax.model import LinkRef

    kind, embed, start, end, target, subpath, alias, raw = value
    # The few words every link repeats are shared, not one copy per link (memory).
    return LinkRef(_LINK_KINDS[kind], embed, start, end, target, sys.intern(subpath), alias, raw)


def encode_facts(facts: NoteFacts) -> list[Any]:
    return [[list(heading) for heading in facts.headings], list(facts.block_ids), list(facts.aliases)]


def decode_facts(value: list[Any]) -> NoteFacts:
    from vaultcheck.links.targets import NoteFacts

    headings, block_ids, aliases = value
    return NoteFacts.known(
        tuple((level, text) for level, text in headings), tuple(block_ids), tuple(aliases)
    )


