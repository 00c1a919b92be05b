"""The vault: its root, its configuration, its notes and the schemas they follow."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pathspec

from vaultcheck.config import CONFIG_FILE, PYPROJECT, Config, ConfigError, has_vaultcheck_table
from vaultcheck.git import git_output
from vaultcheck.note import Note, UnreadableNote
from vaultcheck.reading import DEFAULT_MAX_FILE_SIZE
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


class OutsideVault(ConfigError):
    """A path given on the command line lies outside the vault, or leads out of it
    through a symlinked folder: the run stops (exit 2) rather than read it."""


def _absolute(path: Path, cwd: Path) -> Path:
    """``path`` from ``cwd``, with ``.`` and ``..`` worked out on the name, symlinks kept."""
    return Path(os.path.normpath(cwd / path))


def _through_symlink(folder: Path, cwd: Path) -> bool:
    """True when ``folder``, below ``cwd``, is or lies below a symlink: what it holds,
    markers included, is somewhere else."""
    return folder != cwd and folder.is_relative_to(cwd) and os.path.realpath(folder) != str(folder)


def _declared_or_git(start: Path) -> Path | None:
    """The nearest folder from ``start`` upward that declares itself a vault, else the
    folder of ``start``'s ancestors that is the git top level; None if neither."""
    for folder in (start, *start.parents):
        if is_vault_root(folder):
            return folder
    top = git_toplevel(start)
    if top is None:
        return None
    for folder in (start, *start.parents):
        if folder == top or os.path.realpath(folder) == str(top):
            return folder
    return top


def _vault_folder(paths: Sequence[Path], cwd: Path) -> Path:
    """The vault's folder as the paths name it (symlinks not followed): see :func:`find_root`."""
    named = [_absolute(path, cwd) for path in paths] or [cwd]
    start = Path(os.path.commonpath([str(p if p.is_dir() else p.parent) for p in named]))
    while _through_symlink(start, cwd):
        start = start.parent
    found = _declared_or_git(start)
    if found is not None:
        return found
    if start.is_relative_to(cwd):
        return cwd
    if start.parent == start or any(path.is_relative_to(cwd) for path in named):
        return _declared_or_git(cwd) or cwd
    return start


def find_root(paths: Sequence[Path], cwd: Path) -> Path:
    """The vault holding ``paths``, found from the paths as given, never through a
    symlink: the nearest folder upward from the folder holding them all that declares
    itself a vault, else the git top level, else the current folder (or, for paths all
    outside it, the folder holding them, but never the file system's root: for
    ``check . /etc/hostname`` the vault is the current one, and the second path is
    outside it). Returned with symlinks resolved."""
    cwd = Path(os.path.realpath(cwd))
    return Path(os.path.realpath(_vault_folder(paths, cwd)))


def locate(paths: Sequence[Path], cwd: Path) -> tuple[Path, list[Path]]:
    """The vault's root (:func:`find_root`) and each of ``paths`` as it stands in it.

    Raises :class:`OutsideVault` for a path outside the vault, or one that leads out
    of it through a symlinked folder. A path naming a symlinked file stays as it is:
    reading it is :func:`read_note`'s decision.
    """
    cwd = Path(os.path.realpath(cwd))
    folder = _vault_folder(paths, cwd)
    root = Path(os.path.realpath(folder))
    located = []
    for path in paths:
        named = _absolute(path, cwd)
        if not named.is_relative_to(folder):
            raise OutsideVault(f"{path} is outside the vault {root}")
        inside = root / named.relative_to(folder)
        followed = inside if inside.is_dir() else inside.parent
        if not Path(os.path.realpath(followed)).is_relative_to(root):
            raise OutsideVault(f"{path} leads outside the vault {root} through a symlink")
        located.append(inside)
    return root, located


def symlink_refusal(path: Path, root: Path) -> str | None:
    """Why the note at ``path`` is not read: it is a symlink that leads outside the vault
    at ``root``, into a tool folder (``.git/config``), or to something that is not a
    note; None for any other file."""
    try:
        if not stat.S_ISLNK(os.lstat(path).st_mode):
            return None
    except OSError:
        return None
    target = Path(os.path.realpath(path))
    if not target.is_relative_to(root):
        return "a symlink that leads outside the vault: not read"
    if not SKIPPED_FOLDERS.isdisjoint(target.relative_to(root).parts):
        return "a symlink into a tool folder of the vault (.git, .obsidian, ...): not read"
    if target.suffix.lower() != NOTE_SUFFIX:
        return "a symlink to a file that is not a note: not read"
    try:
        if not stat.S_ISREG(target.stat().st_mode):
            return "a symlink to something that is not a file: not read"
    except OSError:
        return None  # a broken symlink: reading it says why
    return None


