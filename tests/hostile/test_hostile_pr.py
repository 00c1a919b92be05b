"""Hostile pull requests: escapes from the repository, forged output, planted caches.

A pull request controls file names, symlinks, note contents, committed files (a cache
folder among them) and sometimes the environment. Each test plays one attack as an
attacker would, with real files in a temporary folder and a real git repository where
the attack needs one, and checks that nothing outside the vault is read or written,
that nothing printed can pass for a workflow command, and that the run says why.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Run

from vaultcheck.engine.store import CACHE_FOLDER
from vaultcheck.vault.root import find_root

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and control characters in names")

SPACED = "Feeling [[Elsewhere | clingy]].\n"
FIXED = "Feeling [[Elsewhere|clingy]].\n"
SECRET = "---\ntitle: outside\n---\nThe secret is [[TOP SECRET]] and [[Secret | spaced]].\n"


def git(root: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
    completed = subprocess.run(command, cwd=root, capture_output=True, check=True)
    return completed.stdout.decode()


def commit_all(root: Path) -> None:
    git(root, "add", "-A", "-f")
    git(root, "commit", "-q", "-m", "pull request")


@pytest.fixture
def repo(tmp_path, vault):
    """A vault that is a git repository, with a folder outside it holding a secret note."""

    def make(files: dict[str, str | bytes]) -> Path:
        outside = tmp_path / "outside"
        outside.mkdir(exist_ok=True)
        (outside / "Secret.md").write_text(SECRET)
        root = vault(files)
        git(root, "init", "-q")
        return root

    return make


#: Runs ``vaultcheck ARGS`` in a process of its own, printing how many notes it read.
ALONE = """
import sys
from vaultcheck.engine import make
from vaultcheck.cli import main

made = []
fresh_record = make.fresh_record
make.fresh_record = lambda path, *args, **kwargs: made.append(path) or fresh_record(path, *args, **kwargs)
code = main(sys.argv[1:])
print("notes read:", len(made), file=sys.stderr)
sys.exit(code)
"""

#: A user without a passwd entry, as in many containers.
NO_PASSWD_ENTRY = """
import pwd
def no_entry(uid):
    raise KeyError(f"getpwuid(): uid not found: {uid}")
pwd.getpwuid = no_entry
"""


def run_alone(args: list[str], cwd: Path, env: dict[str, str | None], prelude: str = "") -> Run:
    """``vaultcheck ARGS`` in a new process (nothing kept from earlier runs in this one),
    with ``env`` changed (None removes a variable) and no ``XDG_CACHE_HOME`` unless given."""
    environment = {**os.environ, "NO_COLOR": "1"}
    environment.pop("XDG_CACHE_HOME", None)
    environment.pop("GITHUB_ACTIONS", None)
    for name, value in env.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    command = [sys.executable, "-c", prelude + ALONE, *args]
    done = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, check=False)
    return Run(done.returncode, done.stdout, done.stderr)


def lines_starting_a_command(text: str) -> list[str]:
    """Lines GitHub's runner would read as a workflow command."""
    return [line for line in text.splitlines() if line.lstrip().startswith("::") or "##[" in line]


# 1. Symlinked paths move the vault root ---------------------------------------------


def test_attack_symlinked_folder_moves_root(repo, run, tmp_path):
    root = repo({"Videos/a.md": "Plain.\n"})
    os.symlink("../outside", root / "People")
    commit_all(root)
    result = run("check", "Videos", "People", cwd=root)
    assert result.code == 2
    assert result.err == (
        f"vaultcheck: error: People leads outside the vault {root} through a symlink\n"
    )
    assert "SECRET" not in result.out + result.err
    assert not (tmp_path / CACHE_FOLDER).exists()


def test_attack_symlinked_folder_makes_fix_rewrite_outside_notes(repo, run, tmp_path):
    root = repo({"Videos/a.md": SPACED, "Elsewhere.md": ""})
    os.symlink("../outside", root / "People")
    commit_all(root)
    result = run("check", "--fix", "Videos", "People", cwd=root)
    assert result.code == 2
    assert (tmp_path / "outside" / "Secret.md").read_text() == SECRET
    assert (root / "Videos" / "a.md").read_text() == SPACED


