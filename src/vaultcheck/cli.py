"""The ``vaultcheck`` command line.

``main(argv) -> int`` is the only entry point; nothing below it exits or prints
problems, so tests call it directly and compare its output.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import os
import secrets
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO, cast

from vaultcheck import __version__
from vaultcheck.printable import printable

if TYPE_CHECKING:
    from vaultcheck.filtering import Filtered
    from vaultcheck.note import Note
    from vaultcheck.problem import Problem
    from vaultcheck.reporters import ReportContext, Reporter
    from vaultcheck.runner import Selection
    from vaultcheck.vault import Vault

EXIT_CLEAN = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
"""128 + SIGINT, as a shell reports a program Ctrl-C ended."""
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: the reader of stdout went away, as ``git log | head`` ends."""

EXAMPLES = """\
examples:
  vaultcheck check                          check the whole vault
  vaultcheck check Videos/ People/ada.md    check some folders and notes
  vaultcheck check --schema video-note .    validate frontmatter with a shipped schema
  vaultcheck check --select frontmatter     run one rule family
  vaultcheck check --format json > out.json machine-readable output
  vaultcheck check --output sarif:out.sarif also write SARIF to a file (repeatable)
  vaultcheck check --select aliases --fix   fix alias formatting, report what is left
  vaultcheck check --diff                   show what --fix would change
  vaultcheck check --statistics             problems per rule instead of each problem
  vaultcheck check --write-baseline vaultcheck-baseline.json
                                            record today's problems
  vaultcheck check --baseline vaultcheck-baseline.json
                                            report only problems not recorded there
  vaultcheck check --diff-base origin/main  report only what the branch touched
  vaultcheck rules                          list every rule
  vaultcheck explain broken-link            what a rule checks, why, and how to fix it

exit status: 0 no problems, 1 problems found (or, with --fix, a note rewritten),
2 usage, config or schema error; --exit-zero turns 1 into 0
"""


#: The names of the reporters (``vaultcheck.reporters.REPORTERS``), spelled out here so
#: that ``--help`` and ``--version`` do not import every reporter and the rules behind them.
FORMATS = ("github", "gitlab", "json", "junit", "sarif", "text")


