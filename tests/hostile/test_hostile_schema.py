"""Schema patterns run on strangers' values in linear time; unusable schemas stop the run."""

from __future__ import annotations

import json
import subprocess
import sys


def schema_vault(vault, schema, note):
    return vault({
        ".vaultcheck.toml": 'schema = "schema.json"\n',
        "schema.json": json.dumps(schema),
        "note.md": note,
    })


def check_in_child(root):
    """``vaultcheck check note.md`` in a child process, which a hang would fail by timeout."""
    return subprocess.run(
        [sys.executable, "-m", "vaultcheck", "check", "note.md"],
        cwd=root, capture_output=True, text=True, timeout=120, check=False,
    )


def test_catastrophic_pattern_on_a_long_value_finishes(vault, tmp_path):
    root = schema_vault(
        vault,
        {"properties": {"title": {"type": "string", "pattern": "^(a+)+$"}}},
        "---\ntitle: " + "a" * 100_000 + "!\n---\n",
    )
    completed = check_in_child(root)
    assert completed.returncode == 1
    assert "frontmatter-schema title: 'aaaa" in completed.stdout
    assert "does not match ^(a+)+$" in completed.stdout


def test_catastrophic_pattern_property_on_a_long_key_finishes(vault, tmp_path):
    root = schema_vault(
        vault,
        {"patternProperties": {"^(x+)+$": {"type": "string"}}, "additionalProperties": False},
        "---\n? " + "x" * 5_000 + "y\n: 1\n---\n",
    )
    completed = check_in_child(root)
    assert completed.returncode == 1
    assert "property not allowed by the schema" in completed.stdout


def test_pattern_the_linear_engine_cannot_run_is_a_schema_error(vault, run):
    root = schema_vault(
        vault, {"properties": {"a": {"pattern": "(?=x)y"}}}, "---\na: y\n---\n"
    )
    result = run("check", root)
    assert result.code == 2
    assert "at /properties/a: pattern '(?=x)y' cannot be used" in result.err
    assert "no lookaround, no backreferences" in result.err


def test_pattern_like_data_in_enum_is_not_compiled(vault, run):
    root = schema_vault(
        vault, {"properties": {"a": {"enum": [{"pattern": "(?=x)"}]}}}, "x\n"
    )
    assert run("check", root).code == 0


def test_unevaluated_properties_beside_pattern_properties_is_refused(vault, run):
    root = schema_vault(
        vault,
        {"patternProperties": {"^x": {}}, "unevaluatedProperties": False},
        "x\n",
    )
    result = run("check", root)
    assert result.code == 2
    assert "unevaluatedProperties next to patternProperties is not supported" in result.err


def test_regex_format_on_deeply_nested_value_is_a_problem_not_a_crash(vault, run):
    root = schema_vault(
        vault,
        {"properties": {"rx": {"type": "string", "format": "regex"}}},
        "---\nrx: '" + "(" * 5000 + ")" * 5000 + "'\n---\n",
    )
    result = run("check", root)
    assert result.code == 1
    assert "is not a valid regex" in result.out


def test_remote_ref_is_refused_naming_it(vault, run):
    root = schema_vault(vault, {"$ref": "https://example.com/s.json"}, "x\n")
    result = run("check", root)
    assert result.code == 2
    assert "'https://example.com/s.json'" in result.err
    assert "remote references are refused" in result.err


def test_schema_that_is_not_json_is_an_error(vault, run):
    root = vault({".vaultcheck.toml": 'schema = "s.json"\n', "s.json": "{nope", "a.md": "x\n"})
    result = run("check", root)
    assert result.code == 2
    assert "s.json:1:2: not valid JSON" in result.err


def test_config_section_wrong_type_names_file_line_and_key(vault, run):
    root = vault({
        ".vaultcheck.toml": 'schema = "obsidian-note"\n\n[severity]\nbroken-link = 3\n',
        "a.md": "x\n",
    })
    result = run("check", root)
    assert result.code == 2
    assert ".vaultcheck.toml:4: severity.broken-link:" in result.err
