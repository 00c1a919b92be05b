"""Selection and exit options of the gate: per-file-ignores, --exit-zero, --statistics, explain."""

from __future__ import annotations

import json

import pytest

from vaultcheck.rules.registry import FAMILIES, RULES

DUPLICATE = "---\nname: Ada\nname: Ada Lovelace\n---\n"
BROKEN = "See [[Babbage]].\n"


# per-file-ignores ----------------------------------------------------------------------


def rules_reported(run, root, *args: str) -> list[str]:
    result = run("check", "--format", "json", *args, cwd=root)
    return [f"{p['path']}:{p['rule']}" for p in json.loads(result.out)]


def test_per_file_ignores_skips_rules_for_matching_notes(vault, run):
    root = vault(
        {
            ".vaultcheck.toml": '[per-file-ignores]\n"Templates/**" = ["broken-link"]\n',
            "Templates/Person.md": DUPLICATE + BROKEN,
            "People/Ada.md": BROKEN,
        }
    )
    assert rules_reported(run, root) == [
        "People/Ada.md:broken-link",
        "Templates/Person.md:frontmatter-syntax",
    ]


def test_per_file_ignores_takes_families_and_gitignore_globs(vault, run):
    root = vault(
        {
            ".vaultcheck.toml": '[per-file-ignores]\n"Inbox*.md" = ["links", "frontmatter"]\n',
            "Inbox 2024.md": DUPLICATE + BROKEN,
            "Archive/Inbox old.md": BROKEN,
        }
    )
    assert rules_reported(run, root) == []


def test_per_file_ignores_in_pyproject(vault, run):
    root = vault(
        {
            "pyproject.toml": '[tool.vaultcheck.per-file-ignores]\n"a.md" = ["broken-link"]\n',
            "a.md": BROKEN,
        }
    )
    assert rules_reported(run, root) == []


def test_per_file_ignores_with_an_unknown_rule_is_a_config_error(vault, run):
    root = vault({".vaultcheck.toml": '[per-file-ignores]\n"a.md" = ["broken-links"]\n', "a.md": BROKEN})
    result = run("check", cwd=root)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(
        f"vaultcheck: error: {root / '.vaultcheck.toml'}: per-file-ignores 'a.md': unknown rule 'broken-links'"
    )


def test_per_file_ignores_must_list_rules(vault, run):
    root = vault({".vaultcheck.toml": '[per-file-ignores]\n"a.md" = "broken-link"\n', "a.md": BROKEN})
    result = run("check", cwd=root)
    assert result.code == 2
    assert "per-file-ignores.a.md: 'broken-link' is not of type 'array'" in result.err


# --exit-zero ---------------------------------------------------------------------------


def test_exit_zero_reports_problems_and_exits_zero(vault, run):
    root = vault({"a.md": DUPLICATE})
    plain = run("check", cwd=root)
    zero = run("check", "--exit-zero", cwd=root)
    assert (plain.code, zero.code) == (1, 0)
    assert zero.out == plain.out


def test_exit_zero_keeps_usage_errors(vault, run):
    root = vault({"a.md": DUPLICATE})
    assert run("check", "--exit-zero", "--select", "nope", cwd=root).code == 2


def test_exit_zero_with_fix_exits_zero_after_rewriting(vault, run):
    root = vault({"a.md": "[[a | b]]\n", "b.md": "B\n"})
    assert run("check", "--select", "aliases", "--fix", "--exit-zero", cwd=root).code == 0
    assert (root / "a.md").read_text(encoding="utf-8") == "[[a|b]]\n"


# --statistics --------------------------------------------------------------------------


@pytest.fixture
def mixed(vault):
    return vault({"a.md": DUPLICATE + BROKEN + "[[b | B]]\n", "b.md": BROKEN, "c.md": "Clean.\n"})


def test_statistics_prints_counts_per_rule_instead_of_each_problem(mixed, run):
    result = run("check", "--statistics", cwd=mixed)
    width = len("frontmatter-syntax")
    assert result.code == 1
    assert result.out == (
        f"     2  {'broken-link':<{width}}      {RULES['broken-link'].summary}\n"
        f"     1  {'alias-format':<{width}}  [*] {RULES['alias-format'].summary}\n"
        f"     1  {'frontmatter-syntax':<{width}}      {RULES['frontmatter-syntax'].summary}\n"
        "\n4 problems in 2 of 3 notes.\n[*] fixable with --fix\n"
    )


def test_statistics_in_json(mixed, run):
    records = json.loads(run("check", "--statistics", "--format", "json", cwd=mixed).out)
    assert [(r["rule"], r["count"], r["fixable"]) for r in records] == [
        ("broken-link", 2, 0),
        ("alias-format", 1, 1),
        ("frontmatter-syntax", 1, 0),
    ]
    assert records[0]["summary"] == RULES["broken-link"].summary


def test_statistics_of_a_clean_vault(vault, run):
    result = run("check", "--statistics", cwd=vault({"a.md": "Clean.\n"}))
    assert (result.code, result.out) == (0, "1 note checked, no problems.\n")


def test_statistics_keeps_output_files_whole(mixed, run):
    run("check", "--statistics", "--output", "json:all.json", cwd=mixed)
    assert len(json.loads((mixed / "all.json").read_text(encoding="utf-8"))) == 4


@pytest.mark.parametrize("fmt", ["github", "sarif", "junit", "gitlab"])
def test_statistics_in_other_formats_is_a_usage_error(mixed, run, fmt):
    result = run("check", "--statistics", "--format", fmt, cwd=mixed)
    assert (result.code, result.err) == (2, f"vaultcheck: error: --statistics prints text or json, not {fmt}\n")


# explain -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", RULES)
def test_explain_prints_what_why_example_and_fix_of_every_rule(run, name):
    result = run("explain", name)
    rule = RULES[name]
    assert result.code == 0
    assert result.out.startswith(f"{name}: ")
    assert rule.text in result.out  # the documentation, as plain text
    for part in ("Passes", "Fails", "Fix"):
        assert part in result.out
    default = "on" if rule.enabled_by_default else "off"
    assert result.out.endswith(
        f"(rule {name}, family {rule.family}, default severity {rule.default_severity.value},"
        f" {default} by default)\n"
    )


def test_explain_a_family_prints_each_of_its_rules(run):
    out = run("explain", "links").out
    assert [name for name in RULES if out.count(f"(rule {name},")] == list(FAMILIES["links"])


def test_explain_an_unknown_rule_is_a_usage_error(run):
    result = run("explain", "broken-links")
    assert (result.code, result.out) == (2, "")
    assert result.err == "vaultcheck: error: explain: unknown rule 'broken-links' (did you mean broken-link?)\n"
    far = run("explain", "zzzz")
    assert far.err.startswith("vaultcheck: error: explain: unknown rule 'zzzz' (known: ")


def test_rules_lists_unused_suppression_as_off_by_default(run):
    line = next(line for line in run("rules").out.splitlines() if line.startswith("unused-suppression"))
    assert line.endswith("(off by default)")
