"""Benchmark vaultcheck against rumdl on generated vaults, in the same run, on this machine.

For each size: a cold run (no cache), a warm run (cache from the cold run), a run
after editing 10 notes, and the pre-commit case (10 changed notes given as paths);
rumdl 0.3 (installed from PyPI into a private virtualenv by this script) runs on the
same files with its cache off. Each figure is the median of ``--repeat`` runs of a
whole process: wall time, CPU time (user + system, children included), peak RSS.

    python bench/run.py --sizes 2000 20000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
import venv
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate_vault import generate  # noqa: E402

RUMDL = "rumdl==0.3.0"


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    rss_mb: float


def measure(command: list[str], cwd: Path) -> Sample:
    """Run ``command`` once; wall clock, CPU and peak RSS of its whole process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median(samples: list[Sample]) -> Sample:
    return Sample(
        statistics.median(s.wall for s in samples),
        statistics.median(s.cpu for s in samples),
        statistics.median(s.rss_mb for s in samples),
    )


def rumdl_binary(work: Path) -> Path:
    env = work / "rumdl-venv"
    binary = env / "bin" / "rumdl"
    if not binary.exists():
        venv.create(env, with_pip=True)
        subprocess.run([env / "bin" / "pip", "install", "-q", RUMDL], check=True)
    return binary


def vault_of(size: int, work: Path) -> Path:
    vault = work / f"vault-{size}"
    if not (vault / ".obsidian").is_dir():
        shutil.rmtree(vault, ignore_errors=True)
        generate(size, vault)
    return vault


def edit_notes(notes: list[Path], round_: int) -> None:
    for note in notes:
        with note.open("a", encoding="utf-8") as handle:
            handle.write(f"\nEdited in benchmark round {round_} [99:00:00].\n")


def row(size: int, tool: str, case: str, sample: Sample, notes: int, peer: Sample | None) -> str:
    ratio = f"{peer.wall / sample.wall:5.2f}x" if peer else "     "
    return (
        f"| {size:>7} | {tool:<10} | {case:<16} | {sample.wall:7.2f} s | {sample.cpu:7.2f} s"
        f" | {sample.rss_mb:7.0f} MB | {notes / sample.wall:9.0f} | {ratio} |"
    )


def bench_size(size: int, work: Path, repeat: int, vaultcheck: list[str]) -> list[str]:
    vault = vault_of(size, work)
    notes = sorted(vault.rglob("*.md"))
    cache = vault / ".vaultcheck_cache"
    rumdl = rumdl_binary(work)
    rows = []

    rumdl_sample = median([measure([str(rumdl), "check", "--no-cache", "--quiet", "."], vault)
                           for _ in range(repeat)])
    rows.append(row(size, "rumdl 0.3", "cold", rumdl_sample, len(notes), None))

    def cold() -> Sample:
        shutil.rmtree(cache, ignore_errors=True)
        return measure([*vaultcheck, "check", "."], vault)

    cold_sample = median([cold() for _ in range(repeat)])
    rows.append(row(size, "vaultcheck", "cold", cold_sample, len(notes), rumdl_sample))
    warm_sample = median([measure([*vaultcheck, "check", "."], vault) for _ in range(repeat)])
    rows.append(row(size, "vaultcheck", "warm", warm_sample, len(notes), rumdl_sample))

    edited = notes[:: max(1, len(notes) // 10)][:10]
    originals = {note: note.read_bytes() for note in edited}
    edit_samples = []
    try:
        for round_ in range(repeat):
            edit_notes(edited, round_)
            edit_samples.append(measure([*vaultcheck, "check", "."], vault))
        rows.append(row(size, "vaultcheck", "10 edited", median(edit_samples), len(notes),
                        rumdl_sample))
        hook = [*vaultcheck, "check", *(str(note.relative_to(vault)) for note in edited)]
        rows.append(row(size, "vaultcheck", "hook, 10 notes",
                        median([measure(hook, vault) for _ in range(repeat)]), len(edited), None))
    finally:
        for note, content in originals.items():
            note.write_bytes(content)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/vaultcheck-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    vaultcheck = [sys.executable, "-m", "vaultcheck"]
    version = median([measure([*vaultcheck, "--version"], args.work) for _ in range(args.repeat)])
    print(f"machine: {os.cpu_count()} cores; median of {args.repeat} runs; ratio = rumdl wall / vaultcheck wall")
    print(f"`vaultcheck --version`: {version.wall:.3f} s wall\n")
    print("|   notes | tool       | case             |    wall   |    CPU    |  peak RSS  |  notes/s  | ratio |")
    print("|---------|------------|------------------|-----------|-----------|------------|-----------|-------|")
    for size in args.sizes:
        for line in bench_size(size, args.work, args.repeat, vaultcheck):
            print(line, flush=True)


if __name__ == "__main__":
    main()
