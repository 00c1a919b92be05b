"""``--format gitlab``: GitLab Code Quality JSON, for the merge request widget.

A JSON array with one issue per problem: ``description`` (rule and message),
``check_name`` (the rule), ``fingerprint`` (from :mod:`vaultcheck.gate.fingerprint`: rule,
note, offending text and message, never the line number, so GitLab does not report a
finding as fixed and new again when lines are inserted above it), ``severity``
(``error`` is ``major``, ``warning`` is ``minor``) and ``location`` with the path
relative to the git repository and the lines the problem spans.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from vaultcheck.core.printable import json_text
from vaultcheck.core.problem import Problem, Severity
from vaultcheck.gate.fingerprint import fingerprints
from vaultcheck.reporters.context import ReportContext

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def issue_record(problem: Problem, context: ReportContext, fingerprint: str) -> dict[str, Any]:
    return {
        "type": "issue",
        "description": f"{problem.rule}: {problem.message}",
        "check_name": problem.rule,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[problem.severity],
        "location": {
            "path": context.repo_path(problem.path),
            "lines": {"begin": problem.line, "end": problem.end_line},
        },
    }


def report(problems: Sequence[Problem], context: ReportContext, stream: TextIO) -> None:
    records = [
        issue_record(problem, context, fingerprint)
        for problem, fingerprint in zip(problems, fingerprints(problems, context.root), strict=True)
    ]
    stream.write(json_text(json.dumps(records, indent=2, ensure_ascii=False)))
    stream.write("\n")
