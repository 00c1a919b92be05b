"""The ``vaultcheck`` command line.

``main(argv) -> int`` is the only entry point; nothing below it exits or prints
problems, so tests call it directly and compare its output.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from vaultcheck import __version__

EXIT_CLEAN = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

EXAMPLES = """\
examples:
  vaultcheck check                          check the whole vault
  vaultcheck check Videos/ People/ada.md    check some folders and notes
  vaultcheck check --schema video-note .    validate frontmatter with a shipped schema
  vaultcheck check --select frontmatter     run one rule family
  vaultcheck check --format json > out.json machine-readable output
  vaultcheck rules                          list every rule

exit status: 0 no problems, 1 problems found, 2 usage, config or schema error
"""


class UsageError(Exception):
    """Bad command line: reported in one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _split_rules(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def build_parser() -> argparse.ArgumentParser:
    from vaultcheck.reporters import REPORTERS

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
        "--format", choices=sorted(REPORTERS), default="text", help="output format (default: text)"
    )
    check.add_argument(
        "--schema",
        metavar="SCHEMA",
        help="frontmatter schema for every note: a shipped name (obsidian-note, video-note)"
        " or a JSON file; wins over config",
    )
    check.add_argument("--config", type=Path, metavar="FILE", help="use this config file")
    check.add_argument(
        "--select", action="append", metavar="RULES", help="only these rules or families (comma-separated)"
    )
    check.add_argument(
        "--ignore", action="append", metavar="RULES", help="skip these rules or families (comma-separated)"
    )
    commands.add_parser("rules", help="list every rule", description="List every rule.")
    return parser


def _use_color(stream: TextIO) -> bool:
    return "NO_COLOR" not in os.environ and stream.isatty()


def run_check(args: argparse.Namespace, stdout: TextIO) -> int:
    from vaultcheck.config import find_config_file, load_config
    from vaultcheck.reporters import REPORTERS, ReportContext
    from vaultcheck.runner import check_paths, select_rules
    from vaultcheck.vault import Vault, find_root

    cwd = Path.cwd()
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    root = find_root(args.paths, cwd)
    config_file = args.config.resolve() if args.config else find_config_file(root)
    if args.config and not args.config.is_file():
        raise UsageError(f"config file {args.config} does not exist")
    config = load_config(config_file, base=root)
    selection = select_rules(config, _split_rules(args.select), _split_rules(args.ignore) or ())
    vault = Vault(root=root, config=config, schema_override=args.schema)
    vault.load_schemas()
    problems, notes_checked = check_paths(vault, args.paths, selection)
    context = ReportContext(cwd=cwd, root=root, notes_checked=notes_checked, color=_use_color(stdout))
    REPORTERS[args.format](problems, context, stdout)
    failed = any(problem.severity.value == "error" for problem in problems)
    return EXIT_PROBLEMS if failed else EXIT_CLEAN


def list_rules(stdout: TextIO) -> int:
    from vaultcheck.rules import RULES

    width = max(map(len, RULES))
    for rule in RULES.values():
        note = "" if rule.enabled_by_default else " (off by default)"
        stdout.write(f"{rule.name:<{width}}  {rule.family:<12} {rule.summary}{note}\n")
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status instead of exiting."""
    from vaultcheck.config import ConfigError

    stdout, stderr = sys.stdout, sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command == "check":
            return run_check(args, stdout)
        if args.command == "rules":
            return list_rules(stdout)
        parser.print_help(stdout)
        return EXIT_USAGE
    except SystemExit as done:  # --help and --version
        return int(done.code or 0)
    except UsageError as error:
        stderr.write(f"vaultcheck: error: {error}\n")
        return EXIT_USAGE
    except ConfigError as error:
        stderr.write(f"vaultcheck: error: {error}\n")
        return EXIT_USAGE
