"""Configuration: where it is found, what it may say, and that mistakes stop the run (exit 2)."""

from __future__ import annotations

import json


def problems(result) -> list[tuple[str, str]]:
    return [(p["path"], p["rule"]) for p in json.loads(result.out)]


def test_dedicated_file_maps_schemas_by_path(vault, run):
    root = vault({
        ".vaultcheck.toml": '[schemas]\n"Videos/**" = "video-note"\n',
        "Videos/v.md": "---\ntitle: v\n---\n",
        "People/p.md": "---\ntitle: p\n---\n",
    })
    result = run("check", "--format", "json", ".", cwd=root)
    assert problems(result) == [("Videos/v.md", "frontmatter-schema")]


def test_pyproject_table_is_read(vault, run):
    root = vault({
        "pyproject.toml": '[project]\nname = "notes"\n\n[tool.vaultcheck]\nschema = "video-note"\n',
        "a.md": "no frontmatter\n",
    })
    result = run("check", "--format", "json", cwd=root)
    assert problems(result) == [("a.md", "frontmatter-schema")] * 2


def test_schema_path_is_relative_to_the_config_file(vault, run):
    root = vault({
        ".vaultcheck.toml": 'schema = "meta/note.json"\n',
        "meta/note.json": json.dumps({"required": ["status"]}),
        "a.md": "---\ntitle: x\n---\n",
    })
    result = run("check", "--format", "json", root / "a.md", cwd=root.parent)
    assert problems(result) == [("vault/a.md", "frontmatter-schema")]


def test_command_line_schema_wins_over_config(vault, run):
    root = vault({
        ".vaultcheck.toml": 'schema = "video-note"\n',
        "a.md": "---\ntitle: x\n---\n",
    })
    assert run("check", "--schema", "obsidian-note", root).code == 0


def test_exclude_globs_skip_notes(vault, run):
    root = vault({
        ".vaultcheck.toml": 'exclude = ["Templates/**", "*.draft.md"]\n',
        "Templates/t.md": "---\n- not a mapping\n---\n",
        "idea.draft.md": "---\n- not a mapping\n---\n",
        "ok.md": "fine\n",
    })
    result = run("check", root)
    assert result.code == 0
    assert result.out == "1 note checked, no problems.\n"


def test_unknown_key_is_an_error_with_file_and_line(vault, run):
    root = vault({".vaultcheck.toml": 'schema = "video-note"\nexclued = ["x"]\n', "a.md": "x\n"})
    result = run("check", root)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("vaultcheck: error: ")
    assert ".vaultcheck.toml:2: exclued: unknown key 'exclued'" in result.err


def test_unknown_key_in_pyproject_names_the_table(vault, run):
    root = vault({"pyproject.toml": "[tool.vaultcheck]\nschemaa = 1\n", "a.md": "x\n"})
    result = run("check", root)
    assert result.code == 2
    assert "pyproject.toml:2: tool.vaultcheck.schemaa: unknown key" in result.err


def test_wrong_type_is_an_error(vault, run):
    root = vault({".vaultcheck.toml": 'exclude = "Templates/**"\n', "a.md": "x\n"})
    result = run("check", root)
    assert result.code == 2
    assert ".vaultcheck.toml:1: exclude: 'Templates/**' is not of type 'array'" in result.err


def test_invalid_toml_is_an_error(vault, run):
    root = vault({".vaultcheck.toml": "schema = \n", "a.md": "x\n"})
    result = run("check", root)
    assert result.code == 2
    assert "invalid TOML" in result.err
    assert "line 1" in result.err


def test_unknown_rule_in_select_is_an_error(vault, run):
    result = run("check", "--select", "frontmatter-sintax", vault({"a.md": "x\n"}))
    assert result.code == 2
    assert "unknown rule 'frontmatter-sintax'" in result.err


def test_severity_warning_does_not_fail_the_run(vault, run):
    root = vault({
        ".vaultcheck.toml": '[severity]\nfrontmatter-syntax = "warning"\n',
        "a.md": "---\na: 1\na: 2\n---\n",
    })
    result = run("check", root / "a.md", cwd=root)
    assert result.code == 0
    assert "a.md:3:1: frontmatter-syntax (warning) duplicate key 'a'" in result.out


def test_severity_off_disables_a_rule(vault, run):
    root = vault({
        ".vaultcheck.toml": '[severity]\nfrontmatter-syntax = "off"\n',
        "a.md": "---\na: 1\na: 2\n---\n",
    })
    assert run("check", root).code == 0


def test_explicit_config_file(vault, run, tmp_path):
    config = tmp_path / "elsewhere.toml"
    config.write_text('schema = "video-note"\n')
    root = vault({"a.md": "x\n"})
    assert run("check", "--config", config, root).code == 1


def test_missing_explicit_config_file(vault, run, tmp_path):
    result = run("check", "--config", tmp_path / "nope.toml", vault({"a.md": "x\n"}))
    assert result.code == 2
    assert "nope.toml does not exist" in result.err
