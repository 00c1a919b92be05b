"""The command-line habits users bring from ruff and markdownlint-cli2: did-you-mean,
plain-text explain, rules as JSON, --quiet, --verbose, --color, stdin, progress."""

from __future__ import annotations

import json

import pytest

from vaultcheck.rules import RULES


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "--select", "broken-links"], "--select: unknown rule 'broken-links' (did you mean broken-link?)"),
        (["check", "--ignore", "timestamp"], "--ignore: unknown rule 'timestamp' (did you mean timestamps?)"),
        (["explain", "brokenlink"], "explain: unknown rule 'brokenlink' (did you mean broken-link?)"),
        (["check", "--schema", "video-notes"], "no shipped schema 'video-notes' (did you mean video-note?)"),
    ],
)
def test_a_mistyped_name_gets_did_you_mean(vault, run, args, message):
    root = vault({"a.md": "Text.\n"})
    result = run(*args, cwd=root)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"vaultcheck: error: {message}\n"


def test_an_unknown_name_with_nothing_near_lists_the_known_ones(vault, run):
    result = run("check", "--select", "zzzz", cwd=vault({"a.md": "Text.\n"}))
    assert "unknown rule 'zzzz' (known: unreadable-file," in result.err


@pytest.mark.parametrize(
    "file, text, where",
    [
        (".vaultcheck.toml", 'exclude = []\n[severity]\nbroken-links = "warning"\n', ".vaultcheck.toml:3: severity.broken-links"),
        ("pyproject.toml", '[tool.vaultcheck]\nselect = ["frontmater"]\n', "pyproject.toml:2: tool.vaultcheck.select"),
    ],
)
def test_an_unknown_rule_in_config_names_its_line(vault, run, file, text, where):
    root = vault({"a.md": "Text.\n", file: text})
    result = run("check", cwd=root)
    assert result.code == 2
    assert result.err.startswith(f"vaultcheck: error: {root / where}: unknown rule ")
    assert "(did you mean " in result.err


def test_a_missing_schema_file_is_not_taken_for_a_shipped_name(vault, run):
    result = run("check", "--schema", "schemas/video-note.json", cwd=vault({"a.md": "Text.\n"}))
    assert result.code == 2 and "no shipped schema" not in result.err


@pytest.mark.parametrize("rule", RULES)
def test_explain_prints_plain_text(run, rule):
    result = run("explain", rule)
    assert result.code == 0
    assert "``" not in result.out
    assert "::\n" not in result.out


def test_rules_as_json_lists_every_rule(run):
    result = run("rules", "--format", "json")
    records = json.loads(result.out)
    assert [record["name"] for record in records] == list(RULES)
    assert records[0].keys() == {"name", "family", "summary", "default_severity", "enabled_by_default"}


def test_statistics_explains_its_marker(vault, run):
    root = vault({"a.md": "See [[a | b]] and [[Gone]].\n"})
    result = run("check", "--statistics", cwd=root)
    assert result.out.endswith("2 problems in 1 of 1 note.\n[*] fixable with --fix\n")
    clean = run("check", "--statistics", "--select", "broken-link", cwd=root)
    assert "[*]" not in clean.out
