"""Issue 8 end to end: a vault of bad and hostile notes, checked through the CLI.

Every bad note gets its problem, every good note stays clean, an ordinary note's
broken link is still found behind them all, nothing hangs (each run is under a
generous alarm, not a timed assertion) and no file's bytes or mtime change.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

NESTED_ALIASES = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]
)

#: vault path -> (content, the rules that must report it; empty means clean).
CASES: dict[str, tuple[str | bytes, set[str]]] = {
    "Good/plain.md": ("---\ntitle: Plain\n---\n# Plain\n\nSee [[Good/crlf]].\n", set()),
    "Good/bom.md": (b"\xef\xbb\xbf---\ntitle: BOM\n---\nText.\n", set()),
    "Good/crlf.md": ("---\r\ntitle: CRLF\r\n---\r\n# CRLF\r\n\r\nBack to [[plain]].\r\n", set()),
    "Good/empty.md": ("", set()),
    "Good/rule-later.md": ("Intro\n\n---\n\nnot: frontmatter\n", set()),
    "Good/many-links.md": ("[[plain]] " * 20_000 + "\n", set()),
    "Sentinel.md": ("An ordinary note linking to [[Nowhere at all]].\n", {"broken-link"}),
    "Bad/latin1.md": ("caf\xe9\n".encode("latin-1"), {"unreadable-file"}),
    "Bad/binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", {"unreadable-file"}),
    "Bad/nul.md": (b"text\x00more\n", {"unreadable-file"}),
    "Bad/dashes-only.md": ("---\n", {"frontmatter-syntax"}),
    "Bad/unclosed.md": ("---\ntitle: open\n\nbody\n", {"frontmatter-syntax"}),
    "Bad/list.md": ("---\n- a\n- b\n---\n", {"frontmatter-syntax"}),
    "Bad/scalar.md": ("---\njust text\n---\n", {"frontmatter-syntax"}),
    "Bad/tabs.md": ("---\ntags:\n\t- a\n---\n", {"frontmatter-syntax"}),
    "Bad/duplicate.md": ("---\ntitle: a\ntitle: b\n---\n", {"frontmatter-syntax"}),
    "Bad/laughs.md": (f"---\n{NESTED_ALIASES}\n---\n", {"frontmatter-syntax"}),
    "Bad/self-alias.md": ("---\na: &x [*x]\n---\n", {"frontmatter-syntax"}),
    "Bad/brackets-yaml.md": ("---\nx: " + "[" * 50_000 + "\n---\n", {"frontmatter-syntax"}),
    "Bad/deep-quotes.md": ("> " * 3000 + "[[plain]]\n", {"markdown-too-complex"}),
    "Bad/nested-links.md": (
        "[" * 100_000 + "x" + "](u)" * 100_000 + "\n\n[[plain]]\n",
        {"markdown-too-complex"},
    ),
    "Bad/escape.md": (
        (
            "[[../../etc/passwd]] [[/etc/hosts]] [[~/x]] [[C:/Windows/win]]"
            " [a](..%2F..%2Fsecret.md)\n"
        ),
        {"broken-link"},
    ),
}

#: Clean notes too big to write as literals: built once per test session.
BIG_CASES: dict[str, bytes] = {
    "Big/open-wikilinks.md": b"[[" * 2_000_000 + b"\n",
    "Big/nested-brackets.md": b"[" * 300_000 + b"\n",
}


@pytest.fixture
def alarm() -> Iterator[Callable[[int], None]]:
    """Fail (not hang) a test that runs past a generous number of seconds."""
    if not hasattr(signal, "SIGALRM"):
        pytest.skip("needs SIGALRM")

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError("took far longer than linear time allows")

    previous = signal.signal(signal.SIGALRM, expire)
    yield lambda seconds: signal.alarm(seconds)
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def hostile_vault(vault: Callable[[dict[str, str | bytes]], Path]) -> Path:
    files: dict[str, str | bytes] = {rel: content for rel, (content, _) in CASES.items()}
    files.update(BIG_CASES)
    return vault(files)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and mtime, except vaultcheck's own cache."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".vaultcheck_cache" not in path.parts
    }


def rules_by_note(out: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for match in re.finditer(r"^(\S+\.md):\d+:\d+: (\S+)", out, re.MULTILINE):
        found.setdefault(match.group(1), set()).add(match.group(2))
    return found


@pytest.mark.slow
def test_hostile_vault_end_to_end(hostile_vault, run, alarm):
    before = snapshot(hostile_vault)
    alarm(240)
    result = run("check", ".", cwd=hostile_vault)
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    assert result.err == ""
    found = rules_by_note(result.out)
    for rel, (_, expected) in CASES.items():
        assert found.get(rel, set()) == expected, rel
    for rel in BIG_CASES:
        assert rel not in found
    assert 'Sentinel.md:1:29: broken-link no note named "Nowhere at all"' in result.out
    assert snapshot(hostile_vault) == before


def test_unreadable_note_points_at_the_first_bad_byte(hostile_vault, run):
    result = run("check", "Bad/latin1.md", cwd=hostile_vault)
    assert "Bad/latin1.md:1:4: unreadable-file not valid UTF-8 (byte 0xe9)" in result.out


def test_yaml_bomb_message_says_what_was_bounded(hostile_vault, run):
    result = run("check", "Bad/laughs.md", "Bad/brackets-yaml.md", cwd=hostile_vault)
    assert "expands to more than 10000 values" in result.out
    assert "nesting" in result.out.split("brackets-yaml.md", 1)[1].splitlines()[0]


def test_links_out_of_the_vault_resolve_to_nothing(hostile_vault, run, tmp_path):
    (tmp_path / "secret.md").write_text("outside\n")
    result = run("check", "Bad/escape.md", cwd=hostile_vault)
    problems = re.findall(r"^Bad/escape\.md:1:\d+: (\S+)", result.out, re.MULTILINE)
    assert problems == ["broken-link"] * 5


def test_no_file_outside_the_vault_is_opened(hostile_vault, run, monkeypatch):
    opened: list[str] = []
    real_open = os.open

    def watching_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(os.path.abspath(os.fsdecode(path)))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", watching_open)
    run("check", "Bad/escape.md", cwd=hostile_vault)
    outside = [path for path in opened if "/etc/" in path or "secret" in path]
    assert outside == []


@pytest.mark.slow
def test_hostile_pull_request_vault_end_to_end(hostile_vault, run, alarm, tmp_path, monkeypatch):
    """The same vault as a pull request could make it: symlinks out of the vault and into
    .git, a planted cache, names that would forge output; checked under GitHub Actions."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Secret.md").write_text("The secret is [[TOP SECRET]].\n")
    planted_target = tmp_path / "planted-ignore"
    (hostile_vault / ".git").mkdir()
    (hostile_vault / ".git" / "config").write_text("[remote]\n\turl = [[leaked-token]]\n")
    os.symlink("../outside", hostile_vault / "People")
    os.symlink("../outside/Secret.md", hostile_vault / "Linked.md")
    os.symlink(".git/config", hostile_vault / "config.md")
    (hostile_vault / ".vaultcheck_cache").mkdir()
    os.symlink(planted_target, hostile_vault / ".vaultcheck_cache" / ".gitignore")
    forged = "x\n::error file=README.md::forged \x1b[2K.md"
    (hostile_vault / forged).write_text("[[##[warning]w]]\n")
    before = snapshot(hostile_vault)
    outside_before = snapshot(outside)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    alarm(240)
    result = run("check", "--format", "text", ".", cwd=hostile_vault)
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    assert result.err == (
        "vaultcheck: not using the cache: .vaultcheck_cache/.gitignore is a symlink"
        " (remove .vaultcheck_cache and a new cache is made)\n"
    )
    found = rules_by_note(result.out)
    for rel, (_, expected) in CASES.items():
        assert found.get(rel, set()) == expected, rel
    assert found["Linked.md"] == found["config.md"] == {"unreadable-file"}
    assert "SECRET" not in result.out and "leaked-token" not in result.out
    assert "\x1b" not in result.out
    assert [line for line in result.out.splitlines() if line.startswith("::") or "##[" in line] == []
    assert "x\\n::error file=README.md::forged \\033[2K.md:1:1: broken-heading" in result.out
    assert not planted_target.exists()
    assert snapshot(hostile_vault) == before
    assert snapshot(outside) == outside_before
    assert run("check", "People", cwd=hostile_vault).code == 2


