"""The ``vaultcheck-aliases`` hook through real ``pre-commit try-repo``: it fixes, fails, then passes."""

from __future__ import annotations

import pytest
from test_precommit import git, notes_repo, try_repo  # noqa: F401 (notes_repo is a fixture)


@pytest.mark.slow
def test_aliases_hook_rewrites_a_spaced_link_fails_then_passes(notes_repo):  # noqa: F811
    note = notes_repo / "the_process_of_letting_go_in_relationships.md"
    note.write_bytes(
        b"---\r\ntitle: The process of letting go\r\n---\r\n\r\n"
        b"People who feel [[understanding_clinginess_in_relationships | clingy]] [00:00:04]."
    )
    clean = notes_repo / "clean.md"
    clean.write_text("Already as Obsidian writes it: [[understanding_clinginess_in_relationships|clingy]].\n")
    git(notes_repo, "add", ".")
    clean_before = clean.stat().st_mtime_ns

    failed = try_repo(notes_repo, "vaultcheck-aliases")

    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "files were modified by this hook" in failed.stdout
    # One line: rewritten, re-stage; no "fixed", no "checked, no problems" beside Failed.
    assert (
        "vaultcheck: rewrote 1 note (1 problem fixed): the_process_of_letting_go_in_relationships.md;"
        " review and re-stage them (git add)\n" in failed.stdout
    )
    assert "no problems" not in failed.stdout and "fixed 1 problem in" not in failed.stdout
    assert note.read_bytes() == (
        b"---\r\ntitle: The process of letting go\r\n---\r\n\r\n"
        b"People who feel [[understanding_clinginess_in_relationships|clingy]] [00:00:04]."
    )
    assert clean.stat().st_mtime_ns == clean_before

    git(notes_repo, "add", ".")
    passed = try_repo(notes_repo, "vaultcheck-aliases")
    assert passed.returncode == 0, passed.stdout + passed.stderr
