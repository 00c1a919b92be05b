"""The package's layers import downward only, and no modules import each other in a circle.

Layers, lowest first: ``core`` < ``note`` < ``vault`` < ``links``, ``timestamps`` <
``rules`` < ``engine`` < ``gate`` < ``reporters`` < the command line (``cli``, ``init``,
``__main__``). A module may import its own layer and those below it; imports made only
for type checking count too, since they name what the module depends on.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "vaultcheck"

LAYERS = {
    "core": 0,
    "note": 1,
    "vault": 2,
    "links": 3,
    "timestamps": 3,
    "rules": 4,
    "engine": 5,
    "gate": 6,
    "reporters": 7,
    "cli": 8,
    "init": 8,
    "__main__": 8,
    "__init__": 0,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS[parts[1]] if len(parts) > 1 else LAYERS["__init__"]


def imports(path: Path) -> set[str]:
    """The vaultcheck modules a file imports, anywhere in it (``from X import name`` counts
    as importing ``X.name`` when that is a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("vaultcheck"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("vaultcheck"))
    return {name for name in found if name in MODULES} - {"vaultcheck"}


SOURCES = sorted(PACKAGE.rglob("*.py"))
MODULES = {module_name(path) for path in SOURCES}


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_a_module_imports_only_its_own_layer_and_those_below(path):
    own = module_name(path)
    upward = sorted(name for name in imports(path) if layer(name) > layer(own))
    assert upward == [], f"{own} (layer {layer(own)}) imports a higher layer: {upward}"


def test_every_top_level_folder_and_module_has_a_layer():
    tops = {module.split(".")[1] for module in MODULES if "." in module}
    assert tops <= set(LAYERS), f"modules outside the layers: {sorted(tops - set(LAYERS))}"


def test_no_modules_import_each_other_in_a_circle():
    graph = {module_name(path): imports(path) for path in SOURCES}
    # A package's __init__ is imported with any of its modules: not an edge of a circle.
    graph = {module: {name for name in targets if not name.endswith("__init__")} for module, targets in graph.items()}
    circles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                circles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert circles == []