def test_hostile_files_end_to_end(vault, tmp_path):
    """Files that are no notes, or notes no run can take whole, planted among good ones:
    a name that is not UTF-8, a FIFO, a device, a sparse 2 GB note, two names that
    differ only in Unicode normalization, a path over the system's limit and a baseline
    that is /dev/zero. Each run ends (child processes with a timeout and a memory
    limit), none prints a traceback, and no file changes."""
    import unicodedata

    from hostile_child import vaultcheck_child

    nfc = unicodedata.normalize("NFC", "Twins/Café.md")
    nfd = unicodedata.normalize("NFD", "Twins/Café.md")
    root = vault({
        "Good/plain.md": "# Plain\n\nSee [[Sentinel]].\n",
        "Sentinel.md": "An ordinary note linking to [[Nowhere at all]].\n",
        nfc: "# Menu\n",
        nfd: "# Carte\n",
    })
    with open(os.path.join(os.fsencode(root), b"bad\xff.md"), "wb") as stream:
        stream.write(b"Text.\n")
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe.md")
    if os.path.exists("/dev/zero"):
        (root / "zero.md").symlink_to("/dev/zero")
        (root / "vaultcheck-baseline.json").symlink_to("/dev/zero")
    with open(root / "sparse.md", "wb") as stream:
        stream.truncate(2_000_000_000)
    too_long = sys.platform == "linux"
    if too_long:
        from test_hostile_files import make_too_long_path

        make_too_long_path(root)
    before = stat_snapshot(root)

    completed = vaultcheck_child("check", ".", cwd=root, timeout=120)
    assert completed.returncode == 1
    assert completed.stderr == ""
    found = rules_by_note(completed.stdout)
    assert found == {
        "bad\\377.md": {"unreadable-file"},  # printed as git quotes it
        "zero.md": {"unreadable-file"},  # a symlink out of the vault, never read
        "Sentinel.md": {"broken-link"},
        "sparse.md": {"unreadable-file"},
        nfc: {"unreadable-file"},
        nfd: {"unreadable-file"},
    }
    assert "sparse.md:1:1: unreadable-file is 2000.0 MB, over the limit of 8.0 MB" in completed.stdout
    if too_long:
        assert "unreadable-file folder cannot be read (File name too long)" in completed.stdout

    if os.path.exists("/dev/zero"):
        planted = vaultcheck_child("check", "--baseline", "vaultcheck-baseline.json", cwd=root)
        assert planted.returncode == 2
        assert planted.stderr.count("\n") == 1 and "is a device" in planted.stderr
    if hasattr(os, "mkfifo"):
        pipe = vaultcheck_child("check", "pipe.md", cwd=root)
        assert "pipe.md:1:1: unreadable-file is a FIFO, not a regular file" in pipe.stdout
    fixing = vaultcheck_child("check", "--fix", ".", cwd=root, timeout=120)
    assert fixing.returncode == 1
    assert "Traceback" not in fixing.stderr
    assert stat_snapshot(root) == before


def stat_snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry's type, size and mtime, without reading any file (some are FIFOs or
    2 GB), except vaultcheck's own cache; unlistable folders are skipped as os.walk does."""
    entries = {}
    for folder, folders, files in os.walk(root):
        folders[:] = [name for name in folders if name != ".vaultcheck_cache"]
        for name in files + folders:
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            entries[os.path.relpath(path, root)] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return entries