class UsageError(Exception):
    """Bad command line: reported in one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _split_rules(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def _output_target(value: str) -> tuple[str, Path]:
    """``FORMAT:FILE`` of ``--output``, split at the first colon, so FILE may hold colons."""
    format_name, colon, file = value.partition(":")
    if not colon or format_name not in FORMATS or not file:
        formats = ", ".join(FORMATS)
        raise argparse.ArgumentTypeError(
            f"expected FORMAT:FILE with FORMAT one of {formats}, got '{value}'"
        )
    return format_name, Path(file)


def stdout_format(requested: str | None) -> str:
    """``--format`` if given, else ``github`` inside GitHub Actions, else ``text``."""
    if requested is not None:
        return requested
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vaultcheck",
        description="Lint an Obsidian vault: frontmatter schemas, links, timestamps, aliases.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"vaultcheck {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    check = commands.add_parser(
        "check",
        help="check notes (the whole vault when no path is given)",
        description="Check notes and report problems.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="notes or folders")
    check.add_argument(
        "--format",
        choices=FORMATS,
        help="format of the report on stdout (default: text; github when GITHUB_ACTIONS=true)",
    )
    check.add_argument(
        "--output",
        action="append",
        type=_output_target,
        metavar="FORMAT:FILE",
        help="also write the report in FORMAT to FILE, e.g. sarif:vaultcheck.sarif (repeatable)",
    )
    check.add_argument(
        "--schema",
        metavar="SCHEMA",
        help="frontmatter schema for every note: a shipped name (obsidian-note, video-note)"
        " or a JSON file; wins over config",
    )
    check.add_argument("--config", type=Path, metavar="FILE", help="use this config file")
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the cache of unchanged notes in .vaultcheck_cache/",
    )
    check.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="keep the cache in DIR instead of .vaultcheck_cache/ at the vault's root",
    )
    check.add_argument(
        "--select", action="append", metavar="RULES", help="only these rules or families (comma-separated)"
    )
    check.add_argument(
        "--ignore", action="append", metavar="RULES", help="skip these rules or families (comma-separated)"
    )
    check.add_argument(
        "--fix",
        action="store_true",
        help="apply the fixes of the selected rules to the notes, then report what is left",
    )
    check.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of what --fix would change, and change nothing",
    )
    check.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when problems are found (2 still means a usage or config error)",
    )
    check.add_argument(
        "--statistics",
        action="store_true",
        help="print the number of problems per rule instead of each problem (text or json)",
    )
    check.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="report only problems not recorded in FILE (written by --write-baseline)",
    )
    check.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="record the problems found in FILE (keeping entries of notes and rules this"
        " run did not check), then report only problems not in it",
    )
    check.add_argument(
        "--diff-base",
        metavar="REF",
        help="report only problems on lines changed since the merge base of REF and HEAD"
        " (committed, staged, unstaged, untracked), plus links the change breaks",
    )
    commands.add_parser("rules", help="list every rule", description="List every rule.")
    explain = commands.add_parser(
        "explain",
        help="explain a rule: what it checks, why, an example and how to fix it",
        description="Print a rule's documentation (a family name prints each of its rules).",
    )
    explain.add_argument("rule", metavar="RULE", help="a rule name, e.g. broken-link")
    return parser


def _use_color(stream: TextIO) -> bool:
    return "NO_COLOR" not in os.environ and stream.isatty()


@dataclass
class _Fixing:
    """``--fix`` or ``--diff``, note by note: fix, then write the note or print its diff.

    Its :meth:`check` stands in for ``check_note``, so a fixed note reports the
    problems left; a note that could not be written keeps and reports all of its own.
    """

    context: ReportContext
    stdout: TextIO
    stderr: TextIO
    diff: bool
    notes_changed: int = 0
    problems_fixed: int = 0
    failed: bool = False

    def check(self, note: Note, vault: Vault, selection: Selection) -> list[Problem]:
        from vaultcheck.fixes import unified_diff
        from vaultcheck.reporters.text import _plural as plural
        from vaultcheck.runner import fix_note
        from vaultcheck.writer import StaleNote, remove_stale_temporaries, write_fixed

        if not self.diff:
            remove_stale_temporaries(note.path.parent)
        result = fix_note(note, vault, selection)
        if not result.changed:
            return result.left
        name = self.context.display_path(note.path)
        if self.diff:
            # The BOM belongs to the file's first line: without it a patch whose
            # context includes that line would not apply to the file.
            bom = "\ufeff" if note.bom else ""
            self.stdout.write(unified_diff(bom + note.text, bom + result.text, name))
        else:
            try:
                write_fixed(note, result.text)
            except StaleNote as error:
                return self._not_written(name, str(error), result.found)
            except OSError as error:
                return self._not_written(name, error.strerror or str(error), result.found)
            self.stderr.write(f"fixed {plural(result.fixed, 'problem')} in {printable(name)}\n")
        self.notes_changed += 1
        self.problems_fixed += result.fixed
        return result.left

    def diff_summary(self) -> str:
        from vaultcheck.reporters.text import _plural as plural

        if not self.notes_changed:
            return "--diff: nothing to fix\n"
        problems = plural(self.problems_fixed, "problem")
        return f"--diff: --fix would fix {problems} in {plural(self.notes_changed, 'note')}\n"

    def _not_written(self, name: str, reason: str, problems: list[Problem]) -> list[Problem]:
        self.failed = True
        self.stderr.write(f"vaultcheck: error: {printable(name)} not fixed: {printable(reason)}\n")
        return problems


def _stdout_report(args: argparse.Namespace) -> Reporter:
    """What prints to stdout: the report in its format, or with ``--statistics`` the
    problems per rule (text unless ``--format json``)."""
    from vaultcheck.reporters import REPORTERS
    from vaultcheck.reporters.statistics import STATISTICS

    if not args.statistics:
        return REPORTERS[stdout_format(args.format)]
    name = args.format or "text"
    if name not in STATISTICS:
        raise UsageError(f"--statistics prints text or json, not {name}")
    return STATISTICS[name]


def _filtering_notes(filtered: Filtered, args: argparse.Namespace) -> str:
    """What stderr says about problems found but held back by a baseline or a diff base."""
    from vaultcheck.reporters.text import _plural as plural

    lines = []
    if filtered.baseline_written is not None:
        written = plural(filtered.baseline_written, "problem")
        lines.append(f"vaultcheck: wrote {written} to the baseline {args.write_baseline}")
    held = []
    if filtered.in_baseline and filtered.baseline_written is None:
        held.append(f"{filtered.in_baseline} in the baseline {args.baseline}")
    if filtered.outside_diff:
        held.append(f"{filtered.outside_diff} on lines unchanged since {args.diff_base}")
    if held:
        total = plural(filtered.in_baseline + filtered.outside_diff, "problem")
        lines.append(f"vaultcheck: {total} not reported: {', '.join(held)}")
    return "".join(printable(line) + "\n" for line in lines)


def run_check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from vaultcheck.cache import CacheRefused, RecordCache
    from vaultcheck.config import find_config_file, load_config
    from vaultcheck.filtering import ProblemFilter, RecordingCheck
    from vaultcheck.reporters import REPORTERS, ReportContext
    from vaultcheck.reporters.github import write_step_summary
    from vaultcheck.runner import check_note, check_paths, select_rules
    from vaultcheck.vault import Vault, locate

    cwd = Path.cwd()
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    root, paths = locate(args.paths, cwd)
    for _format, target in args.output or ():
        # A pull request may commit a symlink where the report is to go.
        if target.is_symlink() and Path(os.path.abspath(target)).is_relative_to(root):
            raise UsageError(f"--output {target} is a symlink inside the vault: not written through")
    config_file = args.config.resolve() if args.config else find_config_file(root)
    if args.config and not args.config.is_file():
        raise UsageError(f"config file {args.config} does not exist")
    config = load_config(config_file, base=root)
    selection = select_rules(config, _split_rules(args.select), _split_rules(args.ignore) or ())
    vault = Vault(root=root, config=config, schema_override=args.schema, paths=tuple(paths))
    vault.load_schemas()
    stdout_report = _stdout_report(args)
    problem_filter = ProblemFilter.for_run(
        vault, selection, args.baseline, args.write_baseline, args.diff_base
    )
    context = ReportContext(cwd=cwd, root=root, notes=(), color=_use_color(stdout))
    fixing = _Fixing(context, stdout, stderr, diff=args.diff) if args.fix or args.diff else None
    recorded = RecordingCheck(fixing.check if fixing else check_note)
    cache = None
    if not (fixing or args.no_cache):
        cache_root = Path(os.path.abspath(args.cache_dir)) if args.cache_dir else None
        try:
            cache = RecordCache.open(vault, selection, cache_root)
        except CacheRefused as refused:
            stderr.write(f"vaultcheck: not using the cache: {printable(str(refused))}\n")
    # Under GitHub Actions a diff's lines (note text) must not be read as workflow commands.
    resume = secrets.token_hex(16) if args.diff and os.environ.get("GITHUB_ACTIONS") == "true" else None
    if resume is not None:
        stdout.write(f"::stop-commands::{resume}\n")
    found, notes = check_paths(
        vault, paths, selection, recorded if fixing else None, cache, recorded.saw
    )
    if resume is not None:
        stdout.write(f"::{resume}::\n")
    if fixing is not None and fixing.diff:
        stderr.write(fixing.diff_summary())
        return EXIT_PROBLEMS if fixing.notes_changed and not args.exit_zero else EXIT_CLEAN
    try:
        filtered = problem_filter.apply(found, recorded)
    except OSError as error:
        raise UsageError(f"cannot write the baseline: {error}") from None
    problems = filtered.problems
    context = dataclasses.replace(context, notes=tuple(notes))
    formats = [format_name for format_name, _target in args.output or ()]
    try:
        for format_name, target in args.output or ():
            with target.open("w", encoding="utf-8", errors="backslashreplace", newline="") as stream:
                REPORTERS[format_name](problems, dataclasses.replace(context, color=False), stream)
        stdout_report(problems, context, stdout)
        if stdout_report is REPORTERS["github"] or "github" in formats:
            write_step_summary(problems, dataclasses.replace(context, color=False), os.environ)
    except BrokenPipeError:
        raise
    except OSError as error:
        raise UsageError(f"cannot write the report: {error}") from None
    stderr.write(_filtering_notes(filtered, args))
    notice = vault.files_notice()
    if notice is not None:
        stderr.write(f"vaultcheck: {printable(notice)}\n")
    failed = any(problem.severity.value == "error" for problem in problems)
    if fixing is not None:
        if fixing.failed:
            return EXIT_PROBLEMS
        failed = failed or fixing.notes_changed > 0
    return EXIT_PROBLEMS if failed and not args.exit_zero else EXIT_CLEAN


def list_rules(stdout: TextIO) -> int:
    from vaultcheck.rules import RULES

    width = max(map(len, RULES))
    for rule in RULES.values():
        note = "" if rule.enabled_by_default else " (off by default)"
        stdout.write(f"{rule.name:<{width}}  {rule.family:<12} {rule.summary}{note}\n")
    return EXIT_CLEAN


def explain_rule(name: str, stdout: TextIO) -> int:
    """Print the documentation of a rule (of each rule of a family): what it checks,
    why, a passing and a failing example, how to fix it, then how it runs by default."""
    from vaultcheck.rules import RULES
    from vaultcheck.runner import expand_rule_names

    pages = []
    for rule in map(RULES.__getitem__, expand_rule_names([name], "explain")):
        default = "on" if rule.enabled_by_default else "off"
        pages.append(
            f"{rule.doc}\n\n(rule {rule.name}, family {rule.family},"
            f" default severity {rule.default_severity.value}, {default} by default)\n"
        )
    stdout.write("\n".join(pages))
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status instead of exiting.

    Ctrl-C ends the run with one line and status 130. A reader that goes away
    (``vaultcheck check | head -1``) ends it quietly with status 141, as ``git log |
    head`` ends; a closed stdout or stderr never stops a run half-way (a ``--fix``
    that cannot say what it fixed still fixes every note).
    """
    stdout, stderr = _stream(sys.stdout), cast(TextIO, _Tolerant(_stream(sys.stderr)))
    try:
        status = _main(argv, stdout, stderr)
        stdout.flush()
        return status
    except KeyboardInterrupt:
        stderr.write("vaultcheck: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _discard(stdout)
        return EXIT_BROKEN_PIPE


def _main(argv: Sequence[str] | None, stdout: TextIO, stderr: TextIO) -> int:
    from vaultcheck.config import ConfigError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command == "check":
            return run_check(args, stdout, stderr)
        if args.command == "rules":
            return list_rules(stdout)
        if args.command == "explain":
            return explain_rule(args.rule, stdout)
        parser.print_help(stdout)
        return EXIT_USAGE
    except SystemExit as done:  # --help and --version
        return int(done.code or 0)
    except (UsageError, ConfigError) as error:
        stderr.write(f"vaultcheck: error: {printable(str(error))}\n")
        return EXIT_USAGE


def _stream(stream: TextIO | None) -> TextIO:
    """A standard stream to write to: Python sets a closed one (``>&-``) to None, which
    becomes the null device; a name byte that is not UTF-8 is written escaped (``\\udcff``)
    rather than failing the write."""
    if stream is None:
        return open(os.devnull, "w", encoding="utf-8", errors="backslashreplace")
    if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
        with contextlib.suppress(ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")
    return stream


def _discard(stdout: TextIO) -> None:
    """After the reader of stdout went away: point it at the null device, so the flush
    at exit fails no more (and prints nothing)."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stdout.fileno())
        os.close(null)


class _Tolerant(io.TextIOBase):
    """stderr for a run's messages: a write that fails (stderr closed, or its reader gone)
    is dropped, since nothing can be told there anyway and the run must go on."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        with contextlib.suppress(OSError, ValueError):
            self._stream.write(text)
            self._stream.flush()
        return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stream.flush()
