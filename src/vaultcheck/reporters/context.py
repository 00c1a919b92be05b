"""What a reporter knows besides the problems."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ReportContext:
    """The run a report is about: where it ran, which vault, how many notes were checked."""

    cwd: Path
    root: Path
    notes_checked: int
    color: bool = False

    def display_path(self, path: Path) -> str:
        """A problem's path as users type it: relative to the current folder, ``/``-separated."""
        return Path(os.path.relpath(path, self.cwd)).as_posix()
