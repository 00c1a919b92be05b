"""Each rule on its own small vault, compared with the output written beside it.

``tests/rules/<rule>/`` holds, for every rule of the registry:

- ``vault/``: notes in ``pass/`` (no problem of the rule), notes in ``fail/`` (at least
  one), anything else the rule needs to see, and a ``.vaultcheck.toml`` when the rule
  takes options (see rulevault.py);
- ``expected.txt``: the command run in a copy of the vault, what it printed (stdout, then
  stderr after ``[stderr]`` when there is any) and its exit status;
- ``expected.diff``, for a rule whose problems carry fixes: what ``--diff`` prints;
- ``copies.txt`` when the vault needs names this repository cannot hold (two that differ
  only in case), made in the copy of the vault the test runs on.

Any difference fails. After a deliberate change of output, rewrite the expectations with
``VAULTCHECK_UPDATE_GOLDEN=1 python -m pytest tests/rules`` and read the diff before
committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import Run
from rulevault import assert_known, check_arguments, copy_vault, folder, rule_folders

from vaultcheck.rules.registry import RULES

UPDATE = os.environ.get("VAULTCHECK_UPDATE_GOLDEN") == "1"


def transcript(arguments: list[str], result: Run) -> str:
    text = f"$ vaultcheck {' '.join(arguments)}\n{result.out}"
    if result.err:
        text += f"[stderr]\n{result.err}"
    return text + f"[exit {result.code}]\n"


def compare(expected: Path, actual: str) -> None:
    if UPDATE:
        expected.write_text(actual, encoding="utf-8")
    assert expected.is_file(), f"{expected} is missing: write it with VAULTCHECK_UPDATE_GOLDEN=1"
    assert actual == expected.read_text(encoding="utf-8")


def test_every_rule_has_a_folder_and_every_folder_a_rule():
    for name in rule_folders():
        assert_known(name)
    missing = [name for name in RULES if not (folder(name) / "vault").is_dir()]
    assert not missing, f"rules without a tests/rules/<rule>/vault/ folder: {missing}"


@pytest.mark.parametrize("rule", RULES)
def test_rule_on_its_vault(rule, run, tmp_path):
    root = copy_vault(rule, tmp_path)
    arguments = check_arguments(rule, root)
    result = run(*arguments, cwd=root)
    compare(folder(rule) / "expected.txt", transcript(arguments, result))


@pytest.mark.parametrize("rule", RULES)
def test_passing_notes_pass_and_failing_notes_fail(rule, run, tmp_path):
    root = copy_vault(rule, tmp_path)
    passing = sorted(path.relative_to(root).as_posix() for path in (root / "pass").rglob("*.md"))
    failing = sorted(path.relative_to(root).as_posix() for path in (root / "fail").rglob("*.md"))
    assert passing and failing, f"tests/rules/{rule}/vault/ needs notes in pass/ and in fail/"
    result = run(*check_arguments(rule, root), "--format", "json", cwd=root)
    reported = {problem["path"] for problem in json.loads(result.out) if problem["rule"] == rule}
    assert [path for path in passing if path in reported] == []
    assert [path for path in failing if path not in reported] == []


@pytest.mark.parametrize("rule", [name for name, rule in RULES.items() if rule.fixable])
def test_fixes_of_the_rule_on_its_vault(rule, run, tmp_path):
    root = copy_vault(rule, tmp_path)
    arguments = [*check_arguments(rule, root), "--diff"]
    result = run(*arguments, cwd=root)
    assert result.out, f"{rule} is fixable: its vault needs a note it can fix"
    compare(folder(rule) / "expected.diff", transcript(arguments, result))
