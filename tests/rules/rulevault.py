"""The per-rule folders of tests/rules/: each rule's small vault, and how a rule is run on it.

``tests/rules/<rule>/vault/`` is a vault written in the style of a real one: notes under
``pass/`` have no problem of the rule, notes under ``fail/`` at least one, and any other
file is there for the rule to see (link targets, attachments, a ``.vaultcheck.toml``
with the options the rule needs). The rule runs alone (``--select <rule>``) unless the
vault's config says which rules run (``select = [...]``): ``unused-suppression``, for
one, judges only the comments of rules that ran beside it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from vaultcheck.rules.registry import RULES

FOLDERS = Path(__file__).parent
CONFIG = ".vaultcheck.toml"


def folder(rule: str) -> Path:
    return FOLDERS / rule


def rule_folders() -> list[str]:
    """The names of the folders under tests/rules/ that hold a rule's vault."""
    return sorted(path.parent.name for path in FOLDERS.glob("*/vault") if path.is_dir())


def copy_vault(rule: str, into: Path) -> Path:
    """A copy of the rule's vault in ``into`` (outside any git work tree, so that every
    file on disk counts as a link target, and no run writes into the repository), with
    the copies ``copies.txt`` asks for: ``path => other path`` per line, for names that
    the repository cannot hold (two that differ only in case break a macOS checkout)."""
    root = into / "vault"
    shutil.copytree(folder(rule) / "vault", root)
    (root / ".obsidian").mkdir(exist_ok=True)
    copies = folder(rule) / "copies.txt"
    if copies.is_file():
        for line in copies.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                source, copy = (part.strip() for part in line.split("=>"))
                (root / copy).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root / source, root / copy)
    return root


def check_arguments(rule: str, root: Path) -> list[str]:
    """The arguments of ``vaultcheck`` that check the vault at ``root`` (run from there)."""
    config = root / CONFIG
    chooses = config.is_file() and re.search(r"(?m)^select\s*=", config.read_text("utf-8"))
    return ["check", "--no-cache", *([] if chooses else ["--select", rule]), "."]


def assert_known(rule: str) -> None:
    assert rule in RULES, f"tests/rules/{rule}/ is not the folder of a registered rule"