def read_note(path: Path, rel: str, root: Path, limit: int = DEFAULT_MAX_FILE_SIZE) -> Note:
    """The note at ``path`` (:meth:`Note.read`, at most ``limit`` bytes), unless
    :func:`symlink_refusal` refuses it: then a note that is only ``unreadable-file``'s
    business, never read."""
    reason = symlink_refusal(path, root)
    if reason is None:
        return Note.read(path, rel, limit)
    return Note(path=path, rel=rel, raw=b"", text="", bom=False, error=UnreadableNote(reason))


def matchable(rel: str) -> str:
    """A vault path globs can be matched against: a name byte that is not UTF-8 (a lone
    surrogate once decoded, which the glob engine cannot encode) becomes U+FFFD."""
    if rel.isascii():
        return rel
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def walk_entries(
    root: Path, unlisted: list[tuple[Path, OSError]] | None = None
) -> Iterator[os.DirEntry[str]]:
    """Every file below ``root`` (symlinks to files included, wherever they lead: reading
    them is :func:`read_note`'s decision), skipping tool folders, never walking a
    symlinked folder that leads out of the vault or into a tool folder, and never
    visiting a real folder twice (so symlink loops end).

    A folder that cannot be listed (a path over the system's length limit, no
    permission) is added to ``unlisted`` with the error, so it can be reported."""
    real_root = root.resolve()
    seen: set[Path] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        real = folder.resolve()
        if real in seen or not real.is_relative_to(real_root):
            continue
        if not SKIPPED_FOLDERS.isdisjoint(real.relative_to(real_root).parts):
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            if unlisted is not None:
                unlisted.append((folder, error))
            continue
        for entry in entries:
            if entry.is_dir():
                if entry.name not in SKIPPED_FOLDERS:
                    pending.append(Path(entry.path))
            elif entry.is_file() or entry.is_symlink():
                yield entry


def _walk_files(root: Path, unlisted: list[tuple[Path, OSError]]) -> Iterator[Path]:
    return (Path(entry.path) for entry in walk_entries(root, unlisted))


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
    #: Folders :meth:`notes` could not list, with the error: their notes go unchecked.
    unlisted: list[tuple[Path, OSError]] = field(default_factory=list)

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
        return self._excluded.match_file(matchable(rel))

    def notes(self, paths: Iterable[Path] = ()) -> list[Path]:
        """The notes to check: every note below the given files and folders (the whole vault
        when none is given), minus excluded ones, sorted by vault path."""
        wanted = list(paths) or [self.root]
        found: dict[str, Path] = {}
        for path in wanted:
            walked = path.is_dir()
            for candidate in _walk_files(path, self.unlisted) if walked else [path]:
                if walked and candidate.suffix.lower() != NOTE_SUFFIX:
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
            if spec.match_file(matchable(rel)):
                return resolve_schema_path(schema, self.config.base)
        return resolve_schema_path(self.config.schema or DEFAULT_SCHEMA, self.config.base)

    def validator(self, schema_path: Path) -> Any:
        """The validator of a schema file, built once per run."""
        if schema_path not in self._validators:
            self._validators[schema_path] = build_validator(schema_path)
        return self._validators[schema_path]

    @cached_property
    def files(self) -> FileIndex:
        """Every file of the vault as links see them (git's index inside a work tree, unless
        git has none of the notes checked; else the disk), listed once per run."""
        from vaultcheck.links.files import FileIndex

        def checked() -> Iterator[str]:  # walked only inside git
            for note in self.notes(self.paths):
                yield self.relative(note)

        return FileIndex.build(self.root, checked())

    def files_notice(self) -> str | None:
        """Why links were resolved against the disk inside git, once :attr:`files` is built."""
        index = self.__dict__.get("files")
        return None if index is None else index.notice

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
