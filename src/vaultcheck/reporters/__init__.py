"""Reporters print problems; everything else only returns them.

Each reporter is a function ``report(problems, context, stream)``, looked up by the
name given to ``--format``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TextIO

from vaultcheck.problem import Problem
from vaultcheck.reporters import github, gitlab, json_format, junit, sarif, text
from vaultcheck.reporters.context import ReportContext

Reporter = Callable[[Sequence[Problem], ReportContext, TextIO], None]

REPORTERS: dict[str, Reporter] = {
    "text": text.report,
    "json": json_format.report,
    "github": github.report,
    "sarif": sarif.report,
    "junit": junit.report,
    "gitlab": gitlab.report,
}

__all__ = ["REPORTERS", "ReportContext", "Reporter"]
