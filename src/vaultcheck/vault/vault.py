"""The vault: its root, its configuration, its notes and the schemas they follow."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultcheck.vault.config import (
    Config,
)
from vaultcheck.vault.schemas import DEFAULT_SCHEMA, build_validator, resolve_schema_path
from vaultcheck.vault.walk import NOTE_SUFFIX, gitignore_spec, matchable, walk_entries

if TYPE_CHECKING:
    import pathspec

    from vaultcheck.vault.files import FileIndex



@dataclass
class Vault:
    """A vault rooted at ``root`` with its ``config``.

    ``schema_override`` is the ``--schema`` of the command line, which wins over config.
    ``paths`` are the files and folders the run checks (none: the whole vault).
    """

    root: Path
    config: Config
    schema_override: str | None = None
    paths: tuple[Path, ...] = ()
    _validators: dict[Path, Any] = field(default_factory=dict)
    _relatives: dict[Path, str] = field(default_factory=dict)
    _schema_paths: dict[tuple[str, Path], Path] = field(default_factory=dict)
    #: Folders :meth:`notes` could not list, with the error: their notes go unchecked.
    unlisted: list[tuple[Path, OSError]] = field(default_factory=list)
    #: Every file below the root as :meth:`notes` walked it (vault path, is symlink).
    disk_listing: list[tuple[str, bool]] | None = None
    _notes: dict[tuple[Path, ...], list[Path]] = field(default_factory=dict)

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
    def _excluded(self) -> pathspec.GitIgnoreSpec | None:
        return gitignore_spec(self.config.exclude) if self.config.exclude else None

    def is_excluded(self, rel: str) -> bool:
        return self._excluded is not None and self._excluded.match_file(matchable(rel))

    def notes(self, paths: Iterable[Path] = ()) -> list[Path]:
        """The notes to check: every note below the given files and folders (the whole vault
        when none is given), minus excluded ones, sorted by vault path (listed once per
        run for the same paths)."""
        wanted = tuple(paths) or (self.root,)
        if wanted not in self._notes:
            self._notes[wanted] = self._find_notes(wanted)
        return list(self._notes[wanted])

    def _find_notes(self, wanted: tuple[Path, ...]) -> list[Path]:
        found: dict[str, Path] = {}
        rel: str | None
        prefix = os.path.join(self.root, "")
        for path in wanted:
            if not path.is_dir():
                rel = self.relative(path)
                if not self.is_excluded(rel):
                    found[rel] = Path(os.path.abspath(path))
                continue
            listing: list[tuple[str, bool]] | None = [] if path == self.root else None
            absolute = os.path.isabs(path) and os.path.normpath(path) == os.fspath(path)
            for entry in walk_entries(path, self.unlisted):
                text = entry.path if absolute else os.path.abspath(entry.path)
                rel = text[len(prefix) :].replace(os.sep, "/") if text.startswith(prefix) else None
                if listing is not None and rel is not None:
                    listing.append((rel, entry.is_symlink()))
                name = entry.name
                dot = name.rfind(".")  # Path.suffix: a name that starts with its only dot has none
                if not (0 < dot < len(name) - 1 and name[dot:].lower() == NOTE_SUFFIX):
                    continue
                note = Path(text)
                if rel is None:
                    rel = self.relative(note)
                else:
                    self._relatives[note] = rel
                if not self.is_excluded(rel):
                    found[rel] = note
            if listing is not None:
                self.disk_listing = listing
        return [found[rel] for rel in sorted(found)]

    @cached_property
    def _schema_globs(self) -> list[tuple[pathspec.GitIgnoreSpec, str]]:
        return [(gitignore_spec([glob]), schema) for glob, schema in self.config.schemas]

    def schema_path_for(self, rel: str) -> Path:
        """The schema a note follows: ``--schema``, else the first matching glob of
        ``schemas``, else ``schema``, else the shipped ``obsidian-note``."""
        if self.schema_override is not None:
            return self._schema_path(self.schema_override, Path.cwd())
        for spec, schema in self._schema_globs:
            if spec.match_file(matchable(rel)):
                return self._schema_path(schema, self.config.base)
        return self._schema_path(self.config.schema or DEFAULT_SCHEMA, self.config.base)

    def _schema_path(self, reference: str, base: Path) -> Path:
        """:func:`resolve_schema_path`, once per run for each reference (every note asks)."""
        key = (reference, base)
        if key not in self._schema_paths:
            self._schema_paths[key] = resolve_schema_path(reference, base)
        return self._schema_paths[key]

    def validator(self, schema_path: Path) -> Any:
        """The validator of a schema file, built once per run."""
        if schema_path not in self._validators:
            self._validators[schema_path] = build_validator(schema_path)
        return self._validators[schema_path]

    @cached_property
    def files(self) -> FileIndex:
        """Every file of the vault as links see them (git's index inside a work tree, unless
        git has none of the notes checked; else the disk), listed once per run."""
        from vaultcheck.vault.files import FileIndex

        def checked() -> Iterator[str]:  # walked only inside git
            for note in self.notes(self.paths):
                yield self.relative(note)

        return FileIndex.build(self.root, checked(), disk=lambda: self.disk_listing)

    def files_notice(self) -> str | None:
        """Why links were resolved against the disk inside git, once :attr:`files` is built."""
        index = self.__dict__.get("files")
        return None if index is None else index.notice

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