def test_attack_one_symlinked_path_alone(repo, run):
    root = repo({"a.md": "Plain.\n"})
    os.symlink("../outside", root / "People")
    result = run("check", "People", cwd=root)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "People leads outside the vault" in result.err
    assert "Traceback" not in result.err


def test_attack_check_dot_and_etc_hostname_makes_slash_the_root(vault, run, tmp_path):
    root = vault({"a.md": "Plain.\n"})
    hostname = Path("/etc/hostname")
    if not hostname.is_file():
        pytest.skip("needs /etc/hostname")
    assert find_root([Path("."), hostname], cwd=root) == root
    result = run("check", "--select", "frontmatter-syntax", "--no-cache", ".", hostname, cwd=root)
    assert result.code == 2
    assert result.err == f"vaultcheck: error: /etc/hostname is outside the vault {root}\n"


def test_attack_symlinked_note_reads_git_config(repo, run):
    root = repo({"a.md": "Plain.\n", "picture.png": b"\x89PNG\r\n"})
    git(root, "config", "remote.origin.url", "https://token@example.org/[[leaked-token]]")
    os.symlink(".git/config", root / "config.md")
    os.symlink("picture.png", root / "picture.md")
    commit_all(root)
    for given in ((), ("config.md", "picture.md")):
        result = run("check", "--no-cache", *given, cwd=root)
        assert "leaked-token" not in result.out
        assert result.out.splitlines()[:2] == [
            "config.md:1:1: unreadable-file a symlink into a tool folder of the vault"
            " (.git, .obsidian, ...): not read",
            "picture.md:1:1: unreadable-file a symlink to a file that is not a note: not read",
        ]


def test_attack_symlinked_note_outside_is_reported_not_skipped(repo, run):
    root = repo({"a.md": "Plain.\n"})
    os.symlink("../outside/Secret.md", root / "Linked.md")
    commit_all(root)
    result = run("check", "Linked.md", "a.md", cwd=root)
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "Linked.md:1:1: unreadable-file a symlink that leads outside the vault: not read"
    )
    assert "SECRET" not in result.out


def test_attack_report_symlink_writes_outside(repo, run, tmp_path):
    root = repo({"a.md": "Plain.\n"})
    target = tmp_path / "outside" / "profile"
    target.write_text("kept\n")
    os.symlink(target, root / "vaultcheck.sarif")
    commit_all(root)
    result = run("check", "--output", "sarif:vaultcheck.sarif", cwd=root)
    assert result.code == 2
    assert "vaultcheck.sarif is a symlink inside the vault" in result.err
    assert target.read_text() == "kept\n"


# 2. A committed cache folder writes anywhere ----------------------------------------


def test_attack_cache_gitignore_symlink_creates_any_file(repo, run, tmp_path):
    target = tmp_path / "user-config" / "git-ignore"
    target.parent.mkdir()
    root = repo({"a.md": "Plain.\n"})
    (root / CACHE_FOLDER).mkdir()
    os.symlink(target, root / CACHE_FOLDER / ".gitignore")
    commit_all(root)
    for _ in range(2):
        result = run("check", cwd=root)
        assert result.code == 0
        assert result.err == (
            f"vaultcheck: not using the cache: {CACHE_FOLDER}/.gitignore is a symlink"
            f" (remove {CACHE_FOLDER} and a new cache is made)\n"
        )
    assert not target.exists()
    assert sorted(path.name for path in (root / CACHE_FOLDER).iterdir()) == [".gitignore"]


