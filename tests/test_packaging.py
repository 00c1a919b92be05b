"""Packaging: every package of the source tree and the shipped schemas are in the wheel."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def test_every_source_package_is_listed():
    source = REPO / "src"
    found = {
        ".".join(init.parent.relative_to(source).parts)
        for init in source.rglob("__init__.py")
    }
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert found | {"vaultcheck.schemas"} == listed


def test_shipped_schemas_are_package_data():
    from importlib import resources

    shipped = {entry.name for entry in resources.files("vaultcheck.schemas").iterdir()}
    assert {"obsidian-note.json", "video-note.json", "vaultcheck-config.json"} <= shipped
