"""``--format text``: one ``path:line:col: rule message`` line per problem, then a summary.

Colour only when the context asks for it (a terminal, and ``NO_COLOR`` unset).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from vaultcheck.core.printable import printable
from vaultcheck.core.problem import Problem, Severity, text_line
from vaultcheck.engine.found import Found, Stored, affected, fixable
from vaultcheck.engine.found import rule_counts as counts_by_rule
from vaultcheck.reporters.context import ReportContext

_BOLD = "\033[1m"
_RED = "\033[31m"
_YELLOW = "\033[33m"
_RESET = "\033[0m"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def format_problem(problem: Problem, context: ReportContext) -> str:
    color = context.color
    if not color:
        return f"{printable(context.display_path(problem.path))}:{text_line(problem)}"
    where = _paint(
        f"{printable(context.display_path(problem.path))}:{problem.line}:{problem.column}:", _BOLD, color
    )
    is_warning = problem.severity is Severity.WARNING
    rule = _paint(problem.rule, _YELLOW if is_warning else _RED, color)
    label = f"{rule} (warning)" if is_warning else rule
    return f"{where} {label} {printable(problem.message)}"


def headline(problems: Sequence[Problem], context: ReportContext) -> str:
    """``6 problems in 4 of 5 notes``, or ``5 notes checked, no problems.``"""
    notes = _plural(context.notes_checked, "note")
    if not problems:
        return f"{notes} checked, no problems."
    return f"{_plural(len(problems), 'problem')} in {affected(problems)} of {notes}"


def rule_counts(problems: Sequence[Problem]) -> list[tuple[str, int]]:
    """Problems per rule, most frequent first."""
    return sorted(counts_by_rule(problems).items(), key=lambda i: (-i[1], i[0]))


def summary(problems: Sequence[Problem], context: ReportContext) -> list[str]:
    if not problems:
        return [headline(problems, context)]
    fixes = fixable(problems)
    lines = [
        "",
        headline(problems, context)
        + (f" ({fixes} fixable with --fix)" if fixes else "")
        + ":",
    ]
    for rule, count in rule_counts(problems):
        lines.append(f"  {count:>6}  {rule}")
    return lines


def report_problems(problems: Sequence[Problem], context: ReportContext, stream: TextIO) -> None:
    """The problems alone, no summary (``--quiet``)."""
    if not isinstance(problems, Found) or context.color:
        stream.writelines(format_problem(problem, context) + "\n" for problem in problems)
        return
    for block in problems.blocks:  # stored lines lack only their path
        if isinstance(block, Stored):
            where = f"{printable(context.display_path(block.path))}:"
            stream.write(where + block.lines[:-1].replace("\n", "\n" + where) + "\n")
        else:
            stream.writelines(format_problem(problem, context) + "\n" for problem in block)


def report(problems: Sequence[Problem], context: ReportContext, stream: TextIO) -> None:
    report_problems(problems, context, stream)
    stream.writelines(line + "\n" for line in summary(problems, context))
