"""What a git diff changed: added or modified lines per file, and removed or renamed files.

Used by ``--diff-base REF`` to gate a pull request on what it touched.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from vaultcheck.config import ConfigError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


@dataclass
class DiffSummary:
    """Lines each file has new since the base (1-based), and the paths the diff removed."""

    changed_lines: dict[Path, set[int]] = field(default_factory=dict)
    removed: set[Path] = field(default_factory=set)

    def touches(self, path: Path, line: int) -> bool:
        return line in self.changed_lines.get(path.resolve(), ())


def _git(top: Path, *args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=top, capture_output=True, check=False)
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConfigError(f"git {' '.join(args[:2])} failed: {message[-1] if message else 'no output'}")
    return completed.stdout.decode("utf-8", "surrogateescape")


def diff_since(base: str, folder: Path) -> DiffSummary:
    """Compare the working tree (staged and unstaged changes included) with ``base``."""
    top = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    summary = DiffSummary()
    status = _git(top, "diff", "--name-status", "-M", "-z", base, "--", ".")
    fields = status.split("\0")
    index = 0
    while index < len(fields) - 1:
        code = fields[index]
        if code.startswith("R"):
            summary.removed.add((top / fields[index + 1]).resolve())
            index += 3
            continue
        if code.startswith("D"):
            summary.removed.add((top / fields[index + 1]).resolve())
        index += 2
    patch = _git(top, "diff", "--unified=0", "--no-color", "--no-ext-diff", "-M", base, "--", ".")
    current: set[int] | None = None
    for line in patch.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = None
            if name != "/dev/null":
                current = summary.changed_lines.setdefault((top / name[2:]).resolve(), set())
        elif current is not None and line.startswith("@@"):
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or 1)
                current.update(range(start, start + count))
    for name in _git(top, "ls-files", "--others", "--exclude-standard", "-z").split("\0"):
        if name:
            path = (top / name).resolve()
            summary.changed_lines[path] = set(range(1, _line_count(path) + 1))
    return summary


def _line_count(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n") + 1
    except OSError:
        return 0
