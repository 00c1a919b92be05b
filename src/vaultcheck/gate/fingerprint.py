"""Stable identities for problems, for CI systems that track findings across commits.

A problem's fingerprint hashes its rule, its note's vault path, the offending text
(the characters of its span, newlines normalised and surrounding whitespace
stripped) and its message with every number blanked, never its line or column. So a
finding keeps its fingerprint when lines are inserted or removed elsewhere in the
note, and a message such as "first defined on line 2" survives a line added above
it. Identical findings in one note are told apart by their order: the second one
gets a different fingerprint from the first.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from vaultcheck.core.problem import Problem

_NUMBER = re.compile(r"\d+")


def fingerprint_key(problem: Problem, rel: str) -> tuple[str, str, str, str]:
    """What identifies a problem independently of where the note's lines moved:
    rule, vault path, offending text (its excerpt) and the message without its numbers."""
    return (problem.rule, rel, problem.excerpt or "", _NUMBER.sub("0", problem.message))


def fingerprints(problems: Sequence[Problem], root: Path) -> list[str]:
    """One fingerprint per problem, in order, from the problems alone (each carries its
    excerpt: no note is read)."""
    seen: Counter[tuple[str, str, str, str]] = Counter()
    result: list[str] = []
    for problem in problems:
        key = fingerprint_key(problem, Path(os.path.relpath(problem.path, root)).as_posix())
        occurrence = seen[key]
        seen[key] += 1
        material = "\0".join((*key, str(occurrence)))
        result.append(hashlib.sha256(material.encode("utf-8", "surrogateescape")).hexdigest())
    return result
