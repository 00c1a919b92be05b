"""Signals and streams: Ctrl-C, a killed run's pool workers, a reader that goes away,
closed stdout and stderr. Each run is a real process, as a shell or CI starts it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals and shells")
linux_only = pytest.mark.skipif(
    not os.path.isdir("/proc/self/task") or (os.cpu_count() or 1) < 2,
    reason="finds a run's pool workers in /proc (Linux), and a pool needs two cores",
)

#: Enough notes for the run to use its pool of workers, and to keep them busy a while.
NOTES = 3000


@pytest.fixture
def busy_vault(vault) -> Path:  # type: ignore[no-untyped-def]
    text = "".join(
        f"## Part {part}\n[00:0{part}:00] See [[Nowhere {part}]].\n" for part in range(9)
    )
    files: dict[str, str | bytes] = {f"Notes/note {index}.md": text * 2 for index in range(NOTES)}
    return vault(files)  # type: ignore[no-any-return]


def child_environ() -> dict[str, str]:
    environ = {**os.environ, "NO_COLOR": "1"}
    environ.pop("GITHUB_ACTIONS", None)
    return environ


def start(root: Path, *args: str) -> subprocess.Popen[bytes]:
    """``vaultcheck check`` in its own session, so signals reach it and its workers only."""
    return subprocess.Popen(
        [sys.executable, "-m", "vaultcheck", "check", "--no-cache", *args],
        cwd=root,
        env=child_environ(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found.extend(int(child) for child in (task / "children").read_text().split())
    return found


def wait_for_workers(process: subprocess.Popen[bytes]) -> list[int]:
    """The pool workers of a run, once it has started them (fails if it never does)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = children(process.pid)
        if len(workers) >= 2:
            return workers
        if process.poll() is not None:
            pytest.fail("the run ended before it started its workers")
        time.sleep(0.01)
    pytest.fail("the run never started its workers")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def kill_session(process: subprocess.Popen[bytes]) -> None:
    """Whatever is left of a run (its workers included) when a test ends."""
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.slow
@posix_only
@linux_only
def test_attack_sigint_prints_a_traceback(busy_vault):
    process = start(busy_vault)
    try:
        wait_for_workers(process)
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group
        _out, err = process.communicate(timeout=60)
    finally:
        kill_session(process)
    assert err.decode() == "vaultcheck: interrupted\n"
    assert process.returncode == 130


@pytest.mark.slow
@posix_only
@linux_only
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_attack_killed_run_leaves_pool_workers_alive(busy_vault, how):
    process = start(busy_vault)
    try:
        workers = wait_for_workers(process)
        os.kill(process.pid, how)  # the main process only, as a CI runner's timeout does
        try:
            process.communicate(timeout=30)  # EOF on stdout: no worker holds it open
        except subprocess.TimeoutExpired:
            pytest.fail("stdout still open: the workers outlived the run")
        deadline = time.monotonic() + 10
        while any(map(alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(alive, workers))
    finally:
        kill_session(process)


def test_interrupt_in_process_is_one_line(vault, run, monkeypatch):
    from vaultcheck.engine import run as engine_run

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(engine_run, "record_notes", interrupted)
    try:
        result = run("check", ".", cwd=vault({"a.md": "Text.\n"}))
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C escaped main() as a traceback")
    assert result.code == 130
    assert result.err == "vaultcheck: interrupted\n"


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=child_environ(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


VAULTCHECK = f"{sys.executable} -m vaultcheck"


@posix_only
def test_attack_head_closes_the_pipe(vault):
    root = vault({"many.md": "[[Nowhere]]\n" * 20_000})  # a report far over a pipe's buffer
    completed = shell(
        f'{VAULTCHECK} check --no-cache | head -1; echo "status ${{PIPESTATUS[0]}}"', root
    )
    assert completed.stdout == (
        'many.md:1:1: broken-link no note named "Nowhere" in the vault\nstatus 141\n'
    )
    assert completed.stderr == ""


@posix_only
def test_attack_closed_stdout_traceback(vault):
    root = vault({"a.md": "[[Nowhere]]\n"})
    completed = shell(f"{VAULTCHECK} check --no-cache >&-", root)
    assert completed.stderr == ""
    assert completed.returncode == 1


SPACED = "Feeling [[understanding_clinginess | clingy]].\n"
FIXED = "Feeling [[understanding_clinginess|clingy]].\n"


@posix_only
def test_attack_closed_stderr_fix_stops_after_one_note(vault):
    names = [f"note {index}.md" for index in range(5)]
    root = vault(dict.fromkeys(names, SPACED))
    completed = shell(f"{VAULTCHECK} check --select aliases --fix . 2>&-", root)
    assert completed.returncode == 1
    assert [(root / name).read_text() for name in names] == [FIXED] * 5
    assert "Traceback" not in completed.stdout


@posix_only
def test_attack_stderr_reader_gone_during_fix(vault):
    """stderr is a pipe whose reader has left: every note is still fixed."""
    names = [f"note {index}.md" for index in range(5)]
    root = vault(dict.fromkeys(names, SPACED))
    completed = shell(
        f"{VAULTCHECK} check --select aliases --fix . 2>&1 >/dev/null | true;"
        ' echo "status ${PIPESTATUS[0]}"',
        root,
    )
    assert completed.stdout == "status 1\n"
    assert [(root / name).read_text() for name in names] == [FIXED] * 5


def _worker_killed(paths):  # type: ignore[no-untyped-def]
    """Stands in for a worker's batch: the worker dies as one killed for memory does."""
    os._exit(137)


def test_attack_worker_killed_mid_run_prints_a_traceback(tmp_path, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    """A pool worker that dies (the kernel's out-of-memory killer) ends the run with one
    line and status 2, never a ``BrokenProcessPool`` traceback."""
    from vaultcheck.cli import main
    from vaultcheck.engine import pool

    for number in range(pool.PARALLEL_FROM + 10):
        (tmp_path / f"n{number}.md").write_text(f"# Note {number}\n")
    monkeypatch.setattr(pool, "_fresh_batch", _worker_killed)
    status = main(["check", "--no-cache", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2
    assert "a worker process died" in err
    assert "Traceback" not in err
