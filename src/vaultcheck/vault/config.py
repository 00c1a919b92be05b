"""Read ``[tool.vaultcheck]`` from pyproject.toml or the top level of .vaultcheck.toml.

The table is validated against ``schemas/vaultcheck-config.json``: an unknown key or a
wrong type is a :class:`ConfigError` naming the file, line and key, never ignored.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from vaultcheck.core.reading import DEFAULT_MAX_BASELINE_SIZE, DEFAULT_MAX_FILE_SIZE

CONFIG_FILE = ".vaultcheck.toml"
PYPROJECT = "pyproject.toml"


class ConfigError(Exception):
    """The configuration, a schema or the command line cannot be used: exit 2."""


@dataclass(frozen=True)
class Config:
    """The settings of one vault. ``base`` is the folder relative paths in the file start from."""

    base: Path
    source: Path | None = None
    root: str | None = None
    exclude: tuple[str, ...] = ()
    schema: str | None = None
    schemas: tuple[tuple[str, str], ...] = ()
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_baseline_size: int = DEFAULT_MAX_BASELINE_SIZE

    def section(self, name: str) -> dict[str, Any]:
        """The table of a rule family, e.g. ``[tool.vaultcheck.timestamps]`` (empty if absent)."""
        return self.sections.get(name, {})


def located(config: Config, *keys: str) -> str:
    """Where a setting is written, for an error about it: ``FILE:LINE: dotted.key``."""
    if config.source is None:
        return "configuration"
    prefix = ["tool", "vaultcheck"] if config.source.name == PYPROJECT else []
    line = _line_of_key(config.source, list(keys))
    return f"{config.source}:{line}: {'.'.join([*prefix, *keys])}"


def _read_toml(path: Path) -> dict[str, Any]:
    # Imported here: a vault without a config file never needs it (start-up time).
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None


_VAULTCHECK_TABLE = re.compile(r"^\s*\[\s*tool\s*\.\s*vaultcheck\s*[\].]", re.MULTILINE)


def has_vaultcheck_table(pyproject: Path) -> bool:
    """True when a pyproject.toml has a ``[tool.vaultcheck]`` table header.

    A text test, so finding a vault root never fails on someone else's broken TOML.
    """
    try:
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return _VAULTCHECK_TABLE.search(text) is not None


def find_config_file(root: Path) -> Path | None:
    """The config file of a vault root: .vaultcheck.toml first, then pyproject.toml."""
    dedicated = root / CONFIG_FILE
    if dedicated.is_file():
        return dedicated
    pyproject = root / PYPROJECT
    if pyproject.is_file() and has_vaultcheck_table(pyproject):
        return pyproject
    return None


def load_config(path: Path | None, base: Path) -> Config:
    """Load and validate a config file; ``None`` gives the defaults for a vault at ``base``."""
    if path is None:
        return Config(base=base)
    document = _read_toml(path)
    if path.name == PYPROJECT:
        table = document.get("tool", {}).get("vaultcheck", {})
        prefix = "tool.vaultcheck"
    else:
        table = document
        prefix = ""
    _validate(table, path, prefix)
    known = {"root", "exclude", "schema", "schemas", "select", "ignore", "severity"}
    known |= {"max-file-size", "max-baseline-size"}
    return Config(
        base=path.parent,
        source=path,
        root=table.get("root"),
        exclude=tuple(table.get("exclude", ())),
        schema=table.get("schema"),
        schemas=tuple(table.get("schemas", {}).items()),
        select=tuple(table["select"]) if "select" in table else None,
        ignore=tuple(table.get("ignore", ())),
        severity=dict(table.get("severity", {})),
        sections={key: value for key, value in table.items() if key not in known},
        max_file_size=table.get("max-file-size", DEFAULT_MAX_FILE_SIZE),
        max_baseline_size=table.get("max-baseline-size", DEFAULT_MAX_BASELINE_SIZE),
    )


def _config_schema() -> dict[str, Any]:
    text = resources.files("vaultcheck.schemas").joinpath("vaultcheck-config.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def _validate(table: dict[str, Any], path: Path, prefix: str) -> None:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(_config_schema())
    errors = sorted(validator.iter_errors(table), key=lambda error: list(map(str, error.path)))
    if not errors:
        return
    error = errors[0]
    keys = [str(part) for part in error.path]
    if error.validator == "additionalProperties":
        allowed = error.schema.get("properties", {})
        extra = sorted(key for key in error.instance if key not in allowed)
        keys.append(extra[0])
        message = f"unknown key '{extra[0]}'"
        if allowed:
            message += f" (known: {', '.join(sorted(allowed))})"
    else:
        message = error.message
    dotted = ".".join(part for part in [prefix, *keys] if part)
    line = _line_of_key(path, keys)
    raise ConfigError(f"{path}:{line}: {dotted}: {message}")


def _line_of_key(path: Path, keys: list[str]) -> int:
    """Best-effort line of a key in a TOML file (tomllib does not keep positions)."""
    if not keys:
        return 1
    text = path.read_text(encoding="utf-8")
    last = re.escape(keys[-1])
    pattern = re.compile(rf"""^\s*(?:\[[^\]]*\b{last}\]|["']?{last}["']?\s*=)""", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1
