"""``--statistics``: problems per rule instead of each problem, in text or JSON.

Text, most frequent rule first; ``[*]`` marks rules whose problems ``--fix`` can fix::

         3  broken-link             A link whose target note or file does not exist.
         1  alias-format        [*] ...

    4 problems in 3 of 12 notes.
    [*] fixable with --fix

JSON: ``[{"rule": ..., "count": ..., "fixable": ..., "summary": ...}]`` in the same
order, ``fixable`` counting the problems ``--fix`` can fix.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any, TextIO

from vaultcheck.core.printable import json_text
from vaultcheck.core.problem import Problem
from vaultcheck.reporters.context import ReportContext
from vaultcheck.reporters.text import headline, rule_counts
from vaultcheck.rules.registry import RULES


def rule_statistics(problems: Sequence[Problem]) -> list[dict[str, Any]]:
    """One record per rule with problems, most frequent first."""
    fixable = Counter(problem.rule for problem in problems if problem.fix is not None)
    return [
        {
            "rule": rule,
            "count": count,
            "fixable": fixable[rule],
            "summary": RULES[rule].summary if rule in RULES else "",
        }
        for rule, count in rule_counts(problems)
    ]


def report_text(problems: Sequence[Problem], context: ReportContext, stream: TextIO) -> None:
    records = rule_statistics(problems)
    width = max((len(record["rule"]) for record in records), default=0)
    for record in records:
        marker = "[*]" if record["fixable"] else "   "
        stream.write(f"{record['count']:>6}  {record['rule']:<{width}}  {marker} {record['summary']}\n")
    if records:
        stream.write("\n")
    stream.write(headline(problems, context).rstrip(".") + ".\n")
    if any(record["fixable"] for record in records):
        stream.write("[*] fixable with --fix\n")


def report_json(problems: Sequence[Problem], context: ReportContext, stream: TextIO) -> None:
    stream.write(json_text(json.dumps(rule_statistics(problems), indent=2, ensure_ascii=False)))
    stream.write("\n")


STATISTICS = {"text": report_text, "json": report_json}
"""The formats ``--statistics`` prints in, by ``--format`` name."""
