"""Start-up: a run imports only what its rules, options and vault use.

A pre-commit hook pays the import time of every run; slow imports (jsonschema, the
process pool, XML for JUnit, glob matching, git diffs) load only when needed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SLOW = ["jsonschema", "multiprocessing", "concurrent.futures.process", "xml.etree.ElementTree",
        "pathspec", "tomllib", "vaultcheck.vault.gitdiff", "vaultcheck.gate.baseline"]

PROBE = """
import contextlib, io, json, sys
from vaultcheck.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(sys.argv[2:])
json.dump(sorted(name for name in json.loads(sys.argv[1]) if name in sys.modules), sys.stdout)
"""


def imported(root: Path, *args: str) -> set[str]:
    """Which of :data:`SLOW` a ``vaultcheck`` run in a fresh interpreter imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(SLOW), *args],
        cwd=root, capture_output=True, text=True, check=True,
    )
    return set(json.loads(done.stdout))


@pytest.fixture
def one_note(vault) -> Path:  # type: ignore[no-untyped-def]
    return vault({"a.md": "---\ntitle: A\n---\n# A\n\nSee [[b | B]] at [00:01:02].\n", "b.md": "b\n"})


def test_a_hook_on_one_note_loads_no_pool_no_xml_no_globs_no_git_diff(one_note):
    assert imported(one_note, "check", "a.md") == {"jsonschema"}


def test_without_the_schema_rule_jsonschema_is_not_imported(one_note):
    assert imported(one_note, "check", "--select", "timestamps,links,aliases", "a.md") == set()


def test_what_options_and_config_ask_for_is_imported(one_note):
    (one_note / ".vaultcheck.toml").write_text('exclude = ["x/**"]\n')
    found = imported(one_note, "check", "--select", "timestamps", "--format", "junit",
                     "--write-baseline", "base.json", "a.md")
    # A config file is validated by its JSON Schema: jsonschema loads.
    assert found == {"xml.etree.ElementTree", "pathspec", "tomllib", "vaultcheck.gate.baseline",
                     "jsonschema"}
