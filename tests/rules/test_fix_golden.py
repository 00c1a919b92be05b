"""``--fix`` and ``--diff`` on the golden cases of tests/rules/alias-format/fix/ (the aliases family).

Each case is ``input/NAME.md``, the bytes ``--fix`` must write in ``expected/NAME.md``
and, for the opt-in fixes, the vault's ``.vaultcheck.toml`` in ``config/NAME.toml``.
A case whose expected bytes equal its input has nothing to fix: the file must not
even be rewritten.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from vaultcheck.reporters.text import _plural as plural

CASES = Path(__file__).parent / "alias-format" / "fix"
NAMES = sorted(path.name for path in (CASES / "input").glob("*.md"))


def written(name: str) -> bytes:
    return (CASES / "input" / name).read_bytes()


def expected(name: str) -> bytes:
    return (CASES / "expected" / name).read_bytes()


CHANGED = [name for name in NAMES if written(name) != expected(name)]
UNCHANGED = [name for name in NAMES if written(name) == expected(name)]


@pytest.fixture
def case(vault):
    """A vault holding one case's input note (and its config): returns the note's path."""

    def make(name: str) -> Path:
        files: dict[str, str | bytes] = {name: written(name)}
        config = CASES / "config" / f"{Path(name).stem}.toml"
        if config.is_file():
            files[".vaultcheck.toml"] = config.read_bytes()
        return vault(files) / name

    return make


def fingerprint(path: Path) -> tuple[bytes, int, int, int]:
    """What rewriting a file would change even with the same bytes: inode and mtime."""
    status = path.stat()
    return path.read_bytes(), status.st_ino, status.st_mtime_ns, stat.S_IMODE(status.st_mode)


def test_every_case_has_its_expected_bytes():
    assert NAMES and sorted(path.name for path in (CASES / "expected").iterdir()) == NAMES
    configs = [path.stem for path in (CASES / "config").iterdir()]
    assert all(f"{stem}.md" in NAMES for stem in configs)


def test_the_cases_cover_what_the_issue_names():
    inputs = {name: written(name) for name in NAMES}
    assert any(raw.startswith(b"\xef\xbb\xbf") for raw in inputs.values())
    assert any(not raw.endswith((b"\n", b"\r")) for raw in inputs.values())
    assert any(b"\r\n" in raw and b"\n" in raw.replace(b"\r\n", b"") for raw in inputs.values())
    assert any(b"\r" in raw.replace(b"\r\n", b"") for raw in inputs.values())
    for construct in [b"```", b"    [[", b"`[[", b"%%", b"<!--", b"$$", b"](", b"![[", b"\\|",
                      b"| --- |", b"[[ ", b" | ", b"[[a_note | one | two]]"]:
        assert any(construct in raw for raw in inputs.values()), construct
    assert UNCHANGED and CHANGED


@pytest.mark.parametrize("name", NAMES)
def test_fix_writes_exactly_the_expected_bytes(case, run, name):
    note = case(name)
    run("check", "--select", "aliases", "--fix", note.parent)
    assert note.read_bytes() == expected(name)


@pytest.mark.parametrize("name", CHANGED)
def test_fix_says_what_it_fixed_and_fails_the_run(case, run, name):
    note = case(name)
    found = json.loads(run("check", "--select", "aliases", "--format", "json", note.parent).out)
    result = run("check", "--select", "aliases", "--fix", note.parent, cwd=note.parent)
    assert result.code == 1
    assert result.err == f"fixed {plural(len(found), 'problem')} in 1 note\n"
    assert result.out == "1 note checked, no problems.\n"


@pytest.mark.parametrize("name", CHANGED)
def test_a_second_fix_is_a_no_op(case, run, name):
    note = case(name)
    run("check", "--select", "aliases", "--fix", note.parent)
    before = fingerprint(note)
    again = run("check", "--select", "aliases", "--fix", note.parent)
    assert (again.code, again.err) == (0, "")
    assert fingerprint(note) == before


@pytest.mark.parametrize("name", UNCHANGED)
def test_a_note_with_nothing_to_fix_is_not_rewritten(case, run, name):
    note = case(name)
    before = fingerprint(note)
    result = run("check", "--select", "aliases", "--fix", note.parent)
    assert (result.code, result.out, result.err) == (0, "1 note checked, no problems.\n", "")
    assert fingerprint(note) == before


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755])
def test_fix_keeps_the_file_mode(case, run, mode):
    note = case("lf.md")
    note.chmod(mode)
    run("check", "--select", "aliases", "--fix", note.parent)
    assert note.read_bytes() == expected("lf.md")
    assert stat.S_IMODE(note.stat().st_mode) == mode


@pytest.mark.parametrize("name", CHANGED)
def test_diff_changes_nothing_and_fails(case, run, name):
    note = case(name)
    before = fingerprint(note)
    result = run("check", "--select", "aliases", "--diff", note.parent, cwd=note.parent)
    assert result.code == 1
    assert result.out.startswith(f"--- a/{name}\n+++ b/{name}\n@@ ")
    assert result.err.startswith("--diff: --fix would fix ")
    assert fingerprint(note) == before


@pytest.mark.parametrize("name", UNCHANGED)
def test_diff_with_nothing_to_fix_prints_no_diff(case, run, name):
    note = case(name)
    result = run("check", "--select", "aliases", "--diff", note.parent)
    assert (result.code, result.out, result.err) == (0, "", "--diff: nothing to fix\n")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git apply")
@pytest.mark.parametrize("name", CHANGED)
def test_git_apply_of_the_diff_gives_what_fix_writes(case, run, name):
    note = case(name)
    patch = run("check", "--select", "aliases", "--diff", note.parent, cwd=note.parent).out
    applied = subprocess.run(
        ["git", "apply", "-"], input=patch.encode("utf-8"),
        cwd=note.parent, capture_output=True, check=False,
        env={**os.environ, "GIT_CEILING_DIRECTORIES": str(note.parent.parent)},
    )
    assert applied.returncode == 0, applied.stderr.decode()
    assert note.read_bytes() == expected(name)


def test_diff_output_is_a_unified_diff_of_the_note(case, run):
    note = case("crlf.md")
    result = run("check", "--select", "aliases", "--diff", note.parent, cwd=note.parent)
    assert result.out == (
        "--- a/crlf.md\n"
        "+++ b/crlf.md\n"
        "@@ -2,5 +2,5 @@\n"
        " title: Brain fog\r\n"
        " ---\r\n"
        " \r\n"
        "-Symptoms of [[brain_fog_causes_and_symptoms | brain fog]] [00:01:10].\r\n"
        "-See also [[ understanding_burnout ]].\r\n"
        "+Symptoms of [[brain_fog_causes_and_symptoms|brain fog]] [00:01:10].\r\n"
        "+See also [[understanding_burnout]].\r\n"
    )
    assert result.err == "--diff: --fix would fix 2 problems in 1 note\n"
