"""Benchmark vaultcheck against rumdl, in the same run, on this machine: the real vault
first, then generated vaults.

The real vault is ``../shared/corpora/tubegraph.tar.gz`` beside the project when it is
there (21,273 video notes, 166 MB), unpacked once into the work folder, outside the
project. Generated vaults (``generate_vault.py``) are the second workload and the one
that scales to 100,000 notes.

For each vault: rumdl 0.3 (installed from PyPI into a private virtualenv by this
script) cold (``--no-cache``) and warm (its cache), then vaultcheck cold
(``--no-cache``), warm (the cache of a first run), after editing 10 notes, ``--fix``
(on a fresh copy of the vault each time) and the pre-commit case (one note, ten notes
given as paths; rumdl on the same notes). Every rule on, text output. Each figure is
the median of ``--repeat`` runs of a whole process: wall time, CPU time (user +
system, children included), peak RSS (the largest process). ``vs rumdl`` is
vaultcheck's wall time over rumdl's for the same notes (cold for cold, ``--fix`` and
edited runs; warm for warm): below 1.0 vaultcheck is faster. The ten slowest notes of
a cold run follow, in CPU seconds (``check --timings``).

    python bench/run.py --repeat 3                  # real vault (if present), 2000, 20000
    python bench/run.py --sizes 100000 --repeat 1 --no-real
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
import venv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate_vault import generate  # noqa: E402

RUMDL = "rumdl==0.3.0"
PROJECT = Path(__file__).resolve().parents[1]
REAL_VAULT = PROJECT.parent / "shared" / "corpora" / "tubegraph.tar.gz"
HEADER = (
    "| vault | tool | case | wall | CPU | peak RSS | notes/s | vs rumdl |\n"
    "|---|---|---|---:|---:|---:|---:|---:|"
)


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    rss_mb: float


def child_env() -> dict[str, str]:
    """The environment of the measured processes: bytecode caching on (a user's install
    has its ``.pyc`` files), whatever the shell running the benchmark says."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["NO_COLOR"] = "1"
    return env


