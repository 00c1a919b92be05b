"""Install vaultcheck without the network: a wheelhouse made from this environment.

pre-commit installs a hook's repository with pip into a fresh virtualenv. So that the
tests never reach a package index, pip is pointed at a folder of wheels and nothing
else (``PIP_NO_INDEX``): vaultcheck's dependencies (test extra included), zipped back into wheels from the
files this environment installed (their RECORD lists them), and the setuptools wheel
virtualenv ships (vaultcheck's build backend).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from functools import cache
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement


def _closure(name: str, extra: str) -> list[metadata.Distribution]:
    """The installed distributions ``name`` and its ``extra`` need (``name`` excluded)."""
    found: dict[str, metadata.Distribution] = {}
    pending = [Requirement(text) for text in metadata.requires(name) or ()]
    while pending:
        requirement = pending.pop()
        marker = requirement.marker
        if marker is not None and not any(marker.evaluate({"extra": e}) for e in ("", extra)):
            continue
        key = requirement.name.lower().replace("_", "-")
        if key in found:
            continue
        distribution = metadata.distribution(requirement.name)
        found[key] = distribution
        pending.extend(Requirement(text) for text in distribution.requires or ())
    return list(found.values())


def _rebuild_wheel(distribution: metadata.Distribution, folder: Path) -> None:
    wheel_info = distribution.read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip().split("-") for line in wheel_info.splitlines() if line.startswith("Tag:")]
    # Several Tag lines (py2-none-any, py3-none-any) make one compressed tag: py2.py3-none-any.
    tag = "-".join(".".join(dict.fromkeys(parts)) for parts in zip(*tags, strict=True))
    name = distribution.metadata["Name"].replace("-", "_")
    target = folder / f"{name}-{distribution.version}-{tag}.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for file in distribution.files or ():
            if file.parts[0] == ".." or "__pycache__" in file.parts:
                continue
            source = Path(str(distribution.locate_file(file)))
            if source.is_file():
                wheel.write(source, file.as_posix())


def wheelhouse(folder: Path) -> Path:
    """A folder of wheels enough to ``pip install`` vaultcheck, with its test extra, from
    its source."""
    folder.mkdir(parents=True, exist_ok=True)
    for distribution in _closure("vaultcheck", "test"):
        _rebuild_wheel(distribution, folder)
    import virtualenv

    embedded = Path(virtualenv.__file__).parent / "seed" / "wheels" / "embed"
    for wheel in embedded.glob("setuptools-*.whl"):
        shutil.copy(wheel, folder)
    return folder


@cache
def _shared_wheelhouse() -> Path:
    return wheelhouse(Path(tempfile.mkdtemp(prefix="vaultcheck-wheels-")))


def offline_environment(folder: Path | None = None) -> dict[str, str]:
    """The environment for a pre-commit run whose pip reads only ``folder`` (default: a
    wheelhouse made once per test run)."""
    folder = folder or _shared_wheelhouse()
    environment = dict(os.environ)
    for name in list(environment):
        if name.startswith(("PIP_", "GITHUB_")):
            del environment[name]
    environment |= {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(folder),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "NO_COLOR": "1",
        "PRE_COMMIT_COLOR": "never",
        "VIRTUALENV_NO_DOWNLOAD": "1",
    }
    return environment