def test_attack_cache_folder_symlink_writes_anywhere(repo, run, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = repo({"a.md": "Plain.\n"})
    os.symlink(elsewhere, root / CACHE_FOLDER)
    result = run("check", cwd=root)
    assert result.code == 0
    assert result.err.startswith(f"vaultcheck: not using the cache: {CACHE_FOLDER} is a symlink")
    assert list(elsewhere.iterdir()) == []


def test_attack_committed_cache_cannot_hide_problems(repo, run):
    root = repo({"a.md": "A link to [[Nowhere]].\n"})
    first = run("check", cwd=root)
    assert "broken-link" in first.out
    for store in (root / CACHE_FOLDER).rglob("store-*.sqlite"):
        with sqlite3.connect(store) as database:
            for table, column in (("results", "lines"), ("records", "record")):
                database.execute(f"UPDATE {table} SET {column} = replace({column}, 'Nowhere', 'a')")
    (root / "a.md").write_text("A link to [[Nowhere]].\n")  # same bytes, new mtime
    commit_all(root)
    second = run("check", cwd=root)
    assert second.out == first.out
    assert "not using the cache" in second.err and "committed to git" in second.err


def test_restored_cache_is_used_under_a_fresh_home(vault, tmp_path):
    root = vault({"a.md": "A link to [[Nowhere]].\n", "b.md": "Plain.\n"})
    first = run_alone(["check"], root, {"HOME": str(tmp_path / "first-runner")})
    assert first.err == "notes read: 2\n"
    for note in root.glob("*.md"):  # a fresh checkout: same bytes, new times
        os.utime(note, ns=(1, 1))
    again = run_alone(["check"], root, {"HOME": str(tmp_path / "fresh-runner")})
    assert (again.code, again.out, again.err) == (first.code, first.out, "notes read: 0\n")


def test_cache_dir_keeps_the_cache_elsewhere(vault, run, tmp_path):
    root = vault({"a.md": "Plain.\n"})
    result = run("check", "--cache-dir", tmp_path / "cache", cwd=root)
    assert result.code == 0 and result.err == ""
    assert not (root / CACHE_FOLDER).exists()
    assert list((tmp_path / "cache").rglob("store-*.sqlite"))


# 3. Refs from the environment reach git as options ----------------------------------


@pytest.mark.parametrize("variable", ["PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF"])
def test_attack_pre_commit_ref_reaches_git_as_option(repo, run, monkeypatch, tmp_path, variable):
    root = repo({"a.md": "Plain.\n"})
    commit_all(root)
    planted = tmp_path / "planted"
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", "HEAD")
    monkeypatch.setenv("PRE_COMMIT_TO_REF", "HEAD")
    monkeypatch.setenv(variable, f"--output={planted}")
    result = run("check", "a.md", cwd=root)
    assert list(tmp_path.glob("planted*")) == []
    assert result.code == 2
    assert result.err == f"vaultcheck: error: {variable}: '--output={planted}' is not a commit\n"


# 4. Names and messages printed raw --------------------------------------------------

FORGING_NAME = "x\n::stop-commands::hide\n::error file=README.md,line=1::forged.md"


def test_attack_fixed_note_name_forges_annotation(vault, run, monkeypatch):
    root = vault({FORGING_NAME: SPACED, "Elsewhere.md": "", "b.md": "[[Nowhere]]\n"})
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("check", "--fix", cwd=root)
    assert (root / FORGING_NAME).read_text() == FIXED
    assert result.err == "fixed 1 problem in 1 note\n"  # the summary names no note
    commands = lines_starting_a_command(result.out + result.err)
    assert len(commands) == 1
    assert commands[0].startswith(
        "::error file=b.md,line=1,col=1,endLine=1,endColumn=12,title=broken-link::"
        'b.md:1:1: no note named "Nowhere"'
    )


def test_attack_note_name_in_the_not_fixed_line_is_escaped(vault, run, refuse_writes):
    root = vault({FORGING_NAME: SPACED, "Elsewhere.md": ""})
    refuse_writes("forged")
    result = run("check", "--fix", cwd=root)
    assert result.err == (
        "vaultcheck: error: x\\n::stop-commands::hide\\n::error file=README.md,line=1::forged.md"
        " not fixed: the file is read-only\n"
    )
    assert lines_starting_a_command(result.err) == []


def test_attack_untracked_note_name_forges_a_line_in_the_notice(repo, run, monkeypatch):
    root = repo({FORGING_NAME: "[[Nowhere]]\n", ".gitignore": "*.md\n"})
    commit_all(root)
    git(root, "rm", "-q", "--cached", FORGING_NAME)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("check", "--format", "text", FORGING_NAME, cwd=root)
    assert "is not in git's index" in result.err
    assert result.err.count("\n") == 1
    assert lines_starting_a_command(result.out + result.err) == []


@pytest.mark.parametrize("output", ["text", "github", "json", "sarif", "gitlab", "junit"])
def test_attack_names_and_targets_reach_the_terminal_and_the_log(vault, run, output):
    root = vault({
        "::error file=README.md::forged.md": "[[\x1b[2K\x1b[1Ahidden]]\n",
        "##[error]forged\x9b.md": "[[x\u202eyz]] [[##[warning]w]]\n",
    })
    result = run("check", "--format", output, "--no-cache", cwd=root)
    printed = result.out + result.err
    for unsafe in ("\x1b", "\x9b", "\u202e"):
        assert unsafe not in printed
    own = "::error file=" if output == "github" else None
    assert [line for line in lines_starting_a_command(printed) if not line.startswith(own or "\0")] == []


def test_escaped_names_read_as_git_quotes_them(vault, run):
    root = vault({"tab\there.md": "[[\x1b[2Kgone]]\n"})
    result = run("check", "--no-cache", cwd=root)
    assert result.out.startswith('tab\\there.md:1:1: broken-link no note named "\\033[2Kgone"')


def test_json_output_keeps_the_exact_names(vault, run):
    name = "##[error]x\x9b.md"
    root = vault({name: "[[Nowhere]]\n"})
    result = run("check", "--format", "json", "--no-cache", cwd=root)
    assert "##[" not in result.out and "\x9b" not in result.out
    assert json.loads(result.out)[0]["path"] == name


# 5. --diff headers take paths unquoted ----------------------------------------------

#: Folder names that, printed raw in a diff header, add a hunk for the CI workflow.
INJECTED = (
    "x\n--- a/.github/workflows/ci.yml\n+++ b/.github/workflows/ci.yml\n"
    "@@ -1 +1,2 @@\n name: ci\n+pwned: true\n--- a/y/note.md"
)


def _needs_patch() -> None:
    if shutil.which("patch") is None:
        pytest.skip("needs GNU patch (apt-get install patch)")


@pytest.mark.parametrize("tool", ["patch", "git apply"])
def test_attack_diff_header_path_patches_the_workflow(repo, run, tool):
    if tool == "patch":
        _needs_patch()
    root = repo({".github/workflows/ci.yml": "name: ci\n", f"{INJECTED}/note.md": SPACED, "Elsewhere.md": ""})
    commit_all(root)
    diff = run("check", "--diff", cwd=root).out
    command = ["patch", "-p1", "--batch"] if tool == "patch" else ["git", "apply"]
    subprocess.run(command, cwd=root, input=diff.encode(), capture_output=True, check=False)
    assert (root / ".github/workflows/ci.yml").read_text() == "name: ci\n"
    assert (root / INJECTED / "note.md").read_text() == FIXED


@pytest.mark.parametrize("tool", ["patch", "git apply"])
def test_attack_tab_in_a_name_breaks_git_apply(repo, run, tool):
    if tool == "patch":
        _needs_patch()
    root = repo({"tab\there/a b.md": SPACED, "quote\"back\\slash.md": SPACED, "Elsewhere.md": ""})
    commit_all(root)
    diff = run("check", "--diff", cwd=root).out
    command = ["patch", "-p1", "--batch"] if tool == "patch" else ["git", "apply"]
    applied = subprocess.run(command, cwd=root, input=diff.encode(), capture_output=True, check=False)
    assert applied.returncode == 0, applied.stderr.decode() + applied.stdout.decode()
    assert (root / "tab\there/a b.md").read_text() == FIXED
    assert (root / "quote\"back\\slash.md").read_text() == FIXED
    assert git(root, "status", "--porcelain", "-z").count("\0") == 2


def test_diff_under_github_actions_stops_commands(vault, run, monkeypatch):
    root = vault({"a.md": "::error file=x::forged\n" + SPACED, "Elsewhere.md": ""})
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    lines = run("check", "--diff", cwd=root).out.splitlines()
    assert lines[0].startswith("::stop-commands::")
    assert lines[-1] == f"::{lines[0].removeprefix('::stop-commands::')}::"
    assert " ::error file=x::forged" in lines


# 11. Environment --------------------------------------------------------------------


def test_attack_home_unset_without_passwd_entry(vault):
    root = vault({"a.md": "A link to [[Nowhere]].\n"})
    for _ in range(2):
        result = run_alone(["check"], root, {"HOME": None}, NO_PASSWD_ENTRY)
        assert result.code == 1 and "broken-link" in result.out
        assert "Traceback" not in result.err


def test_attack_relative_xdg_cache_home_writes_into_the_vault(vault):
    root = vault({"a.md": "Plain.\n"})
    before = sorted(path.name for path in root.iterdir())
    assert run_alone(["check"], root, {"XDG_CACHE_HOME": "user-cache"}).code == 0
    after = sorted(path.name for path in root.iterdir())
    assert set(after) - set(before) == {CACHE_FOLDER}


def test_attack_dubious_ownership_falls_back_to_the_disk(repo, run, monkeypatch):
    root = repo({"a.md": "A link to [[untracked]].\n"})
    commit_all(root)
    (root / "untracked.md").write_text("Only on this disk.\n")
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    for diff_base in ((), ("--diff-base", "HEAD")):
        result = run("check", *diff_base, cwd=root)
        assert result.code == 2
        assert result.err.startswith("vaultcheck: error: git ")
        assert "detected dubious ownership in repository" in result.err
        assert "shallow" not in result.err
        assert result.err.count("\n") == 1


# 12. A cache written by another build -----------------------------------------------


def test_attack_cache_from_another_build_crashes_every_run(vault, run):
    root = vault({"a.md": "A link to [[Nowhere]].\n", "b.md": "---\nx: [\n---\n"})
    first = run("check", cwd=root)
    stores = sorted((root / CACHE_FOLDER).rglob("store-*.sqlite"))
    for store in stores:
        with sqlite3.connect(store) as database:
            database.execute("UPDATE records SET record = '[\"another layout\",' || substr(record, 2)")
            database.execute("UPDATE results SET rules = '[\"another layout\"]', lines = 3")
    (root / "a.md").touch()
    assert run("check", cwd=root) == first
    assert run("check", cwd=root) == first
    for store in stores:
        with sqlite3.connect(store) as database:
            for (record,) in database.execute("SELECT record FROM records"):
                assert json.loads(record)[0] != "another layout"


# 14. A full disk during the first cache write ---------------------------------------


def test_attack_full_disk_leaves_an_empty_cache_gitignore(vault, run):
    root = vault({"a.md": "Plain.\n"})
    (root / CACHE_FOLDER).mkdir()
    (root / CACHE_FOLDER / ".gitignore").write_bytes(b"")  # what a full disk left
    run("check", cwd=root)
    assert (root / CACHE_FOLDER / ".gitignore").read_text().splitlines()[-1] == "*"
    run("check", cwd=root)  # nothing to write: still mended
    (root / CACHE_FOLDER / ".gitignore").write_bytes(b"")
    run("check", cwd=root)
    assert (root / CACHE_FOLDER / ".gitignore").read_text().splitlines()[-1] == "*"


@pytest.mark.parametrize("name", [INJECTED, "tab\there.md", 'q"b\\s.md', "##[error]x.md", "bad\udcff.md", "é\u202e.md"])
def test_quoted_header_names_read_back_as_written(name):
    from vaultcheck.core.printable import quote_path
    from vaultcheck.vault.gitdiff import unquote_path

    quoted = quote_path(name)
    assert "\n" not in quoted and "\t" not in quoted
    assert unquote_path(quoted) == name
