"""``--format junit``: JUnit XML, for any CI that shows test reports (GitLab, Jenkins, Azure).

One ``testsuite`` named ``vaultcheck`` holding one ``testcase`` per checked note:
``name`` is the note's file name, ``classname`` its folder in the vault (``.`` for the
vault root) and ``file`` its path in the repository. A note with errors fails with
a single ``failure`` that lists every problem of the note, one
``path:line:col: rule message`` line each (warnings included): JUnit readers show
one failure per test case and some drop all but the first, so one failure per
note is the form every reader shows in full. A note with only warnings passes, its
warnings in ``system-out``, as warnings do not fail the run; a clean note passes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TextIO
from xml.etree import ElementTree

from vaultcheck.core.printable import printable
from vaultcheck.core.problem import Problem, Severity
from vaultcheck.reporters.context import ReportContext
from vaultcheck.reporters.text import format_problem

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (control characters, lone
    surrogates), each replaced by U+FFFD, so the report always parses."""
    return _NOT_XML.sub("\ufffd", text)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def testcase(
    note: Path, problems: Sequence[Problem], context: ReportContext
) -> ElementTree.Element:
    rel = PurePosixPath(context.vault_path(note))
    element = ElementTree.Element(
        "testcase",
        classname=xml_text(printable(str(rel.parent))),
        name=xml_text(printable(rel.name)),
        file=xml_text(printable(context.repo_path(note))),
    )
    if not problems:
        return element
    plain = dataclasses.replace(context, color=False)
    listing = "".join(format_problem(problem, plain) + "\n" for problem in problems)
    if any(problem.severity is Severity.ERROR for problem in problems):
        rules = ", ".join(dict.fromkeys(problem.rule for problem in problems))
        failure = ElementTree.SubElement(
            element,
            "failure",
            message=xml_text(f"{_plural(len(problems), 'problem')}: {rules}"),
            type="vaultcheck",
        )
        failure.text = xml_text(listing)
    else:
        ElementTree.SubElement(element, "system-out").text = xml_text(listing)
    return element


def junit_tree(problems: Sequence[Problem], context: ReportContext) -> ElementTree.Element:
    by_note: dict[Path, list[Problem]] = {note: [] for note in context.notes}
    for problem in problems:
        by_note.setdefault(problem.path, []).append(problem)
    cases = [testcase(note, found, context) for note, found in by_note.items()]
    failures = sum(case.find("failure") is not None for case in cases)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0", "skipped": "0"}
    attributes = {"name": "vaultcheck", **counts}
    suites = ElementTree.Element("testsuites", attributes)
    suite = ElementTree.SubElement(suites, "testsuite", attributes)
    suite.extend(cases)
    return suites


def report(problems: Sequence[Problem], context: ReportContext, stream: TextIO) -> None:
    tree = ElementTree.ElementTree(junit_tree(problems, context))
    ElementTree.indent(tree)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    tree.write(stream, encoding="unicode")
    stream.write("\n")
