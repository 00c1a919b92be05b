"""Files a pull request can plant to crash, hang or blind a run: names that are not
UTF-8, FIFOs and devices, huge notes, names that differ only in Unicode normalization,
paths over the system's length limit, and a selection that runs no rule.

Each runs as the attacker would run it; runs that could hang or eat the machine's
memory run in a child process with a timeout and a memory limit.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from pathlib import Path

import pytest
from hostile_child import vaultcheck_child

BAD_NAME = b"bad\xff.md"
SENTINEL = ("Sentinel.md", "An ordinary note linking to [[Nowhere at all]].\n")
SENTINEL_FOUND = 'Sentinel.md:1:29: broken-link no note named "Nowhere at all"'

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
posix_names = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="needs file names that are bytes (Linux)"
)


def write_bad_name(root: Path) -> None:
    with open(os.path.join(os.fsencode(root), BAD_NAME), "wb") as stream:
        stream.write(b"Some text.\n")


@posix_names
@pytest.mark.parametrize(
    "config",
    [
        "",
        'exclude = ["Templates/**"]\n',
        '[per-file-ignores]\n"Other/**" = ["links"]\n',
        '[schemas]\n"Videos/**" = "video-note"\n',
    ],
)
def test_attack_name_not_utf8_crashes_every_run(vault, run, config):
    root = vault({".vaultcheck.toml": config, SENTINEL[0]: SENTINEL[1]})
    write_bad_name(root)
    result = run("check", ".", cwd=root)
    assert result.code == 1
    assert "bad\\377.md:1:1: unreadable-file file name is not UTF-8 (byte 0xff)" in result.out
    assert SENTINEL_FOUND in result.out


@pytest.mark.slow
@posix_names
@pytest.mark.parametrize("format_name", ["text", "json", "github", "sarif", "junit", "gitlab"])
def test_attack_name_not_utf8_crashes_the_report(vault, format_name):
    """Through the real streams, which refuse such a name when strict."""
    root = vault({SENTINEL[0]: SENTINEL[1]})
    write_bad_name(root)
    os.environ["PYTHONIOENCODING"] = "utf-8:strict"
    try:
        completed = vaultcheck_child("check", "--format", format_name, ".", cwd=root)
    finally:
        del os.environ["PYTHONIOENCODING"]
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    assert "Sentinel.md" in completed.stdout


@needs_fifo
def test_attack_fifo_baseline_hangs(vault):
    root = vault({SENTINEL[0]: SENTINEL[1]})
    os.mkfifo(root / "vaultcheck-baseline.json")
    completed = vaultcheck_child("check", "--baseline", "vaultcheck-baseline.json", cwd=root)
    assert completed.returncode == 2
    assert completed.stderr == (
        "vaultcheck: error: baseline vaultcheck-baseline.json is a FIFO, not a regular file;"
        " not read\n"
    )


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_attack_baseline_symlinked_to_dev_zero_exhausts_memory(vault):
    root = vault({SENTINEL[0]: SENTINEL[1]})
    (root / "vaultcheck-baseline.json").symlink_to("/dev/zero")
    for option in ("--baseline", "--write-baseline"):
        completed = vaultcheck_child("check", option, "vaultcheck-baseline.json", cwd=root)
        assert completed.returncode == 2
        assert completed.stderr == (
            "vaultcheck: error: baseline vaultcheck-baseline.json is a device, not a regular"
            " file; not read\n"
        )


def test_a_baseline_over_the_limit_is_refused_unread(vault, run):
    root = vault(
        {
            ".vaultcheck.toml": "max-baseline-size = 1000\n",
            "vaultcheck-baseline.json": '{"version": 1, "problems": []}' + " " * 2000,
            SENTINEL[0]: SENTINEL[1],
        }
    )
    result = run("check", "--baseline", "vaultcheck-baseline.json", cwd=root)
    assert result.code == 2
    assert result.err == (
        "vaultcheck: error: baseline vaultcheck-baseline.json is 2,030 bytes, over the limit of"
        " 1,000 bytes (max-baseline-size); not read\n"
    )


@needs_fifo
def test_attack_fifo_given_as_note_path_hangs(vault):
    root = vault({SENTINEL[0]: SENTINEL[1]})
    os.mkfifo(root / "pipe.md")
    completed = vaultcheck_child("check", "pipe.md", "Sentinel.md", cwd=root)
    assert completed.returncode == 1
    assert "pipe.md:1:1: unreadable-file is a FIFO, not a regular file" in completed.stdout
    assert SENTINEL_FOUND in completed.stdout


@pytest.mark.skipif(not hasattr(os, "mknod"), reason="needs mknod")
def test_attack_device_given_as_note_path_never_ends(vault):
    root = vault({SENTINEL[0]: SENTINEL[1]})
    try:  # the same device as /dev/zero, inside the vault
        os.mknod(root / "zero.md", 0o600 | 0o020000, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("creating a device needs root")
    completed = vaultcheck_child("check", "zero.md", "Sentinel.md", cwd=root)
    assert completed.returncode == 1
    assert "zero.md:1:1: unreadable-file is a device, not a regular file" in completed.stdout


def test_attack_sparse_2gb_note_takes_minutes(vault):
    root = vault({SENTINEL[0]: SENTINEL[1]})
    with open(root / "huge.md", "wb") as stream:
        stream.truncate(2_000_000_000)  # sparse: no disk space, but 2 GB to read
    completed = vaultcheck_child("check", ".", cwd=root, timeout=60)
    assert completed.returncode == 1
    assert "huge.md:1:1: unreadable-file is 2000.0 MB, over the limit of 8.0 MB" in completed.stdout
    assert SENTINEL_FOUND in completed.stdout


def test_attack_95mb_text_note_takes_minutes(vault):
    root = vault({SENTINEL[0]: SENTINEL[1]})
    line = b"Plain prose with a [[link]] and a [00:01:02] timestamp, again and again.\n"
    block = line * 1000
    with open(root / "long.md", "wb") as stream:
        stream.writelines(block for _ in range(95_000_000 // len(block)))
    completed = vaultcheck_child("check", ".", cwd=root, timeout=60)
    assert completed.returncode == 1
    assert "long.md:1:1: unreadable-file is 95.0 MB, over the limit of 8.0 MB" in completed.stdout
    assert SENTINEL_FOUND in completed.stdout


def test_max_file_size_is_configurable(vault, run):
    root = vault(
        {
            ".vaultcheck.toml": "max-file-size = 100\n",
            "small.md": "x" * 100 + "\n",
            "fits.md": "x" * 99 + "\n",
        }
    )
    result = run("check", ".", cwd=root)
    assert result.code == 1
    assert "small.md:1:1: unreadable-file is 101 bytes, over the limit of 100 bytes" in result.out
    assert "fits.md" not in result.out


@pytest.mark.parametrize("value", ["0", '"big"'])
def test_max_file_size_must_be_a_positive_integer(vault, run, value):
    root = vault({".vaultcheck.toml": f"max-file-size = {value}\n", "a.md": "x\n"})
    result = run("check", ".", cwd=root)
    assert result.code == 2
    assert "max-file-size" in result.err


@pytest.mark.parametrize(
    "options",
    [["--select", ""], ["--select", " , "], ["--select", "links", "--ignore", "links"]],
)
def test_attack_empty_select_passes_as_clean(vault, run, options):
    root = vault({SENTINEL[0]: SENTINEL[1]})
    result = run("check", *options, ".", cwd=root)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("vaultcheck: error: no rules selected")
    assert result.err.count("\n") == 1


def test_config_turning_every_rule_off_is_no_rules_selected(vault, run):
    root = vault({".vaultcheck.toml": 'select = ["timestamps"]\nignore = ["timestamps"]\n'})
    result = run("check", ".", cwd=root)
    assert result.code == 2
    assert "no rules selected" in result.err


CAFE_NFC = unicodedata.normalize("NFC", "Café.md")
CAFE_NFD = unicodedata.normalize("NFD", "Café.md")


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS folds the two names into one")
def test_attack_nfc_nfd_twins_hide_one_another(vault, run):
    root = vault(
        {
            CAFE_NFC: "# Menu\n",
            CAFE_NFD: "# Carte\n",
            "Links.md": "[[Café#Menu]] [[Café#Carte]]\n",
        }
    )
    if len(os.listdir(root)) < 4:
        pytest.skip("this file system folds names that differ in normalization")
    result = run("check", ".", cwd=root)
    assert result.code == 1
    pairs = ((CAFE_NFC, "NFC", CAFE_NFD, "NFD"), (CAFE_NFD, "NFD", CAFE_NFC, "NFC"))
    for rel, form, other, other_form in pairs:
        assert (
            f'{rel}:1:1: unreadable-file "{rel}" ({form}) and "{other}" ({other_form})'
            " are one name once Unicode is normalized" in result.out
        )
    # A run on one of them alone (a pre-commit hook adding it) still sees the other.
    alone = run("check", CAFE_NFD, cwd=root)
    assert f'{CAFE_NFD}:1:1: unreadable-file "{CAFE_NFD}" (NFD) and "{CAFE_NFC}" (NFC)' in alone.out


def make_too_long_path(root: Path) -> str:
    """Folders nested past the system's path length limit (each name within the limit
    for one name), with a note at the bottom; returns the top folder's name."""
    top = "d00" + "x" * 240
    descriptor = os.open(root, os.O_RDONLY)
    try:
        for level in range(18):
            name = f"d{level:02d}" + "x" * 240
            os.mkdir(name, dir_fd=descriptor)
            deeper = os.open(name, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = deeper
        note = os.open("deep.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor)
        os.write(note, b"[[Nowhere]]\n")
        os.close(note)
    finally:
        os.close(descriptor)
    return top


@pytest.mark.skipif(sys.platform != "linux", reason="needs Linux's 4096-byte path limit")
def test_attack_path_over_system_limit_is_skipped_silently(vault, run):
    root = vault({"top.md": "Fine.\n"})
    make_too_long_path(root)
    result = run("check", ".", cwd=root)
    assert result.code == 1
    problems = [line for line in result.out.splitlines() if ": unreadable-file" in line]
    assert len(problems) == 1
    assert problems[0].startswith("d00xxx")
    assert problems[0].endswith(
        ":1:1: unreadable-file folder cannot be read (File name too long):"
        " the notes in it are not checked"
    )
