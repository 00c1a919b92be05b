"""Schemas a pull request can plant or point at: ``$ref`` loops, ``$ref``s to things that
are no schema, schema paths that are folders, devices or FIFOs, and ``uniqueItems``
on a long list. Each is one clear line and exit 2 (or, for ``uniqueItems``, linear
work), never a traceback or a hang."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hostile_child import vaultcheck_child

NOTE = "---\ntitle: A note\ntags: [a, b]\n---\nText.\n"


def schema_vault(vault, schemas: dict[str, object], note: str = NOTE) -> Path:
    files: dict[str, str | bytes] = {
        ".vaultcheck.toml": 'schema = "schema.json"\n',
        "note.md": note,
    }
    files.update({name: json.dumps(schema) for name, schema in schemas.items()})
    return vault(files)


def one_line_error(completed) -> str:  # type: ignore[no-untyped-def]
    assert completed.returncode == 2, completed.stderr
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    assert completed.stderr.count("\n") == 1, completed.stderr
    return str(completed.stderr)


def test_attack_schema_ref_to_itself_recursion_error(vault):
    root = schema_vault(vault, {"schema.json": {"$ref": "#"}})
    err = one_line_error(vaultcheck_child("check", ".", cwd=root))
    assert err.startswith("vaultcheck: error: schema $ref loop: schema.json# -> schema.json#")


def test_attack_schema_ref_cycle_between_two_files(vault):
    root = schema_vault(
        vault,
        {"schema.json": {"$ref": "other.json"}, "other.json": {"allOf": [{"$ref": "schema.json"}]}},
    )
    err = one_line_error(vaultcheck_child("check", ".", cwd=root))
    assert "schema $ref loop: " in err
    assert "other.json#/allOf/0" in err and "schema.json#" in err


def test_attack_schema_ref_loop_behind_a_property(vault):
    """The loop is only entered for notes that have the property."""
    root = schema_vault(
        vault,
        {
            "schema.json": {
                "properties": {"tags": {"$ref": "#/$defs/t"}},
                "$defs": {"t": {"anyOf": [{"$ref": "#/$defs/t"}]}},
            }
        },
    )
    err = one_line_error(vaultcheck_child("check", ".", cwd=root))
    assert "schema.json#/$defs/t -> schema.json#/$defs/t/anyOf/0 -> schema.json#/$defs/t" in err


def test_recursion_through_properties_is_a_schema_not_a_loop(vault, run):
    root = schema_vault(
        vault,
        {
            "schema.json": {
                "type": "object",
                "properties": {"title": {"type": "string"}, "child": {"$ref": "#"}},
            }
        },
        "---\ntitle: a\nchild:\n  title: b\n  child:\n    title: 3\n---\n",
    )
    result = run("check", ".", cwd=root)
    assert result.code == 1
    assert "frontmatter-schema child.child.title: expected a string, got integer 3" in result.out


def test_attack_schema_ref_to_a_string_attribute_error(vault):
    root = schema_vault(
        vault,
        {
            "schema.json": {
                "properties": {
                    "title": {"type": "string"},
                    "tags": {"$ref": "#/properties/title/type"},
                }
            }
        },
    )
    err = one_line_error(vaultcheck_child("check", ".", cwd=root))
    assert err == (
        "vaultcheck: error: schema schema.json at #/properties/tags: $ref"
        " '#/properties/title/type' leads to \"string\", which is not a schema\n"
    )


def test_schema_ref_to_nowhere_is_one_line(vault):
    root = schema_vault(vault, {"schema.json": {"properties": {"tags": {"$ref": "#/$defs/gone"}}}})
    err = one_line_error(vaultcheck_child("check", ".", cwd=root))
    assert "schema schema.json at #/properties/tags: $ref '#/$defs/gone' leads nowhere" in err


def test_attack_schema_that_is_a_folder_does_not_exist(vault):
    root = vault({".vaultcheck.toml": 'schema = "schema.json"\n', "note.md": NOTE})
    (root / "schema.json").mkdir()
    err = one_line_error(vaultcheck_child("check", ".", cwd=root))
    assert (
        err == f"vaultcheck: error: schema {root / 'schema.json'} is a folder, not a regular file\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_attack_schema_that_is_a_fifo_hangs(vault):
    root = vault({".vaultcheck.toml": 'schema = "schema.json"\n', "note.md": NOTE})
    os.mkfifo(root / "schema.json")
    err = one_line_error(vaultcheck_child("check", ".", cwd=root))
    assert (
        err == f"vaultcheck: error: schema {root / 'schema.json'} is a FIFO, not a regular file\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_attack_fifo_beside_the_schema_hangs(vault):
    """The cache's key hashes the JSON files beside a schema: a FIFO there is skipped."""
    root = schema_vault(vault, {"schema.json": {"type": "object"}})
    os.mkfifo(root / "planted.json")
    completed = vaultcheck_child("check", ".", cwd=root)
    assert completed.returncode == 0, completed.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_attack_schema_that_is_dev_zero_exhausts_memory(vault):
    root = vault({".vaultcheck.toml": 'schema = "schema.json"\n', "note.md": NOTE})
    (root / "schema.json").symlink_to("/dev/zero")
    err = one_line_error(vaultcheck_child("check", ".", cwd=root))
    assert err.startswith("vaultcheck: error: schema ")
    assert err.endswith(" is a device, not a regular file\n")


class Counting:
    """A tag value that counts how often it is hashed or compared: the work
    ``uniqueItems`` does."""

    calls = 0

    def __eq__(self, other: object) -> bool:
        Counting.calls += 1
        return super().__eq__(other)  # type: ignore[no-any-return]  # NotImplemented too

    def __hash__(self) -> int:
        Counting.calls += 1
        return super().__hash__()


class CountingStr(Counting, str):
    pass


class CountingInt(Counting, int):
    pass


def unique_items_work(validator, size: int) -> int:  # type: ignore[no-untyped-def]
    """Hashes and comparisons of tag values to validate ``size`` distinct tags, strings
    and numbers mixed (which defeats sorting them)."""
    tags = [
        CountingStr(f"tag-{index}") if index % 2 else CountingInt(index) for index in range(size)
    ]
    Counting.calls = 0
    assert list(validator.iter_errors({"tags": tags})) == []
    return Counting.calls


def test_attack_unique_items_on_a_long_tag_list_is_quadratic(tmp_path):
    from vaultcheck.vault.schemas import build_validator

    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"properties": {"tags": {"type": "array", "uniqueItems": True}}}))
    validator = build_validator(schema)
    small = unique_items_work(validator, 1_000)
    large = unique_items_work(validator, 4_000)
    # Four times the items: linear work is about 4 times as much, quadratic 16 times.
    assert large / max(small, 1) < 6


@pytest.mark.parametrize(
    ("tags", "unique"),
    [
        ([1, 1.0], False),  # one number
        ([True, 1], True),  # a boolean is no number
        ([False, 0, None, ""], True),
        ([[1, "a"], [1.0, "a"]], False),
        ([{"a": 1, "b": [True]}, {"b": [True], "a": 1.0}], False),
        ([{"a": 1}, {"a": True}], True),
        (["a", "b", "a"], False),
    ],
)
def test_unique_items_follows_json_equality(tmp_path, tags, unique):
    from vaultcheck.vault.schemas import build_validator

    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"properties": {"tags": {"uniqueItems": True}}}))
    errors = list(build_validator(schema).iter_errors({"tags": tags}))
    assert (errors == []) is unique
