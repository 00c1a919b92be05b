"""The problems a run found, note by note, in report order.

A note whose problems come from the store keeps them as stored (:class:`Stored`): the
text report's lines, ready but for the path, and the problems' JSON, decoded only when
something asks for the problems themselves (another format, a suppression comment, a
baseline). A warm run over a large vault reports hundreds of thousands of problems;
making each a value again would cost more than the rest of the run.

:class:`Found` is a sequence of :class:`~vaultcheck.problem.Problem` like any other
(iterating it decodes what is stored), and answers the questions a summary asks
(how many per rule, how many fixable, in how many notes, any error) without decoding.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import overload

from vaultcheck.core.problem import Problem, Severity, text_line
from vaultcheck.engine.record_json import decode_problem, encode_problem


class StoredProblemsDamaged(RuntimeError):
    """Problems kept in the store do not decode: the store was damaged after it was read."""


@dataclass(frozen=True)
class Stored:
    """One note's problems as the store keeps them, all at ``path``, in report order.

    ``lines`` holds each problem's text line without its path (:func:`text_line`),
    each ended by ``\\n``; ``packed`` the problems' JSON (:func:`encode_problems`),
    compressed after a CRC-32 of the compressed bytes (:func:`pack`); ``rules`` how many
    problems each rule found; ``fixable`` and ``errors`` how many have a fix, and how
    many are errors.
    """

    path: Path
    lines: str
    packed: bytes
    rules: tuple[tuple[str, int], ...]
    fixable: int
    errors: int

    @property
    def count(self) -> int:
        return sum(count for _rule, count in self.rules)

    def problems(self) -> list[Problem]:
        try:
            return decode_problems(zlib.decompress(self.packed[4:]).decode("utf-8"), self.path)
        except (ValueError, TypeError, KeyError, IndexError, zlib.error) as error:
            raise StoredProblemsDamaged(
                f"the problems the cache keeps for {self.path} do not decode ({error}): remove"
                " the cache folder and run again"
            ) from None

    @classmethod
    def of(cls, path: Path, problems: Sequence[Problem]) -> Stored:
        """The stored form of a note's problems (all at ``path``, in report order)."""
        rules = Counter(problem.rule for problem in problems)
        return cls(
            path,
            "".join(text_line(problem) + "\n" for problem in problems),
            pack(encode_problems(problems, path)),
            tuple(sorted(rules.items())),
            sum(problem.fix is not None and problem.fix.safe for problem in problems),
            sum(problem.severity is Severity.ERROR for problem in problems),
        )


def pack(text: str) -> bytes:
    """``text`` compressed, after the CRC-32 of the compressed bytes (see :func:`intact`)."""
    data = zlib.compress(text.encode("utf-8"), 1)
    return zlib.crc32(data).to_bytes(4, "big") + data


def intact(packed: object) -> bool:
    """True when ``packed`` is bytes :func:`pack` made, as far as its CRC-32 tells."""
    return (
        isinstance(packed, bytes) and len(packed) > 4
        and zlib.crc32(packed[4:]) == int.from_bytes(packed[:4], "big")
    )


#: A block of :class:`Found`: one note's problems as stored, or problems as values.
Block = Stored | tuple[Problem, ...]


class Found(Sequence[Problem]):
    """Problems in report order (:meth:`Problem.sort_key`), some of them kept as stored."""

    def __init__(self, blocks: Iterable[Block] = ()) -> None:
        self.blocks: tuple[Block, ...] = tuple(
            block for block in blocks if (block.rules if isinstance(block, Stored) else block)
        )

    @classmethod
    def of(cls, stored: Iterable[Stored], loose: Iterable[Problem]) -> Found:
        """The stored notes' problems and ``loose`` ones, in report order: a stored note
        that also has loose problems is decoded and merged with them."""
        by_path: dict[str, list[Problem]] = {}
        for problem in loose:
            by_path.setdefault(str(problem.path), []).append(problem)
        blocks: dict[str, Block] = {}
        for item in stored:
            blocks[str(item.path)] = item
        for key, problems in by_path.items():
            known = blocks.get(key)
            if isinstance(known, Stored):
                problems = [*known.problems(), *problems]
            problems.sort(key=Problem.sort_key)
            blocks[key] = tuple(problems)
        return cls(blocks[key] for key in sorted(blocks))

    @cached_property
    def _values(self) -> list[Problem]:
        values: list[Problem] = []
        for block in self.blocks:
            values.extend(block.problems() if isinstance(block, Stored) else block)
        return values

    def __len__(self) -> int:
        return sum(block.count if isinstance(block, Stored) else len(block) for block in self.blocks)

    @overload
    def __getitem__(self, index: int) -> Problem: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Problem]: ...
    def __getitem__(self, index: int | slice) -> Problem | Sequence[Problem]:
        return self._values[index]

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._values)

    def __bool__(self) -> bool:
        return bool(self.blocks)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def keep(self, wanted: Callable[[Path], bool], judge: Callable[[list[Problem]], Sequence[Problem]]) -> Found:
        """The blocks of notes ``wanted`` as they are; every other block decoded and passed
        through ``judge``, which returns the problems it keeps, in order."""
        blocks: list[Block] = []
        for block in self.blocks:
            if isinstance(block, Stored) and wanted(block.path):
                blocks.append(block)
            else:
                problems = block.problems() if isinstance(block, Stored) else list(block)
                blocks.append(tuple(judge(problems)))
        return Found(blocks)

    def rule_counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for block in self.blocks:
            if isinstance(block, Stored):
                for rule, count in block.rules:
                    counts[rule] += count
            else:
                counts.update(problem.rule for problem in block)
        return counts

    def fixable(self) -> int:
        return sum(
            block.fixable if isinstance(block, Stored) else sum(p.fix is not None and p.fix.safe for p in block)
            for block in self.blocks
        )

    def has_errors(self) -> bool:
        return any(
            block.errors if isinstance(block, Stored) else any(p.severity is Severity.ERROR for p in block)
            for block in self.blocks
        )

    def affected(self) -> int:
        """How many files have problems."""
        paths: set[Path] = set()
        for block in self.blocks:
            if isinstance(block, Stored):
                paths.add(block.path)
            else:
                paths.update(problem.path for problem in block)
        return len(paths)


def rule_counts(problems: Sequence[Problem]) -> Counter[str]:
    """Problems per rule, of any sequence of problems."""
    if isinstance(problems, Found):
        return problems.rule_counts()
    return Counter(problem.rule for problem in problems)


def fixable(problems: Sequence[Problem]) -> int:
    if isinstance(problems, Found):
        return problems.fixable()
    return sum(problem.fix is not None and problem.fix.safe for problem in problems)


def has_errors(problems: Sequence[Problem]) -> bool:
    if isinstance(problems, Found):
        return problems.has_errors()
    return any(problem.severity is Severity.ERROR for problem in problems)


def affected(problems: Sequence[Problem]) -> int:
    """How many files have problems."""
    if isinstance(problems, Found):
        return problems.affected()
    return len({problem.path for problem in problems})


def encode_problems(problems: Iterable[Problem], path: Path) -> str:
    """Problems of the note at ``path`` as JSON text (the reverse of :func:`decode_problems`)."""
    return json.dumps([encode_problem(problem, path) for problem in problems], separators=(",", ":"))


def decode_problems(text: str, path: Path) -> list[Problem]:
    return [decode_problem(value, path) for value in json.loads(text)]
