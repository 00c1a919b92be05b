"""``--format sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run. ``tool.driver.rules`` describes every rule of vaultcheck (not only those
selected), so a viewer can explain any result: the summary as short description, the
rule's documentation up to its examples as full description, the whole documentation
(examples and how to fix) as help in plain text, a ``helpUri``, and the default level.
Results point at their note by a URI relative to the git repository's top (GitHub code
scanning reads it so, and ignores ``originalUriBaseIds``; outside git, relative to the
current folder), with ``uriBaseId`` ``SRCROOT``, which ``originalUriBaseIds`` maps to
that folder's ``file:`` URI for other viewers. So a vault in ``notes/`` gets
``notes/Home.md``. Regions use 1-based lines and columns counted in Unicode code
points, as every vaultcheck position is.
Each result carries the stable fingerprint of :mod:`vaultcheck.gate.fingerprint` as a
partial fingerprint, so code scanning tracks a finding across commits.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO
from urllib.parse import quote

from vaultcheck import __version__
from vaultcheck.core.printable import json_text
from vaultcheck.core.problem import Problem
from vaultcheck.gate.fingerprint import fingerprints
from vaultcheck.reporters.context import ReportContext
from vaultcheck.rules.api import Rule
from vaultcheck.rules.registry import RULES

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/vaultcheck/vaultcheck"
HELP_URI = INFORMATION_URI + "#rules"
ROOT_ID = "SRCROOT"
FINGERPRINT_ID = "vaultcheck/v1"


def full_description(rule: Rule) -> str:
    """A rule's documentation without its examples: the paragraphs before ``Passes``."""
    paragraphs = rule.text.split("\n\n")
    kept: list[str] = []
    for paragraph in paragraphs:
        if paragraph.startswith(("Passes", "Fails")):
            break
        kept.append(paragraph)
    return "\n\n".join(kept) or rule.summary


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    configuration: dict[str, Any] = {"level": rule.default_severity.value}
    if not rule.enabled_by_default:
        configuration["enabled"] = False
    return {
        "id": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full_description(rule)},
        "help": {"text": rule.text or rule.summary},
        "helpUri": HELP_URI,
        "defaultConfiguration": configuration,
        "properties": {"tags": [rule.family]},
    }


def result_record(
    problem: Problem, context: ReportContext, rule_index: int, fingerprint: str
) -> dict[str, Any]:
    return {
        "ruleId": problem.rule,
        "ruleIndex": rule_index,
        "level": problem.severity.value,
        "message": {"text": problem.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": quote(context.repo_path(problem.path), errors="surrogateescape"),
                        "uriBaseId": ROOT_ID,
                    },
                    "region": {
                        "startLine": problem.line,
                        "startColumn": problem.column,
                        "endLine": problem.end_line,
                        "endColumn": problem.end_column,
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_ID: fingerprint},
    }


def sarif_log(problems: Sequence[Problem], context: ReportContext) -> dict[str, Any]:
    """The whole SARIF log of a run, as JSON-ready data."""
    index = {name: position for position, name in enumerate(RULES)}
    results = [
        result_record(problem, context, index[problem.rule], fingerprint)
        for problem, fingerprint in zip(problems, fingerprints(problems, context.root), strict=True)
    ]
    base = context.repo_root if context.repo_root is not None and context.root.is_relative_to(
        context.repo_root
    ) else context.cwd
    root_uri = base.as_uri().rstrip("/") + "/"
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vaultcheck",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [rule_descriptor(rule) for rule in RULES.values()],
                    }
                },
                "originalUriBaseIds": {ROOT_ID: {"uri": root_uri}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def report(problems: Sequence[Problem], context: ReportContext, stream: TextIO) -> None:
    stream.write(json_text(json.dumps(sarif_log(problems, context), indent=2, ensure_ascii=False)))
    stream.write("\n")
