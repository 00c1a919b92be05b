"""Fuzz the note parser, every rule and the fixer with hypothesis, for minutes at a time.

    python tests/fuzz_notes.py --minutes 5

Runs batches of generated notes (random bytes and Markdown/YAML fragments) until the
time is up; stops at the first failure and prints the shrunk example. Findings are
fixed and, where useful, kept as tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).parent))
from robustness import BYTES, check_bytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.minutes * 60
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / ".obsidian").mkdir()

        @settings(max_examples=2000, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(raw=BYTES)
        def fuzz(raw: bytes) -> None:
            check_bytes(raw, root)

        batches = 0
        while time.monotonic() < deadline:
            fuzz()
            batches += 1
    print(f"fuzz_notes: {batches} batches of up to 2000 notes, no failure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
