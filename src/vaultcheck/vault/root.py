"""Find the vault: its root folder from the paths a run is given, and its
configuration."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vaultcheck.vault.config import (
    CONFIG_FILE,
    PYPROJECT,
    Config,
    ConfigError,
    find_config_file,
    has_vaultcheck_table,
    load_config,
)
from vaultcheck.vault.git import git_output

if TYPE_CHECKING:

    pass



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


def locate_vault(
    paths: Sequence[Path], cwd: Path, root: Path | None = None, config_file: Path | None = None
) -> tuple[Path, Config, list[Path]]:
    """The vault root, its configuration, and ``paths`` as they stand (see :func:`locate`).

    ``root`` (``--root``) names the vault; else it is :func:`locate`'s folder, or the
    folder its config's ``root`` names (a vault in ``notes/`` of a larger repository,
    configured at the repository's top). A vault whose own folder has no config takes
    the one of a folder above it, inside the same git work tree, whose ``root`` names it.
    ``config_file`` (``--config``) is read instead of looking for one. The paths may lie
    outside a root so named: the caller decides what to do with those.
    """
    if root is not None:
        found = Path(os.path.realpath(root))
        located = [_absolute(path, Path(os.path.realpath(cwd))) for path in paths]
    else:
        found, located = locate(paths, cwd)
    given = config_file is not None
    config_file = config_file or find_config_file(found)
    config = load_config(config_file, base=found)
    if root is None and config.root is not None:
        found = _configured_root(config)
    elif config_file is None and not given:
        above = _config_naming(found)
        if above is not None:
            config = above
    return found, config, located


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


