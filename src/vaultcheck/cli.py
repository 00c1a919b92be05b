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
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO, cast

from vaultcheck import __version__
from vaultcheck.core.printable import printable

if TYPE_CHECKING:
    from vaultcheck.core.problem import Problem
    from vaultcheck.engine.record import NoteRecord
    from vaultcheck.engine.repair import Repaired
    from vaultcheck.gate.gate import Filtered, ProblemFilter
    from vaultcheck.reporters import ReportContext, Reporter
    from vaultcheck.rules.api import RuleContext
    from vaultcheck.rules.selection import Selection
    from vaultcheck.vault.config import Config
    from vaultcheck.vault.vault import Vault

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
    check.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="notes or folders; - reads one note from stdin"
    )
    check.add_argument(
        "--stdin-filename",
        type=Path,
        metavar="PATH",
        help="with -, the path of the note read from stdin (for its links, config and output)",
    )
    check.add_argument(
        "--root",
        type=Path,
        metavar="DIR",
        help="the vault's folder (default: found from the paths, or the config's root)",
    )
    check.add_argument(
        "-q", "--quiet", action="store_true", help="print only the problems: no summary, no notes"
    )
    check.add_argument(
        "-v", "--verbose", action="store_true", help="also say which vault, config and rules run"
    )
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text report: auto (a terminal, unless NO_COLOR; FORCE_COLOR forces it)",
    )
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
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff, also apply fixes that guess (a broken link to the one near name)",
    )
    check.add_argument(
        "--show-fixes",
        action="store_true",
        help="with --fix or --diff, list the problems fixed in each note, by rule",
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
    # For benchmarks: each note's CPU seconds (read, parse, rules), slowest first.
    check.add_argument("--timings", type=Path, metavar="FILE", help=argparse.SUPPRESS)
    rules = commands.add_parser("rules", help="list every rule", description="List every rule.")
    rules.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    init = commands.add_parser(
        "init",
        help="set up a repository: config, baseline of today's problems, hook and CI snippets",
        description="Write .vaultcheck.toml (the vault found below the current folder, schemas"
        " commented out) and a baseline of today's problems, then print the pre-commit and"
        " GitHub Actions snippets for this repository. Run it at the repository's top.",
    )
    init.add_argument("--root", type=Path, metavar="DIR", help="the vault's folder (default: found)")
    init.add_argument(
        "--baseline",
        metavar="FILE",
        default="vaultcheck-baseline.json",
        help="the baseline to write (default: vaultcheck-baseline.json)",
    )
    explain = commands.add_parser(
        "explain",
        help="explain a rule: what it checks, why, an example and how to fix it",
        description="Print a rule's documentation (a family name prints each of its rules).",
    )
    explain.add_argument("rule", metavar="RULE", help="a rule name, e.g. broken-link")
    return parser


def _use_color(stream: TextIO, choice: str = "auto") -> bool:
    """``--color always|never``; with ``auto``, ``FORCE_COLOR`` (set, not empty or ``0``)
    colours, ``NO_COLOR`` does not, else colour on a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    return "NO_COLOR" not in os.environ and stream.isatty()


class _ProgressLine:
    """``done/total notes checked, N notes/s`` on stderr, redrawn in place, once a run
    has taken longer than ``after`` seconds; :meth:`close` erases it."""

    def __init__(self, stream: TextIO, clock: Callable[[], float], after: float = 1.0) -> None:
        self.stream = stream
        self.clock = clock
        self.after = after
        self.started = clock()
        self.drawn = -1.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        elapsed = now - self.started
        if elapsed < self.after or (now - self.drawn < 0.2 and done < total):
            return
        self.drawn = now
        rate = done / elapsed if elapsed > 0 else 0.0
        self.stream.write(f"\r\033[K{done}/{total} notes checked, {rate:.0f} notes/s")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _progress_line(args: argparse.Namespace, stderr: TextIO) -> _ProgressLine | None:
    """A progress line for a person at a terminal: never with --quiet, in CI formats, or
    when stderr is not a terminal."""
    import time

    people = stdout_format(args.format) == "text" and not args.quiet
    return _ProgressLine(stderr, time.monotonic) if people and stderr.isatty() else None


def _stdin_name(args: argparse.Namespace) -> Path | None:
    """The note ``check -`` reads from stdin: ``--stdin-filename``, else ``stdin.md``."""
    reading = [str(path) for path in args.paths].count("-")
    if not reading:
        if args.stdin_filename is not None:
            raise UsageError("--stdin-filename names the note read with -; give - as the path")
        return None
    if len(args.paths) > 1:
        raise UsageError("- reads one note from stdin; give no other path with it")
    if args.fix or args.diff:
        raise UsageError("--fix and --diff rewrite files; they do not read stdin")
    return Path(os.path.abspath(args.stdin_filename or "stdin.md"))


def _inside_vault(
    paths: list[Path], root: Path, stderr: TextIO, quiet: bool, names: Sequence[Path] = ()
) -> list[Path]:
    """The paths to check in the vault at ``root``: a folder holding the vault stands for
    the whole vault (``vaultcheck check .`` at the top of a repository whose vault is
    ``notes/``); files and folders outside it (README.md, passed by a hook) are skipped."""
    kept: list[Path] = []
    skipped: list[str] = []
    for index, path in enumerate(paths):
        # By name, not through symlinks: a symlinked note is read_note's to refuse and report.
        resolved = Path(os.path.abspath(path))
        if root.is_relative_to(resolved):
            kept.append(root)
        elif resolved.is_relative_to(root):
            kept.append(path)
        else:
            skipped.append(str(names[index] if index < len(names) else path))
    if skipped and not quiet:
        outside = printable(", ".join(skipped))
        stderr.write(f"vaultcheck: skipped, outside the vault at {printable(str(root))}: {outside}\n")
    if skipped and not kept and os.environ.get("PRE_COMMIT") != "1":
        raise UsageError(f"nothing to check: every path is outside the vault at {root}")
    return kept


def _check_stdin(
    path: Path, rules_context: RuleContext, selection: Selection, recorded: Callable[..., list[Problem]],
    problem_filter: ProblemFilter,
) -> tuple[list[Problem], list[Path]]:
    """Check the note read from stdin as if it stood at ``path`` in the vault."""
    from vaultcheck.note.note import Note

    vault = rules_context.vault
    if not vault.contains(path.parent if not path.exists() else path):
        raise UsageError(f"--stdin-filename {path} is outside the vault at {vault.root}")
    note = Note.from_bytes(path, vault.relative(path), sys.stdin.buffer.read())
    problem_filter.remember(note)
    found = recorded(note, rules_context, selection)
    found.sort(key=lambda problem: problem.sort_key())
    return found, [path]


def _fixed_line(fixing: _Fixing) -> str:
    """What a fixing hook says when it rewrote notes: one line, asking to re-stage."""
    from vaultcheck.reporters.text import _plural as plural

    names = fixing.changed_names
    shown = ", ".join(map(printable, names[:5])) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return (
        f"vaultcheck: rewrote {plural(len(names), 'note')} ({plural(fixing.problems_fixed, 'problem')}"
        f" fixed): {shown}; review and re-stage them (git add)\n"
    )


def _verbose_lines(root: Path, config: Config, selection: Selection, paths: list[Path]) -> str:
    where = printable(str(config.source or "none (defaults)"))
    scope = printable(", ".join(map(str, paths))) if paths else "the whole vault"
    root_name = printable(str(root))
    return (
        f"vaultcheck: vault {root_name}\nvaultcheck: config {where}\n"
        f"vaultcheck: rules {', '.join(rule.name for rule in selection.rules)}\n"
        f"vaultcheck: checking {scope}\n"
    )


@dataclass
class _Fixing:
    """What ``--fix`` or ``--diff`` did, taken from each note's record as the run makes
    them (the notes are fixed where they are checked: see :func:`records.fix_record`).

    ``--diff`` prints each changed note's diff; ``--fix`` reports each note it could
    not write, and :meth:`summary` counts the rest.
    """

    context: ReportContext
    stdout: TextIO
    stderr: TextIO
    diff: bool
    notes_changed: int = 0
    problems_fixed: int = 0
    failed: bool = False
    announce: bool = True
    changed_names: list[str] = dataclasses.field(default_factory=list)
    #: The problems fixed in each changed note, by rule; and each one's diff (``--diff``).
    by_note: dict[str, Counter[str]] = dataclasses.field(default_factory=dict)
    diffs: dict[Path, str] = dataclasses.field(default_factory=dict)

    def saw(self, record: NoteRecord) -> None:
        outcome = record.fix
        if outcome is not None:
            self._changed(record.path, outcome.by_rule, outcome.diff, outcome.failure)

    def repaired(self, repaired: Repaired) -> None:
        """A note the link repairs changed (after the fixes of its own rules, if any):
        its diff replaces the earlier one, and it counts as one note changed."""
        self._changed(repaired.path, repaired.by_rule, repaired.diff, repaired.failure)

    def _changed(
        self, path: Path, by_rule: tuple[tuple[str, int], ...], diff: str, failure: str | None
    ) -> None:
        if failure is not None:
            self.failed = True
            name = self.context.display_path(path)
            self.stderr.write(f"vaultcheck: error: {printable(name)} not fixed: {printable(failure)}\n")
            return
        name = self.context.display_path(path)
        if path not in self.diffs:
            self.changed_names.append(name)
            self.notes_changed += 1
        self.diffs[path] = diff
        self.by_note.setdefault(name, Counter()).update(dict(by_rule))
        self.problems_fixed += sum(count for _rule, count in by_rule)

    def write_diffs(self) -> None:
        """The diffs of the changed notes, once the link repairs are known."""
        for diff in self.diffs.values():
            self.stdout.write(diff)

    def summary(self) -> str:
        """One line for stderr: how many problems in how many notes were (or would be) fixed."""
        problems = _count(self.problems_fixed, "problem")
        notes = _count(self.notes_changed, "note")
        if self.diff:
            if not self.notes_changed:
                return "--diff: nothing to fix\n"
            return f"--diff: --fix would fix {problems} in {notes}\n"
        return f"fixed {problems} in {notes}\n" if self.notes_changed else ""

    def listing(self) -> str:
        """``--show-fixes``: the problems fixed in each note, by rule, in vault order."""
        lines = []
        for name, by_rule in sorted(self.by_note.items()):
            lines.append(f"- {printable(name)}:\n")
            lines.extend(f"    {count:,} × {rule}\n" for rule, count in sorted(by_rule.items()))
        return "".join(lines)


def _count(number: int, word: str) -> str:
    """``1 note``, ``18,573 notes``."""
    return f"{number:,} {word}" if number == 1 else f"{number:,} {word}s"


def _stdout_report(args: argparse.Namespace) -> Reporter:
    """What prints to stdout: the report in its format, or with ``--statistics`` the
    problems per rule (text unless ``--format json``)."""
    from vaultcheck.reporters import REPORTERS
    from vaultcheck.reporters.statistics import STATISTICS

    if not args.statistics:
        if args.quiet and stdout_format(args.format) == "text":
            from vaultcheck.reporters.text import report_problems

            return report_problems
        return REPORTERS[stdout_format(args.format)]
    name = args.format or "text"
    if name not in STATISTICS:
        raise UsageError(f"--statistics prints text or json, not {name}")
    return STATISTICS[name]


def _filtering_notes(filtered: Filtered, args: argparse.Namespace, root: Path | None = None) -> str:
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
    if filtered.baseline_unmatched:
        entries = plural(filtered.baseline_unmatched, "entry").replace("entrys", "entries")
        lines.append(
            f"vaultcheck: warning: the baseline {args.baseline or args.write_baseline} has"
            f" {entries} and none names a note of the vault at {root};"
            " was it written for another vault root? (see --root)"
        )
    return "".join(printable(line) + "\n" for line in lines)


def _check_schema_names(vault: Vault) -> None:
    """A schema name that is neither shipped nor a file, but near a shipped name, is a
    typo: say so, rather than that a file of that name is missing."""
    from vaultcheck.links.suggest import did_you_mean
    from vaultcheck.vault.schemas import SHIPPED_SCHEMAS

    config = vault.config
    references = [(vault.schema_override, Path.cwd())] if vault.schema_override else [
        (reference, config.base)
        for reference in [config.schema, *(schema for _glob, schema in config.schemas)]
    ]
    for reference, base in references:
        if not reference or reference in SHIPPED_SCHEMAS or (base / reference).exists():
            continue
        hint = did_you_mean(reference, SHIPPED_SCHEMAS)
        if hint and "/" not in reference and not reference.endswith(".json"):
            raise UsageError(f"no shipped schema '{reference}'{hint}")


def run_check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from vaultcheck.engine.check import check_note, rule_context
    from vaultcheck.engine.found import has_errors
    from vaultcheck.engine.record import FixMode
    from vaultcheck.engine.repair import repair_links
    from vaultcheck.engine.run import check_paths
    from vaultcheck.engine.store import CacheRefused, Store
    from vaultcheck.gate.gate import ProblemFilter, RecordingCheck
    from vaultcheck.reporters import REPORTERS, ReportContext
    from vaultcheck.reporters.github import write_step_summary
    from vaultcheck.rules.frontmatter_schema import NAME as SCHEMA_RULE
    from vaultcheck.rules.selection import select_rules
    from vaultcheck.vault.root import locate_vault
    from vaultcheck.vault.vault import Vault

    cwd = Path.cwd()
    if args.show_fixes and not (args.fix or args.diff):
        raise UsageError("--show-fixes lists what --fix or --diff fixed; give one of them")
    stdin_name = _stdin_name(args)
    missing = [str(path) for path in args.paths if not path.exists() and stdin_name is None]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if args.config and not args.config.is_file():
        raise UsageError(f"config file {args.config} does not exist")
    if args.root is not None and not args.root.is_dir():
        raise UsageError(f"--root {args.root} is not a folder")
    config_file = args.config.resolve() if args.config else None
    named = [stdin_name] if stdin_name is not None else args.paths
    root, config, located = locate_vault(named, cwd, args.root, config_file)
    paths = [] if stdin_name else _inside_vault(located, root, stderr, args.quiet, args.paths)
    for _format, target in args.output or ():
        # A pull request may commit a symlink where the report is to go.
        if target.is_symlink() and Path(os.path.abspath(target)).is_relative_to(root):
            raise UsageError(f"--output {target} is a symlink inside the vault: not written through")
    selection = select_rules(config, _split_rules(args.select), _split_rules(args.ignore) or ())
    vault = Vault(root=root, config=config, schema_override=args.schema, paths=tuple(paths))
    _check_schema_names(vault)
    if SCHEMA_RULE in selection.severities:  # else jsonschema is never imported
        vault.load_schemas()
    rules_context = rule_context(vault)
    rules_context.links.guesses = args.unsafe_fixes and bool(args.fix or args.diff)
    stdout_report = _stdout_report(args)
    problem_filter = ProblemFilter.for_run(
        vault, rules_context.links, selection, args.baseline, args.write_baseline, args.diff_base
    )
    context = ReportContext(cwd=cwd, root=root, notes=(), color=_use_color(stdout, args.color))
    fixing = _Fixing(context, stdout, stderr, diff=args.diff) if args.fix or args.diff else None
    hook = os.environ.get("PRE_COMMIT") == "1"
    if fixing is not None:
        fixing.announce = not (args.quiet or hook)
    recorded = RecordingCheck(check_note, keep_links=args.diff_base is not None)
    if args.verbose:
        stderr.write(_verbose_lines(root, config, selection, paths))
    cache = None
    if not (fixing or args.no_cache or stdin_name):
        cache_root = Path(os.path.abspath(args.cache_dir)) if args.cache_dir else None
        try:
            cache = Store.open(vault, selection, cache_root)
        except CacheRefused as refused:
            stderr.write(f"vaultcheck: not using the cache: {printable(str(refused))}\n")
    # Under GitHub Actions a diff's lines (note text) must not be read as workflow commands.
    resume = secrets.token_hex(16) if args.diff and os.environ.get("GITHUB_ACTIONS") == "true" else None
    if resume is not None:
        stdout.write(f"::stop-commands::{resume}\n")
    fix = None if fixing is None else FixMode(not fixing.diff, context, args.unsafe_fixes)
    timings: list[tuple[float, Path]] = []

    def saw(record: NoteRecord) -> None:
        recorded.saw(record)
        if fixing is not None:
            fixing.saw(record)
        if record.seconds is not None:
            timings.append((record.seconds, record.path))

    found: Sequence[Problem]
    if stdin_name is not None:
        found, notes = _check_stdin(stdin_name, rules_context, selection, recorded, problem_filter)
    else:
        progress = _progress_line(args, stderr)
        found, notes = check_paths(
            rules_context, paths, selection, fix, cache, saw, recorded.looked_at, progress=progress,
            whole_records=recorded.keep_links,
        )
        if progress is not None:
            progress.close()
        if fix is not None and fixing is not None:
            found, repaired = repair_links(rules_context, found, selection, fix)
            for item in repaired:
                fixing.repaired(item)
    if fixing is not None:
        fixing.write_diffs()
    if resume is not None:
        stdout.write(f"::{resume}::\n")
    if fixing is not None:
        if fixing.diff or fixing.announce or args.show_fixes:
            stderr.write(fixing.summary())
        if args.show_fixes:
            stderr.write(fixing.listing())
        if fixing.diff:
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
        rewrote = fixing is not None and hook and fixing.notes_changed > 0
        if rewrote and fixing is not None:
            stderr.write(_fixed_line(fixing))
        if problems or not rewrote:
            stdout_report(problems, context, stdout)
        if stdout_report is REPORTERS["github"] or "github" in formats:
            write_step_summary(problems, dataclasses.replace(context, color=False), os.environ)
    except BrokenPipeError:
        raise
    except OSError as error:
        raise UsageError(f"cannot write the report: {error}") from None
    notes_text = _filtering_notes(filtered, args, root)
    if args.quiet:
        notes_text = "".join(line for line in notes_text.splitlines(True) if "warning" in line)
    stderr.write(notes_text)
    notice = vault.files_notice()
    if notice is not None and not args.quiet:
        stderr.write(f"vaultcheck: {printable(notice)}\n")
    if args.verbose:
        from vaultcheck.reporters.text import _plural as plural

        checked, problems_found = plural(len(notes), "note"), plural(len(found), "problem")
        stderr.write(f"vaultcheck: {checked} checked, {problems_found} found\n")
    if args.timings is not None:
        _write_timings(args.timings, timings, context)
    failed = has_errors(problems)
    if fixing is not None:
        if fixing.failed:
            return EXIT_PROBLEMS
        failed = failed or fixing.notes_changed > 0
    return EXIT_PROBLEMS if failed and not args.exit_zero else EXIT_CLEAN


def _write_timings(file: Path, timings: list[tuple[float, Path]], context: ReportContext) -> None:
    """``seconds<TAB>path`` a line, slowest note first: the notes made afresh this run."""
    lines = [f"{seconds:.6f}\t{context.display_path(path)}\n" for seconds, path in sorted(timings, reverse=True)]
    try:
        file.write_text("".join(lines), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write the timings: {error}") from None


def run_init(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """``vaultcheck init``: config, baseline, then the snippets to paste."""
    import io

    from vaultcheck.init import actions_snippet, config_text, find_vaults, precommit_snippet
    from vaultcheck.vault.config import CONFIG_FILE, PYPROJECT, has_vaultcheck_table

    cwd = Path.cwd()
    config_path, baseline = cwd / CONFIG_FILE, Path(args.baseline)
    if config_path.exists() or has_vaultcheck_table(cwd / PYPROJECT):
        raise UsageError(f"{config_path.name if config_path.exists() else PYPROJECT} already"
                         " configures vaultcheck here; vaultcheck init starts from none")
    if baseline.exists():
        raise UsageError(f"{baseline} exists already; vaultcheck init writes a new baseline")
    if args.root is not None:
        root = args.root.resolve()
        if not root.is_dir() or not root.is_relative_to(cwd.resolve()):
            raise UsageError(f"--root {args.root} is not a folder below {cwd}")
    else:
        vaults = find_vaults(cwd)
        if len(vaults) > 1:
            names = ", ".join(vault.relative_to(cwd).as_posix() for vault in vaults)
            raise UsageError(f"several vaults here ({names}); choose one with --root")
        root = vaults[0].resolve() if vaults else cwd.resolve()
    rel = root.relative_to(cwd.resolve()).as_posix()
    with config_path.open("x", encoding="utf-8") as stream:
        stream.write(config_text(rel))
    where = "this folder" if rel == "." else f"{rel}/"
    stdout.write(f"vaultcheck: wrote {CONFIG_FILE} (the vault: {where}; schemas commented out)\n")
    stdout.flush()
    check = build_parser().parse_args(["check", "--write-baseline", str(baseline), "--no-cache"])
    code = run_check(check, io.StringIO(), stderr)
    if code != EXIT_CLEAN:
        return code
    stdout.write(
        f"\nCommit {CONFIG_FILE} and {baseline}: from now on only new problems fail.\n"
        "Fix old ones when you can, then run"
        f" `vaultcheck check --write-baseline {baseline}` again.\n\n"
        "For pre-commit:\n\n"
        + precommit_snippet(str(baseline))
        + "\nFor GitHub Actions (annotations, and alerts in code scanning):\n\n"
        + actions_snippet(str(baseline))
    )
    return EXIT_CLEAN


def list_rules(stdout: TextIO, format_name: str = "text") -> int:
    from vaultcheck.rules.registry import RULES

    if format_name == "json":
        import json

        records = [
            {
                "name": rule.name,
                "family": rule.family,
                "summary": rule.summary,
                "default_severity": rule.default_severity.value,
                "enabled_by_default": rule.enabled_by_default,
            }
            for rule in RULES.values()
        ]
        stdout.write(json.dumps(records, indent=2) + "\n")
        return EXIT_CLEAN
    width = max(map(len, RULES))
    for rule in RULES.values():
        note = "" if rule.enabled_by_default else " (off by default)"
        stdout.write(f"{rule.name:<{width}}  {rule.family:<12} {rule.summary}{note}\n")
    return EXIT_CLEAN


def explain_rule(name: str, stdout: TextIO) -> int:
    """Print the documentation of a rule (of each rule of a family): what it checks,
    why, a passing and a failing example, how to fix it, then how it runs by default."""
    from vaultcheck.rules.registry import RULES
    from vaultcheck.rules.selection import expand_rule_names

    pages = []
    for rule in map(RULES.__getitem__, expand_rule_names([name], "explain")):
        default = "on" if rule.enabled_by_default else "off"
        pages.append(
            f"{rule.text}\n\n(rule {rule.name}, family {rule.family},"
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
    from vaultcheck.vault.config import ConfigError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command == "check":
            return run_check(args, stdout, stderr)
        if args.command == "init":
            return run_init(args, stdout, stderr)
        if args.command == "rules":
            return list_rules(stdout, args.format)
        if args.command == "explain":
            return explain_rule(args.rule, stdout)
        parser.print_help(stdout)
        return EXIT_USAGE
    except SystemExit as done:  # --help and --version
        return int(done.code or 0)
    except (UsageError, ConfigError) as error:
        stderr.write(f"vaultcheck: error: {printable(str(error))}\n")
        return EXIT_USAGE
    except RuntimeError as error:
        from vaultcheck.engine.found import StoredProblemsDamaged
        from vaultcheck.engine.pool import WorkerLost  # loaded already when a pool ran

        if not isinstance(error, (WorkerLost, StoredProblemsDamaged)):
            raise
        stderr.write(f"vaultcheck: error: {error}\n")
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
