"""Reporters print problems; everything else only returns them.

Each reporter is a function ``report(problems, context, stream)``, looked up by the
name given to ``--format``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import ClassVar, TextIO

from vaultcheck.core.problem import Problem
from vaultcheck.reporters.context import ReportContext

Reporter = Callable[[Sequence[Problem], ReportContext, TextIO], None]


class _Reporters(Mapping[str, Reporter]):
    """The reporters by format name, each module imported when its format is asked for:
    a run that prints text does not load the XML library behind JUnit (start-up time)."""

    MODULES: ClassVar[dict[str, str]] = {
        "text": "text",
        "json": "json_format",
        "github": "github",
        "sarif": "sarif",
        "junit": "junit",
        "gitlab": "gitlab",
    }

    def __getitem__(self, name: str) -> Reporter:
        module = importlib.import_module(f"{__name__}.{self.MODULES[name]}")
        report: Reporter = module.report
        return report

    def __iter__(self) -> Iterator[str]:
        return iter(self.MODULES)

    def __len__(self) -> int:
        return len(self.MODULES)


REPORTERS: Mapping[str, Reporter] = _Reporters()

__all__ = ["REPORTERS", "ReportContext", "Reporter"]
