"""The vault: its root, its configuration, its notes and the schemas they follow."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pathspec

from vaultcheck.config import (
    CONFIG_FILE,
    PYPROJECT,
    Config,
    ConfigError,
    find_config_file,
    has_vaultcheck_table,
    load_config,
)
from vaultcheck.git import git_output
from vaultcheck.schema_store import DEFAULT_SCHEMA, build_validator, resolve_schema_path

if TYPE_CHECKING:
    from vaultcheck.links.check import LinkContext
    from vaultcheck.links.files import FileIndex

SKIPPED_FOLDERS = frozenset({".git", ".obsidian", ".trash", ".vaultcheck_cache"})
NOTE_SUFFIX = ".md"


def is_vault_root(folder: Path) -> bool:
    """A folder that declares itself a vault: Obsidian's settings or a vaultcheck config."""
    return (
        (folder / ".obsidian").is_dir()
        or (folder / CONFIG_FILE).is_file()
        or ((folder / PYPROJECT).is_file() and has_vaultcheck_table(folder / PYPROJECT))
    )


def git_toplevel(folder: Path) -> Path | None:
    """The top of the git work tree holding ``folder``, or None outside git."""
    output = git_output(["rev-parse", "--show-toplevel"], folder)
    if output is None:
        return None
    return Path(output.decode("utf-8", "surrogateescape").strip()).resolve()


def find_root(paths: Iterable[Path], cwd: Path) -> Path:
    """The vault holding ``paths``: the nearest folder upward that declares itself a vault,
    else the git top level, else the current folder (or, for paths outside it, the
    folder that holds them all)."""
    resolved = [path.resolve() for path in paths] or [cwd.resolve()]
    start = Path(os.path.commonpath([str(p if p.is_dir() else p.parent) for p in resolved]))
    for folder in (start, *start.parents):
        if is_vault_root(folder):
            return folder
    fallback = cwd.resolve() if start.is_relative_to(cwd.resolve()) else start
    return git_toplevel(start) or fallback


def locate_vault(
    paths: Iterable[Path], cwd: Path, root: Path | None = None, config_file: Path | None = None
) -> tuple[Path, Config]:
    """The vault root and its configuration.

    ``root`` (``--root``) names the vault; else it is :func:`find_root`'s folder, or the
    folder its config's ``root`` names (a vault in ``notes/`` of a larger repository,
    configured at the repository's top). A vault whose own folder has no config takes
    the one of a folder above it, inside the same git work tree, whose ``root`` names it.
    ``config_file`` (``--config``) is read instead of looking for one.
    """
    found = root.resolve() if root is not None else find_root(paths, cwd)
    given = config_file is not None
    config_file = config_file or find_config_file(found)
    config = load_config(config_file, base=found)
    if root is None and config.root is not None:
        found = _configured_root(config)
    elif config_file is None and not given:
        above = _config_naming(found)
        if above is not None:
            config = above
    return found, config


def _configured_root(config: Config) -> Path:
    assert config.root is not None
    named = (config.base / config.root).resolve()
    if not named.is_dir():
        raise ConfigError(f"{config.source}: root: {config.root!r} is not a folder")
    if not named.is_relative_to(config.base.resolve()):
        raise ConfigError(f"{config.source}: root: {config.root!r} is outside {config.base}")
    return named


def _config_naming(folder: Path) -> Config | None:
    """The config of a folder above ``folder`` (up to the git top level) whose ``root``
    is ``folder``."""
    top = git_toplevel(folder)
    if top is None or top == folder or not folder.is_relative_to(top):
        return None
    for above in folder.parents:
        config_file = find_config_file(above)
        if config_file is not None:
            config = load_config(config_file, base=above)
            if config.root is not None and (above / config.root).resolve() == folder:
                return config
        if above == top:
            break
    return None


def walk_entries(root: Path) -> Iterator[os.DirEntry[str]]:
    """Every file below ``root``, skipping tool folders, never leaving the vault through a
    symlink and never visiting a real folder twice (so symlink loops end)."""
    real_root = root.resolve()
    seen: set[Path] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        real = folder.resolve()
        if real in seen or not real.is_relative_to(real_root):
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir():
                if entry.name not in SKIPPED_FOLDERS:
                    pending.append(Path(entry.path))
            elif entry.is_file() and (
                not entry.is_symlink() or Path(entry.path).resolve().is_relative_to(real_root)
            ):
                yield entry


