"""The command line as users meet it: help, version, exit codes and the reporters' exact output."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from vaultcheck import __version__
from vaultcheck.rules.registry import RULES

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "reporters"
UPDATE = os.environ.get("VAULTCHECK_UPDATE_GOLDEN") == "1"


def compare_golden(name: str, actual: str) -> None:
    expected_path = GOLDEN / name
    if UPDATE:
        expected_path.write_text(actual, encoding="utf-8")
    assert actual == expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_reporter_golden_output(run, fmt):
    result = run("check", "--format", fmt, "--select", "frontmatter,unreadable-file",
                 "vault", cwd=GOLDEN)
    assert result.code == 1
    assert result.err == ""
    compare_golden(f"expected.{fmt}", result.out)


def test_json_records_have_the_documented_fields(run):
    result = run("check", "--format", "json", "--select", "frontmatter", "vault", cwd=GOLDEN)
    records = json.loads(result.out)
    assert records
    for record in records:
        assert {"path", "line", "column", "rule", "severity", "message"} <= set(record)
        assert "\\" not in record["path"] and record["path"].startswith("vault/")


def test_clean_vault_prints_one_summary_line(vault, run):
    root = vault({"a.md": "---\ntitle: a\n---\nText.\n", "b.md": "Plain.\n"})
    result = run("check", root)
    assert (result.code, result.out, result.err) == (0, "2 notes checked, no problems.\n", "")


def test_clean_vault_in_json_is_an_empty_array(vault, run):
    result = run("check", "--format", "json", vault({"a.md": "x\n"}))
    assert (result.code, json.loads(result.out)) == (0, [])


def test_no_colour_when_not_a_terminal(vault, run, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    result = run("check", vault({"a.md": "---\na: 1\na: 1\n---\n"}))
    assert "\033[" not in result.out


def test_colour_on_a_terminal_unless_no_color(monkeypatch):
    from vaultcheck.cli import _use_color

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert _use_color(Terminal())
    monkeypatch.setenv("NO_COLOR", "")
    assert not _use_color(Terminal())


def test_version(run):
    result = run("--version")
    assert (result.code, result.out) == (0, f"vaultcheck {__version__}\n")


def test_help_has_examples(run):
    result = run("check", "--help")
    assert result.code == 0
    assert "examples:" in result.out and "vaultcheck check --schema video-note" in result.out


def test_no_command_prints_help_and_fails(run):
    result = run()
    assert result.code == 2
    assert "usage: vaultcheck" in result.out


def test_unknown_option_is_a_one_line_usage_error(run):
    result = run("check", "--frobnicate")
    assert result.code == 2
    assert result.out == ""
    assert result.err == "vaultcheck: error: unrecognized arguments: --frobnicate\n"


def test_unknown_format_is_a_usage_error(run):
    result = run("check", "--format", "xml")
    assert result.code == 2
    assert "invalid choice: 'xml'" in result.err


def test_rules_lists_every_rule_with_a_description(run):
    result = run("rules")
    assert result.code == 0
    lines = result.out.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)
    assert all(len(line.split()) > 2 for line in lines)


def test_select_runs_only_the_named_rules(vault, run):
    root = vault({"a.md": "---\na: 1\na: 2\n---\n"})
    assert run("check", "--select", "frontmatter-schema", root).code == 0
    assert run("check", "--select", "frontmatter-syntax", root).code == 1


def test_ignore_skips_a_rule(vault, run):
    root = vault({"a.md": "---\na: 1\na: 2\n---\n"})
    assert run("check", "--ignore", "frontmatter-syntax", root).code == 0


def test_run_goes_on_after_an_unreadable_note(vault, run):
    root = vault({"a.md": b"caf\xe9\n", "b.md": "---\n- list\n---\n"})
    result = run("check", "--format", "json", root)
    rules = [(Path(p["path"]).name, p["rule"], p["line"]) for p in json.loads(result.out)]
    assert rules == [("a.md", "unreadable-file", 1), ("b.md", "frontmatter-syntax", 2)]


def test_the_command_line_knows_every_reporter_by_name():
    from vaultcheck.cli import FORMATS
    from vaultcheck.reporters import REPORTERS

    assert sorted(FORMATS) == sorted(REPORTERS)