def measure(command: list[str], cwd: Path) -> Sample:
    """Run ``command`` once; wall clock, CPU and peak RSS of its whole process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median_of(repeat: int, run: Callable[[], Sample]) -> Sample:
    samples = [run() for _ in range(repeat)]
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


def generated_vault(size: int, work: Path) -> Path:
    vault = work / f"vault-{size}"
    if not (vault / ".obsidian").is_dir():
        shutil.rmtree(vault, ignore_errors=True)
        generate(size, vault)
    return vault


def real_vault(tarball: Path, work: Path) -> Path:
    """The real vault unpacked into ``work`` (once), marked as a vault for vaultcheck."""
    vault = work / "tubegraph"
    marker = vault / ".obsidian"
    if not marker.is_dir():
        shutil.rmtree(vault, ignore_errors=True)
        with tarfile.open(tarball) as archive:
            if hasattr(tarfile, "data_filter"):  # no links or paths out of the folder
                archive.extractall(work, filter="data")
            else:  # pragma: no cover - Pythons before the filters
                archive.extractall(work)
        marker.mkdir()
    return vault


def edit_notes(notes: list[Path], round_: int) -> None:
    for note in notes:
        with note.open("a", encoding="utf-8") as handle:
            handle.write(f"\nEdited in benchmark round {round_} [99:00:00].\n")


def row(name: str, tool: str, case: str, sample: Sample, notes: int, peer: Sample | None) -> str:
    ratio = f"{sample.wall / peer.wall:.2f}x" if peer else ""
    return (
        f"| {name} | {tool} | {case} | {sample.wall:.2f} s | {sample.cpu:.2f} s"
        f" | {sample.rss_mb:.0f} MB | {notes / sample.wall:.0f} | {ratio} |"
    )


@dataclass
class Result:
    rows: list[str]
    slowest: list[tuple[float, str]]
    fix_over_cold: float | None


def bench_vault(
    name: str, vault: Path, work: Path, repeat: int, vaultcheck: list[str], skip: frozenset[str] = frozenset()
) -> Result:
    notes = sorted(vault.rglob("*.md"))
    count = len(notes)
    cache = vault / ".vaultcheck_cache"
    rumdl = str(rumdl_binary(work))
    rumdl_cache = work / "rumdl-cache"
    rows = []

    rumdl_cold = median_of(repeat, lambda: measure([rumdl, "check", "--no-cache", "--quiet", "."], vault))
    rows.append(row(name, "rumdl 0.3", "cold", rumdl_cold, count, None))
    shutil.rmtree(rumdl_cache, ignore_errors=True)
    warm_rumdl = [rumdl, "check", "--quiet", "--cache-dir", str(rumdl_cache), "."]
    measure(warm_rumdl, vault)
    rumdl_warm = median_of(repeat, lambda: measure(warm_rumdl, vault))
    rows.append(row(name, "rumdl 0.3", "warm", rumdl_warm, count, None))

    timings = work / f"timings-{name}.tsv"
    timings.unlink(missing_ok=True)

    def cold() -> Sample:
        shutil.rmtree(cache, ignore_errors=True)
        extra = [] if timings.exists() else ["--timings", str(timings)]
        return measure([*vaultcheck, "check", "--no-cache", *extra, "."], vault)

    cold_sample = None if "cold" in skip else median_of(repeat, cold)
    if cold_sample is not None:
        rows.append(row(name, "vaultcheck", "cold", cold_sample, count, rumdl_cold))
    shutil.rmtree(cache, ignore_errors=True)
    measure([*vaultcheck, "check", "."], vault)  # writes the cache the warm runs use
    warm = median_of(repeat, lambda: measure([*vaultcheck, "check", "."], vault))
    rows.append(row(name, "vaultcheck", "warm", warm, count, rumdl_warm))

    edited = notes[:: max(1, count // 10)][:10]
    originals = {note: note.read_bytes() for note in edited}
    rounds = iter(range(repeat))

    def after_edits() -> Sample:
        edit_notes(edited, next(rounds))
        return measure([*vaultcheck, "check", "."], vault)

    try:
        rows.append(row(name, "vaultcheck", "10 edited", median_of(repeat, after_edits), count, rumdl_cold))
    finally:
        for note, content in originals.items():
            note.write_bytes(content)

    copy = work / f"fix-{name}"

    def fix() -> Sample:
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(vault, copy, ignore=shutil.ignore_patterns(".vaultcheck_cache"))
        return measure([*vaultcheck, "check", "--fix", "."], copy)

    fixed = None if "fix" in skip else median_of(repeat, fix)
    shutil.rmtree(copy, ignore_errors=True)
    if fixed is not None:
        rows.append(row(name, "vaultcheck", "--fix", fixed, count, rumdl_cold))

    for size in (1, 10):
        chosen = [str(note.relative_to(vault)) for note in edited[:size]]
        case = f"hook, {size} note{'s' if size > 1 else ''}"
        rumdl_hook = [rumdl, "check", "--no-cache", "--quiet", *chosen]
        peer = median_of(repeat, lambda command=rumdl_hook: measure(command, vault))
        rows.append(row(name, "rumdl 0.3", case, peer, size, None))
        vaultcheck_hook = [*vaultcheck, "check", *chosen]
        hook = median_of(repeat, lambda command=vaultcheck_hook: measure(command, vault))
        rows.append(row(name, "vaultcheck", case, hook, size, peer))

    slowest = []
    for line in timings.read_text(encoding="utf-8").splitlines()[:10] if timings.exists() else ():
        seconds, path = line.split("\t", 1)
        slowest.append((float(seconds), path))
    fix_over_cold = fixed.wall / cold_sample.wall if fixed is not None and cold_sample is not None else None
    return Result(rows, slowest, fix_over_cold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000, 20000],
                        help="generated vaults to run (none: only the real vault)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/vaultcheck-bench"))
    parser.add_argument("--real", type=Path, default=REAL_VAULT,
                        help="the real vault's archive (default: %(default)s)")
    parser.add_argument("--no-real", action="store_true", help="skip the real vault")
    parser.add_argument("--skip", nargs="*", choices=["cold", "fix"], default=[],
                        help="vaultcheck cases not to run (the slow ones, when timing warm runs)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    vaultcheck = [sys.executable, "-m", "vaultcheck"]
    measure([*vaultcheck, "--version"], args.work)  # bytecode compiled before timing

    vaults: list[tuple[str, Path]] = []
    if not args.no_real and args.real.is_file():
        vaults.append(("real (tubegraph)", real_vault(args.real, args.work)))
    elif not args.no_real:
        print(f"(real vault {args.real} not found: generated vaults only)\n")
    vaults.extend((f"generated {size}", generated_vault(size, args.work)) for size in args.sizes)

    command = " ".join(["python bench/run.py", *sys.argv[1:]])
    version = subprocess.run(
        [*vaultcheck, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"`{command}` on {datetime.date.today()}: {version}, rumdl 0.3.0, Python"
          f" {platform.python_version()}, {os.cpu_count()} cores; median of {args.repeat} runs;"
          " every rule, text output; `vs rumdl`: vaultcheck wall / rumdl wall\n")
    print(HEADER, flush=True)
    results = []
    for name, vault in vaults:
        result = bench_vault(name, vault, args.work, args.repeat, vaultcheck, frozenset(args.skip))
        results.append((name, result))
        for line in result.rows:
            print(line, flush=True)
    for name, result in results:
        if result.fix_over_cold is not None:
            print(f"\n{name}: `--fix` takes {result.fix_over_cold:.2f}x the cold check's wall time.")
        if result.slowest:
            print(f"\nThe ten slowest notes of {name}, cold (CPU seconds: read, parse, rules):\n")
            print("| CPU | note |\n|---:|---|")
            for seconds, path in result.slowest:
                print(f"| {seconds:.3f} s | `{path}` |")


if __name__ == "__main__":
    main()
