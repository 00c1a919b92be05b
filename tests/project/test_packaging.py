"""Packaging: every package of the source tree and the shipped schemas are in the wheel."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[2]
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


def test_pre_commit_is_a_test_dependency_only():
    runtime = " ".join(PYPROJECT["project"]["dependencies"])
    assert "pre-commit" not in runtime
    assert any(dep.startswith("pre-commit") for dep in PYPROJECT["project"]["optional-dependencies"]["test"])


def test_no_runtime_dependency_the_code_does_not_import():
    # python-frontmatter was dropped (vaultcheck.frontmatter says why): nothing imports it.
    runtime = " ".join(PYPROJECT["project"]["dependencies"])
    assert "python-frontmatter" not in runtime
    sources = "\n".join(path.read_text() for path in (REPO / "src").rglob("*.py"))
    assert "import pre_commit" not in sources and "from pre_commit" not in sources
    assert "from frontmatter" not in sources and "import frontmatter\n" not in sources