def _walk_files(root: Path) -> Iterator[Path]:
    return (Path(entry.path) for entry in walk_entries(root))


@dataclass
class Vault:
    """A vault rooted at ``root`` with its ``config``.

    ``schema_override`` is the ``--schema`` of the command line, which wins over config.
    """

    root: Path
    config: Config
    schema_override: str | None = None
    _validators: dict[Path, Any] = field(default_factory=dict)
    _relatives: dict[Path, str] = field(default_factory=dict)

    def relative(self, path: Path) -> str:
        """The vault path of a file: relative to the root, ``/``-separated.

        Symlinks are not resolved: a note is named by where it stands in the vault.
        Remembered per path: every problem of a note asks again.
        """
        rel = self._relatives.get(path)
        if rel is None:
            text = os.path.abspath(path)
            root = os.path.join(self.root, "")
            if text.startswith(root):
                rel = text[len(root) :].replace(os.sep, "/")
            else:
                rel = Path(text).relative_to(self.root).as_posix()
            self._relatives[path] = rel
        return rel

    def contains(self, path: Path) -> bool:
        """True when ``path``, symlinks followed, is inside the vault."""
        return path.resolve().is_relative_to(self.root)

    @cached_property
    def _excluded(self) -> pathspec.GitIgnoreSpec:
        return pathspec.GitIgnoreSpec.from_lines(self.config.exclude)

    def is_excluded(self, rel: str) -> bool:
        return self._excluded.match_file(rel)

    def notes(self, paths: Iterable[Path] = ()) -> list[Path]:
        """The notes to check: every note below the given files and folders (the whole vault
        when none is given), minus excluded ones, sorted by vault path."""
        wanted = list(paths) or [self.root]
        found: dict[str, Path] = {}
        for path in wanted:
            walked = path.is_dir()
            for candidate in _walk_files(path) if walked else [path]:
                if walked and candidate.suffix.lower() != NOTE_SUFFIX:
                    continue
                if not walked and not self.contains(candidate):
                    continue
                rel = self.relative(candidate)
                if not self.is_excluded(rel):
                    found[rel] = Path(os.path.abspath(candidate))
        return [found[rel] for rel in sorted(found)]

    @cached_property
    def _schema_globs(self) -> list[tuple[pathspec.GitIgnoreSpec, str]]:
        return [
            (pathspec.GitIgnoreSpec.from_lines([glob]), schema)
            for glob, schema in self.config.schemas
        ]

    def schema_path_for(self, rel: str) -> Path:
        """The schema a note follows: ``--schema``, else the first matching glob of
        ``schemas``, else ``schema``, else the shipped ``obsidian-note``."""
        if self.schema_override is not None:
            return resolve_schema_path(self.schema_override, Path.cwd())
        for spec, schema in self._schema_globs:
            if spec.match_file(rel):
                return resolve_schema_path(schema, self.config.base)
        return resolve_schema_path(self.config.schema or DEFAULT_SCHEMA, self.config.base)

    def validator(self, schema_path: Path) -> Any:
        """The validator of a schema file, built once per run."""
        if schema_path not in self._validators:
            self._validators[schema_path] = build_validator(schema_path)
        return self._validators[schema_path]

    @cached_property
    def files(self) -> FileIndex:
        """Every file of the vault as links see them (git's index inside a work tree, else
        the disk), listed once per run."""
        from vaultcheck.links.files import FileIndex

        return FileIndex.build(self.root)

    @cached_property
    def links(self) -> LinkContext:
        """The link-checking state of this run: facts of target notes, near names."""
        from vaultcheck.links.check import LinkContext

        return LinkContext(self)

    def schemas_in_use(self) -> list[Path]:
        """The schema files this run validates against, once :meth:`load_schemas` ran."""
        return list(self._validators)

    def load_schemas(self) -> None:
        """Build every schema the run can use now, so a broken one stops the run before output."""
        if self.schema_override is not None:
            self.validator(resolve_schema_path(self.schema_override, Path.cwd()))
            return
        references = [schema for _glob, schema in self.config.schemas]
        references.append(self.config.schema or DEFAULT_SCHEMA)
        for reference in references:
            self.validator(resolve_schema_path(reference, self.config.base))
