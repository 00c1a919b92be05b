"""``vaultcheck init``: what a repository needs to adopt vaultcheck, worked out from it.

The vault is the folder holding ``.obsidian/``: the current folder, or the one folder
below it that holds one (``notes/`` of a larger repository). The config goes to the
current folder (the repository's top, where pre-commit and CI run), naming the vault
with ``root`` when it is a subfolder, with the schema settings written out as comments
to fill in. The snippets printed afterwards are for this repository: its baseline file,
and the vault's folder where the action must be told of it.
"""

from __future__ import annotations

import os
from pathlib import Path

from vaultcheck import __version__
from vaultcheck.vault.walk import SKIPPED_FOLDERS

BASELINE = "vaultcheck-baseline.json"
SOURCE = "https://github.com/vaultcheck/vaultcheck"
"""Where vaultcheck's releases are tagged (``v`` and the version, see README: Releasing)."""
MAX_DEPTH = 3


def find_vaults(top: Path) -> list[Path]:
    """Folders at most :data:`MAX_DEPTH` below ``top`` (``top`` included) holding
    ``.obsidian/``, nearest first; hidden and tool folders are not searched."""
    found: list[Path] = []
    pending = [(top, 0)]
    while pending:
        folder, depth = pending.pop(0)
        if (folder / ".obsidian").is_dir():
            found.append(folder)
            continue
        if depth == MAX_DEPTH:
            continue
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            hidden = entry.name.startswith(".") or entry.name in SKIPPED_FOLDERS
            if not hidden and entry.name != "node_modules" and entry.is_dir(follow_symlinks=False):
                pending.append((Path(entry.path), depth + 1))
    return found


def config_text(root: str) -> str:
    """The ``.vaultcheck.toml`` of a repository whose vault is ``root`` (``.``: the top)."""
    lines = ["# vaultcheck configuration: see the README's Configuration section."]
    if root != ".":
        lines.append(f'root = "{root}"   # the vault: its folder, relative to this file')
    lines += [
        "",
        '# exclude = ["Templates/**"]            # notes not to check (globs in the vault)',
        "",
        "# Frontmatter schemas: a shipped name (obsidian-note, video-note) or a JSON Schema file",
        "# (relative to this file). The default is obsidian-note.",
        '# schema = "obsidian-note"',
        "# [schemas]                             # per folder, the first matching glob wins",
        '# "Videos/**" = "video-note"',
        "",
    ]
    return "\n".join(lines)


def precommit_snippet(baseline: str) -> str:
    return f"""\
# .pre-commit-config.yaml
repos:
  - repo: {SOURCE}
    rev: v{__version__}   # a release tag or a commit of vaultcheck
    hooks:
      - id: vaultcheck
        args: [--baseline, {baseline}]
"""


def actions_snippet(baseline: str) -> str:
    return f"""\
# .github/workflows/vaultcheck.yml
name: vaultcheck
on: [pull_request, push]
jobs:
  vaultcheck:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write   # for the SARIF upload
    steps:
      - uses: actions/checkout@v4
      - uses: vaultcheck/vaultcheck@v{__version__}   # a release tag or a commit of vaultcheck
        with:
          baseline: {baseline}
          args: --output sarif:vaultcheck.sarif
      - uses: github/codeql-action/upload-sarif@v3
        if: always()
        with:
          sarif_file: vaultcheck.sarif
"""
