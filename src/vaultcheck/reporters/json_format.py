"""``--format json``: a JSON array of problem objects, for scripts and editors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from vaultcheck.core.printable import json_text
from vaultcheck.core.problem import Problem
from vaultcheck.reporters.context import ReportContext


def problem_record(problem: Problem, context: ReportContext) -> dict[str, Any]:
    return {
        "path": context.display_path(problem.path),
        "line": problem.line,
        "column": problem.column,
        "end_line": problem.end_line,
        "end_column": problem.end_column,
        "rule": problem.rule,
        "severity": problem.severity.value,
        "message": problem.message,
        "fixable": problem.fix is not None,
    }


def report(problems: Sequence[Problem], context: ReportContext, stream: TextIO) -> None:
    """One problem object a line: valid JSON, easy to grep, and written by json's C encoder
    (indenting falls back to its pure-Python one, 20 times slower on a big vault)."""
    records = [json.dumps(problem_record(problem, context), ensure_ascii=False) for problem in problems]
    stream.write(json_text("[\n  " + ",\n  ".join(records) + "\n]\n") if records else "[]\n")
