"""A generated vault of a few hundred notes written from Obsidian's published link syntax:
vaultcheck reports exactly the links the generator broke, and does the work once per run."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from linkvault import generate, reported

from vaultcheck.engine.check import rule_context
from vaultcheck.engine.run import check_paths
from vaultcheck.links.targets import FactsCache, NoteFacts
from vaultcheck.note.note import Note
from vaultcheck.rules.api import RuleContext
from vaultcheck.rules.selection import select_rules
from vaultcheck.vault.config import Config
from vaultcheck.vault.files import FileIndex, VaultFile
from vaultcheck.vault.vault import Vault

LINK_RULES = "broken-link,broken-heading,broken-block-ref,missing-attachment"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    made = generate(seed=7, count=300)
    root = tmp_path_factory.mktemp("generated") / "vault"
    (root / ".obsidian").mkdir(parents=True)
    for rel, content in made.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root, made


def test_the_generator_is_deterministic():
    assert generate(seed=7, count=40).files == generate(seed=7, count=40).files


def test_the_generated_vault_is_large_and_breaks_every_kind_of_link(generated):
    _root, made = generated
    notes = [rel for rel in made.files if rel.endswith(".md")]
    assert len(notes) > 300
    assert made.links_written > 2000
    rules = {rule for *_where, rule in made.broken}
    assert rules == {"broken-link", "broken-heading", "broken-block-ref", "missing-attachment"}


def test_exactly_the_links_the_generator_broke_are_reported(generated, run):
    root, made = generated
    result = run("check", "--select", LINK_RULES, cwd=root)
    found = reported(result.out)
    assert len(found) == len(set(found))
    missed = sorted(made.broken - set(found))
    false_alarms = sorted(set(found) - made.broken)
    assert (missed, false_alarms) == ([], [])
    assert result.code == 1


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Every read of a note in this process: by the runner (``Note.read``), of a link
    target's facts (``FactsCache``), and every collection of a note's headings and
    block ids (``NoteFacts``), by vault path."""
    seen: dict[str, list[str]] = {"read": [], "target": [], "facts": []}
    real_read = Note.read.__func__  # type: ignore[attr-defined]
    real_load = FactsCache._load
    real_facts = NoteFacts.__init__

    def read(cls: type[Note], path: Path, rel: str, *limit: int) -> Note:
        seen["read"].append(rel)
        return real_read(cls, path, rel, *limit)  # type: ignore[no-any-return]

    def load(self: FactsCache, file: VaultFile) -> NoteFacts | None:
        seen["target"].append(file.path)
        return real_load(self, file)

    def facts(self: NoteFacts, note: Note, parse: bool) -> None:
        seen["facts"].append(note.rel)
        real_facts(self, note, parse)

    monkeypatch.setattr(Note, "read", classmethod(read))
    monkeypatch.setattr(FactsCache, "_load", load)
    monkeypatch.setattr(NoteFacts, "__init__", facts)
    return seen


def check(root: Path, paths: list[Path]) -> RuleContext:
    context = rule_context(Vault(root=root, config=Config(base=root)))
    check_paths(context, paths, select_rules(context.vault.config, LINK_RULES.split(",")))
    return context


def test_a_whole_vault_run_reads_and_parses_each_note_once(generated, reads):
    root, made = generated
    check(root, [])
    notes = sorted(rel for rel in made.files if rel.endswith(".md"))
    assert sorted(reads["read"]) == notes
    assert reads["target"] == []
    assert sorted(reads["facts"]) == notes


def test_a_partial_run_reads_each_link_target_at_most_once(generated, reads):
    root, made = generated
    # The notes of one folder link to notes all over the vault, many of them twice.
    folder = root / "Projects" / "Alpha"
    context = check(root, [folder])
    checked = {rel for rel in made.files if rel.startswith("Projects/Alpha/")}
    assert set(reads["read"]) == checked
    assert len(reads["target"]) > 20
    assert len(reads["target"]) == len(set(reads["target"])) == context.links.facts.reads
    assert not checked & set(reads["target"])
    assert len(reads["facts"]) == len(set(reads["facts"]))


def test_the_file_index_is_built_once_per_run(generated, monkeypatch):
    root, _made = generated
    builds: list[Path] = []
    real_build = FileIndex.build.__func__  # type: ignore[attr-defined]

    def counting_build(cls: type[FileIndex], folder: Path, checked: Iterable[str] = (), **known: Any) -> FileIndex:
        builds.append(folder)
        return real_build(cls, folder, checked, **known)  # type: ignore[no-any-return]

    monkeypatch.setattr(FileIndex, "build", classmethod(counting_build))
    check(root, [])
    assert builds == [root]
