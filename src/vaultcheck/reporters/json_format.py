"""``--format json``: a JSON array of problem objects, for scripts and editors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from vaultcheck.problem import Problem
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
    records = [problem_record(problem, context) for problem in problems]
    json.dump(records, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
