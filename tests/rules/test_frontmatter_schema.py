"""frontmatter-schema: validation against JSON Schema, at the offending key, never the network."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

VIDEO = "---\ntitle: Letting go\nvideoId: tvpDLpCf1jU\n---\n\nBody.\n"


def schema_problems(run, root: Path, *args: str) -> list[tuple[int, int, str]]:
    result = run("check", "--format", "json", "--select", "frontmatter", *args, root)
    assert result.err == "", result.err
    return [(p["line"], p["column"], p["message"]) for p in json.loads(result.out)]


def write_schema(folder: Path, name: str, schema: dict) -> Path:
    path = folder / name
    path.write_text(json.dumps(schema))
    return path


def test_video_note_passes_shipped_schema(vault, run):
    assert schema_problems(run, vault({"a.md": VIDEO}), "--schema", "video-note") == []


def test_pattern_violation_names_key_and_pattern(vault, run):
    root = vault({"a.md": "---\ntitle: x\nvideoId: tooShort\n---\n"})
    assert schema_problems(run, root, "--schema", "video-note") == [
        (3, 1, "videoId: 'tooShort' does not match ^[A-Za-z0-9_-]{11}$")
    ]


def test_wrong_type_points_at_the_key(vault, run):
    root = vault({"a.md": "---\ntitle: x\nvideoId: tvpDLpCf1jU\ntags: 5\n---\n"})
    assert schema_problems(run, root, "--schema", "video-note") == [
        (4, 1, "tags: expected an array, a string or null, got integer 5")
    ]


# --- empty properties, as Obsidian writes them -----------------------------------------

EMPTY_PROPERTIES = (
    "---\ndescription:\ntags:\n- \naliases:\n-\ncssclasses:\npublish:\npermalink:\n"
    "image:\ncover:\n---\nBody.\n"
)


@pytest.mark.parametrize("schema", ["obsidian-note", "video-note"])
def test_empty_properties_and_empty_list_items_are_not_wrong(vault, run, schema):
    title = "---\ntitle: x\nvideoId: tvpDLpCf1jU\n"
    note = EMPTY_PROPERTIES if schema == "obsidian-note" else title + EMPTY_PROPERTIES[4:]
    root = vault({"a.md": note, "b.md": "---\ntags:\naliases:\n---\n" if schema == "obsidian-note"
                  else title + "tags:\naliases:\n---\n"})
    assert schema_problems(run, root, "--schema", schema) == []


def test_a_required_property_left_empty_is_still_missing(vault, run):
    root = vault({"a.md": "---\ntitle:\nvideoId:\n---\n", "b.md": "---\ntitle: ''\nvideoId: ''\n---\n"})
    assert schema_problems(run, root / "a.md", "--schema", "video-note") == [
        (2, 1, "title: expected a string, got null"),
        (3, 1, "videoId: expected a string, got null"),
    ]
    assert schema_problems(run, root / "b.md", "--schema", "video-note") == [
        (2, 1, "title: '' should be non-empty"),
        (3, 1, "videoId: '' does not match ^[A-Za-z0-9_-]{11}$"),
    ]


def test_a_null_is_named_once(vault, run, tmp_path):
    schema = write_schema(tmp_path, "s.json", {"properties": {"description": {"type": "string"}}})
    root = vault({"a.md": "---\ndescription:\n---\n"})
    assert schema_problems(run, root, "--schema", str(schema)) == [
        (2, 1, "description: expected a string, got null")
    ]


@pytest.mark.parametrize(
    ("frontmatter", "expected"),
    [
        (
            "aliases:\n  - LawList: Custom List Styles\n",
            (3, 5, "aliases[0]: expected a string or null, got object {'LawList': 'Custom List Styles'}"),
        ),
        (
            "aliases: [LawList: Custom List Styles]\n",
            (2, 11, "aliases[0]: expected a string or null, got object {'LawList': 'Custom List Styles'}"),
        ),
        ("aliases:\n- 0x1DA9430\n", (3, 3, "aliases[0]: expected a string or null, got integer 31102000")),
        ("tags: [Nested Folder]\n", (2, 8, "tags[0]: 'Nested Folder' does not match ^[^\\s#,][^\\s,]*$")),
        ("tags:\n- \n- '#hash'\n", (4, 3, "tags[1]: '#hash' does not match ^[^\\s#,][^\\s,]*$")),
        ("publish: 'yes'\n", (2, 1, "publish: expected a boolean or null, got string 'yes'")),
    ],
)
def test_values_yaml_made_into_something_else_stay_errors(vault, run, frontmatter, expected):
    root = vault({"a.md": f"---\n{frontmatter}---\n"})
    assert schema_problems(run, root) == [expected]


def test_list_item_error_points_at_the_item(vault, run):
    root = vault({"a.md": "---\ntags:\n  - fine\n  - has space\n---\n"})
    assert schema_problems(run, root) == [
        (4, 5, "tags[1]: 'has space' does not match ^[^\\s#,][^\\s,]*$")
    ]


def test_missing_required_points_at_opening_fence(vault, run):
    root = vault({"a.md": "---\ntitle: x\n---\n"})
    assert schema_problems(run, root, "--schema", "video-note") == [
        (1, 1, "'videoId' is a required property")
    ]


def test_note_without_frontmatter_is_validated_as_empty_mapping(vault, run):
    root = vault({"a.md": "No properties here.\n"})
    assert schema_problems(run, root, "--schema", "video-note") == [
        (1, 1, "'title' is a required property"),
        (1, 1, "'videoId' is a required property"),
    ]


def test_each_violation_is_its_own_problem(vault, run):
    root = vault({"a.md": "---\ntitle: 3\nvideoId: bad\n---\n"})
    assert [line for line, _, _ in schema_problems(run, root, "--schema", "video-note")] == [2, 3]


def test_additional_property_points_at_the_extra_key(vault, run, tmp_path):
    schema = write_schema(tmp_path, "strict.json", {
        "type": "object", "properties": {"title": {"type": "string"}},
        "additionalProperties": False,
    })
    root = vault({"a.md": "---\ntitle: x\n\nextra: 1\n---\n"})
    assert schema_problems(run, root, "--schema", str(schema)) == [
        (4, 1, "extra: property not allowed by the schema")
    ]


def test_dates_are_strings_as_obsidian_sees_them(vault, run, tmp_path):
    schema = write_schema(tmp_path, "dated.json", {
        "type": "object", "properties": {"created": {"type": "string", "format": "date"}},
    })
    root = vault({"a.md": "---\ncreated: 2024-03-01\n---\n"})
    assert schema_problems(run, root, "--schema", str(schema)) == []


def test_date_format_is_checked(vault, run, tmp_path):
    schema = write_schema(tmp_path, "dated.json", {
        "type": "object", "properties": {"created": {"type": "string", "format": "date"}},
    })
    root = vault({"a.md": "---\ncreated: 2024-13-01\n---\n"})
    assert schema_problems(run, root, "--schema", str(schema)) == [
        (2, 1, "created: '2024-13-01' is not a valid date")
    ]


def test_uri_format_is_checked(vault, run, tmp_path):
    schema = write_schema(tmp_path, "linked.json", {
        "type": "object", "properties": {"source": {"type": "string", "format": "uri"}},
    })
    root = vault({"a.md": "---\nsource: not a uri\n---\n", "b.md": "---\nsource: https://a.example/x\n---\n"})
    assert schema_problems(run, root, "--schema", str(schema)) == [
        (2, 1, "source: 'not a uri' is not a valid uri")
    ]


def test_sexagesimal_looking_value_stays_a_string(vault, run, tmp_path):
    schema = write_schema(tmp_path, "t.json", {"type": "object", "properties": {"t": {"type": "string"}}})
    root = vault({"a.md": "---\nt: 10:20:30\n---\n"})
    assert schema_problems(run, root, "--schema", str(schema)) == []


def test_schema_draft_is_honoured(vault, run, tmp_path):
    schema = write_schema(tmp_path, "d4.json", {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "type": "object", "properties": {"n": {"type": "number", "maximum": 5, "exclusiveMaximum": True}},
    })
    root = vault({"a.md": "---\nn: 5\n---\n"})
    assert [line for line, _, _ in schema_problems(run, root, "--schema", str(schema))] == [2]


def test_local_ref_between_files(vault, run, tmp_path):
    write_schema(tmp_path, "defs.json", {"$defs": {"id": {"type": "string", "minLength": 11}}})
    schema = write_schema(tmp_path, "main.json", {
        "type": "object", "properties": {"videoId": {"$ref": "defs.json#/$defs/id"}},
    })
    root = vault({"a.md": "---\nvideoId: short\n---\n"})
    assert schema_problems(run, root, "--schema", str(schema)) == [
        (2, 1, "videoId: 'short' is too short")
    ]


def test_remote_ref_is_refused_without_network(vault, run, tmp_path, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("vaultcheck opened a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    schema = write_schema(tmp_path, "remote.json", {
        "type": "object", "properties": {"a": {"$ref": "https://example.com/schema.json"}},
    })
    result = run("check", "--schema", schema, vault({"a.md": VIDEO}))
    assert result.code == 2
    assert result.out == ""
    assert "https://example.com/schema.json" in result.err
    assert "remote references are refused" in result.err


def test_missing_local_ref_is_a_usage_error(vault, run, tmp_path):
    schema = write_schema(tmp_path, "main.json", {"properties": {"a": {"$ref": "gone.json"}}})
    result = run("check", "--schema", schema, vault({"a.md": VIDEO}))
    assert result.code == 2
    assert "gone.json, which does not exist" in result.err


def test_schema_that_is_not_json(vault, run, tmp_path):
    schema = tmp_path / "broken.json"
    schema.write_text("{not json")
    result = run("check", "--schema", schema, vault({"a.md": VIDEO}))
    assert result.code == 2
    assert "broken.json:1:2: not valid JSON" in result.err
    assert result.err.count("\n") == 1


def test_schema_invalid_under_its_metaschema(vault, run, tmp_path):
    schema = write_schema(tmp_path, "bad.json", {"type": "banana"})
    result = run("check", "--schema", schema, vault({"a.md": VIDEO}))
    assert result.code == 2
    assert "is not a valid schema" in result.err


def test_unknown_shipped_name_is_a_usage_error(vault, run):
    result = run("check", "--schema", "no-such-schema", vault({"a.md": VIDEO}))
    assert result.code == 2
    assert "does not exist" in result.err


@pytest.mark.parametrize("name", ["obsidian-note", "video-note"])
def test_shipped_schemas_are_valid(name):
    from vaultcheck.vault.schemas import build_validator, shipped_schema_path

    assert build_validator(shipped_schema_path(name)) is not None
