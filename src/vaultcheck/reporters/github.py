"""``--format github``: GitHub Actions workflow commands, one annotation per problem.

Each problem becomes ``::error file=PATH,line=L,col=C,endLine=..,endColumn=..,title=RULE::
PATH:L:C: MESSAGE`` (``::warning`` for warnings), which GitHub shows on the changed
lines of a pull request. The message repeats the location so the raw log stays
readable. Paths are relative to the git repository, as GitHub names files. Values
are escaped as GitHub's runner unescapes them: ``%``, CR and LF in the message, and
also ``:`` and ``,`` in properties, where they would end a property.

When ``GITHUB_STEP_SUMMARY`` names a file, the command line appends a Markdown job
summary to it (:func:`write_step_summary`, once per run however many reports use this
format): problems per rule, then the first :data:`SUMMARY_LIMIT` problems as a table,
each linked to its line when ``GITHUB_SERVER_URL``, ``GITHUB_REPOSITORY`` and
``GITHUB_SHA`` are set. Links ask for the source view (``?plain=1``): GitHub renders
Markdown files, and a rendered file has no line anchors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TextIO
from urllib.parse import quote

from vaultcheck.core.printable import printable
from vaultcheck.core.problem import Problem, Severity
from vaultcheck.reporters.context import ReportContext
from vaultcheck.reporters.text import headline, rule_counts

SUMMARY_LIMIT = 50
"""Problems listed in the job summary; the rest are counted, not listed."""

_DATA_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_PROPERTY_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~$])")
_LINE_BREAK = re.compile(r"\r\n?|\n")


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's runner expects."""
    return text.translate(_DATA_ESCAPES)


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=...``): ``:`` and ``,`` escaped too."""
    return text.translate(_PROPERTY_ESCAPES)


def format_command(problem: Problem, context: ReportContext) -> str:
    path = printable(context.repo_path(problem.path))
    command = "warning" if problem.severity is Severity.WARNING else "error"
    properties = {
        "file": path,
        "line": problem.line,
        "col": problem.column,
        "endLine": problem.end_line,
        "endColumn": problem.end_column,
        "title": problem.rule,
    }
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    message = f"{path}:{problem.line}:{problem.column}: {printable(problem.message)}"
    return f"::{command} {joined}::{escape_data(message)}"


def escape_markdown(text: str) -> str:
    """Text for a Markdown table cell: one line, no markup, no cell breaks, no math
    (GitHub renders ``$...$`` as LaTeX)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(_LINE_BREAK.sub(" ", text)))


def blob_url(environ: Mapping[str, str]) -> str | None:
    """``https://github.com/OWNER/REPO/blob/SHA``: where files of this run are shown, if known."""
    parts = [
        environ.get(name, "") for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")
    ]
    if not all(parts):
        return None
    server, repository, sha = parts
    return f"{server.rstrip('/')}/{repository}/blob/{sha}"


def _location_cell(problem: Problem, context: ReportContext, blob: str | None) -> str:
    path = context.repo_path(problem.path)
    label = escape_markdown(f"{path}:{problem.line}")
    if blob is None:
        return label
    return f"[{label}]({blob}/{quote(path, errors='surrogateescape')}?plain=1#L{problem.line})"


def step_summary(
    problems: Sequence[Problem], context: ReportContext, environ: Mapping[str, str]
) -> str:
    """The Markdown job summary of a run: the headline, problems per rule, the first problems."""
    lines = ["## vaultcheck", "", headline(problems, context).rstrip(".") + "."]
    if problems:
        lines += ["", "| rule | problems |", "| --- | ---: |"]
        lines += [f"| `{rule}` | {count} |" for rule, count in rule_counts(problems)]
        blob = blob_url(environ)
        lines += ["", "| severity | location | rule | message |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {problem.severity.value} | {_location_cell(problem, context, blob)}"
            f" | `{problem.rule}` | {escape_markdown(problem.message)} |"
            for problem in problems[:SUMMARY_LIMIT]
        ]
        if len(problems) > SUMMARY_LIMIT:
            lines += ["", f"Only the first {SUMMARY_LIMIT} of {len(problems)} problems are listed."]
    return "\n".join(lines) + "\n"


def write_step_summary(
    problems: Sequence[Problem], context: ReportContext, environ: Mapping[str, str]
) -> None:
    """Append the job summary to the file ``GITHUB_STEP_SUMMARY`` names, if it names one."""
    summary_file = environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(step_summary(problems, context, environ))


def report(problems: Sequence[Problem], context: ReportContext, stream: TextIO) -> None:
    """The annotations and a last plain line with the totals."""
    stream.writelines(format_command(problem, context) + "\n" for problem in problems)
    stream.write(headline(problems, context).rstrip(".") + ".\n")
