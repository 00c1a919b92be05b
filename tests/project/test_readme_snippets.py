"""Every shell, YAML and TOML snippet of the README that can run offline, run as written.

The README points at ``https://github.com/vaultcheck/vaultcheck`` and the tag its
"Releasing" section says to create. Here that repository is a clone of this checkout
(uncommitted changes committed) tagged by the Releasing snippet itself, and its URL is
put in place of the real one; pip installs from local wheels (``offline.py``). A snippet
that cannot run offline says why in ``NOT_RUN``, and its runnable parts still run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from offline import offline_environment

from vaultcheck import __version__
from vaultcheck.vault.config import load_config

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
SOURCE = "https://github.com/vaultcheck/vaultcheck"
TAG = f"v{__version__}"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)

NOT_RUN = {
    "python -m pytest": "runs this very test suite",
    "bench/run.py": "the benchmark takes minutes",
    "git push": "would publish a tag",
}
"""Commands no test runs, with the reason; the rest of their snippet runs."""

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (REPO / ".git").exists(),
    reason="the README's snippets need git and a git checkout of vaultcheck",
)


def snippets(language: str) -> list[tuple[int, str]]:
    """The README's fenced blocks in ``language``, with the line each starts on."""
    return [
        (README.count("\n", 0, match.start()) + 1, match.group(2))
        for match in BLOCK.finditer(README)
        if match.group(1) == language
    ]


def commands(snippet: str) -> Iterator[str]:
    """The commands of a shell snippet, comments dropped, parts no test runs left out."""
    for line in snippet.splitlines():
        command = re.sub(r"\s+#\s.*$", "", line).strip()
        parts = [part for part in command.split(" && ") if not any(word in part for word in NOT_RUN)]
        if parts:
            yield " && ".join(parts)


def localised(text: str, release: Path) -> str:
    return text.replace(SOURCE, release.as_uri())


def shell(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=900,
        check=False,
    )


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Offline pip, this Python's scripts first on PATH, a pre-commit home of our own."""
    environment = offline_environment()
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment['PATH']}"
    environment["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    environment["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    for name in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "PRE_COMMIT", "VIRTUAL_ENV"):
        environment.pop(name, None)
    environment |= {"GIT_AUTHOR_NAME": "notes", "GIT_AUTHOR_EMAIL": "notes@example.invalid"}
    environment |= {"GIT_COMMITTER_NAME": "notes", "GIT_COMMITTER_EMAIL": "notes@example.invalid"}
    return environment


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> Path:
    """This checkout as the README's repository: cloned, its uncommitted changes
    committed, and tagged by running the README's Releasing snippet."""
    clone = tmp_path_factory.mktemp("release") / "vaultcheck"
    git(REPO, "clone", "-q", "--no-hardlinks", str(REPO), str(clone))
    changed = git(REPO, "ls-files", "-z", "--modified", "--others", "--exclude-standard")
    for name in filter(None, changed.split("\0")):
        source, target = REPO / name, clone / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        elif target.exists():
            target.unlink()
    git(clone, "add", "-A")
    subprocess.run(["git", "commit", "-qm", "working tree"], cwd=clone, env=env, capture_output=True, check=False)
    (releasing,) = [text for line, text in snippets("sh") if "git tag" in text]
    for command in commands(releasing):
        done = shell(command, clone, env)
        assert done.returncode == 0, done.stderr
    assert git(clone, "tag", "--list", TAG).strip() == TAG
    return clone


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> Path:
    """An empty virtual environment: where the README's installs go."""
    folder = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "virtualenv", "-q", str(folder)], check=True, env=env)
    return folder / "bin" / "python"


NOTES = {
    ".obsidian/app.json": "{}\n",
    "Home.md": "# Home\n\nSee [[Understanding anxiety]] and [[understanding_anxeity]].\n",
    "Understanding anxiety.md": "---\ntags: [anxiety]\n---\n\n# Understanding anxiety\n\n"
    "The cycle [00:03:42] then [00:01:10].\n",
    "Videos/letting_go.md": "---\ntags: 5\n---\n\nPeople who feel [[Home | clingy]].\n",
}


@pytest.fixture
def notes(tmp_path: Path, env: dict[str, str]) -> Path:
    """A notes repository with old problems, committed."""
    top = tmp_path / "notes-repo"
    for rel, text in NOTES.items():
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text(text, encoding="utf-8")
    git(top, "init", "-q")
    git(top, "add", ".")
    subprocess.run(["git", "commit", "-qm", "notes"], cwd=top, env=env, check=True)
    return top


def run_checked(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A README command: vaultcheck may find problems (1), never a usage error or a crash."""
    done = shell(command, cwd, env)
    allowed = (0, 1) if command.startswith("vaultcheck check") else (0,)
    assert done.returncode in allowed, f"{command}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return done


# TOML ---------------------------------------------------------------------------------


@pytest.mark.parametrize("line, snippet", snippets("toml"), ids=lambda value: str(value)[:12])
def test_toml_snippet_is_a_valid_config(tmp_path, line, snippet):
    name = "pyproject.toml" if "[tool.vaultcheck" in snippet else ".vaultcheck.toml"
    (tmp_path / name).write_text(snippet, encoding="utf-8")
    load_config(tmp_path / name, base=tmp_path)


# Shell --------------------------------------------------------------------------------


def test_every_shell_snippet_is_run_by_a_test():
    runs = {
        "pip install . && vaultcheck check examples/vault": "test_quick_start",
        "pip install -e '.[test]'": "test_quick_start",
        '"vaultcheck @ git+': "test_install_from_the_git_url",
        "vaultcheck check --diff": "test_fixing_snippet",
        "vaultcheck init": "test_first_run_snippets",
        "pre-commit install": "test_first_run_snippets",
        "git tag": "release (fixture)",
        "VAULTCHECK_UPDATE_GOLDEN": "NOT_RUN: rewrites this checkout's golden files",
    }
    for line, snippet in snippets("sh"):
        assert any(key in snippet for key in runs), f"README.md:{line}: no test runs this snippet"


@pytest.mark.slow
def test_quick_start(release, env, tmp_path):
    clone = tmp_path / "clone"
    shutil.copytree(release, clone)
    for line, snippet in snippets("sh")[:3]:
        if "pip install ." not in snippet and "pip install -e" not in snippet:
            continue
        for command in commands(snippet):
            done = shell(command, clone, env)
            if "vaultcheck check examples/vault" in command:  # every rule fires in the demo
                assert done.returncode == 1, done.stderr
                assert "problems in" in done.stdout
            else:
                assert done.returncode == 0, f"README.md:{line}: {command}\n{done.stderr}"


@pytest.mark.slow
def test_install_from_the_git_url(release, env, fresh_python):
    ((line, snippet),) = [(n, s) for n, s in snippets("sh") if "git+" in s]
    bin_folder = fresh_python.parent
    path_env = env | {"PATH": f"{bin_folder}{os.pathsep}{env['PATH']}"}
    for command in commands(localised(snippet, release)):
        done = shell(command, release, path_env)
        assert done.returncode == 0, f"README.md:{line}: {command}\n{done.stderr}"
    version = subprocess.run([bin_folder / "vaultcheck", "--version"], capture_output=True, text=True, check=True)
    assert version.stdout == f"vaultcheck {__version__}\n"


@pytest.mark.slow
def test_fixing_snippet(env, tmp_path):
    ((_, snippet),) = [(n, s) for n, s in snippets("sh") if "vaultcheck check --diff" in s]
    vault = tmp_path / "vault"
    shutil.copytree(REPO / "examples" / "vault", vault)
    outputs = [run_checked(command, vault, env) for command in commands(snippet)]
    assert "--diff: --fix would fix" in outputs[0].stderr
    assert run_checked("vaultcheck check --select aliases", vault, env).returncode == 0


def write_precommit_config(notes: Path, text: str) -> None:
    (notes / ".pre-commit-config.yaml").write_text(text, encoding="utf-8")
    git(notes, "add", ".pre-commit-config.yaml")


@pytest.mark.slow
def test_first_run_snippets(release, env, notes):
    first, then = [(n, s) for n, s in snippets("sh") if "vaultcheck init" in s or "pre-commit install" in s]
    outputs = [run_checked(command, notes, env) for command in commands(first[1])]
    assert outputs[1].stdout.startswith("0 problems") or "no problems" in outputs[1].stdout
    assert "[*] fixable with --fix" in outputs[2].stdout
    # The pre-commit configuration init printed, pointed at the local release.
    printed = outputs[0].stdout.split("# .pre-commit-config.yaml\n")[1].split("\n\n")[0]
    write_precommit_config(notes, localised("# .pre-commit-config.yaml\n" + printed, release))
    for command in commands(then[1]):
        run_checked(command, notes, env)
    subprocess.run(["git", "add", "-A"], cwd=notes, check=True)
    committed = shell("git commit -qm 'aliases fixed, baseline rewritten'", notes, env)
    assert committed.returncode == 0, committed.stdout + committed.stderr
    # From now on a new problem fails the commit, and only it is reported.
    (notes / "New.md").write_text("See [[Home]] and [[Missing note]].\n")
    git(notes, "add", "New.md")
    refused = shell("git commit -qm new", notes, env)
    said = refused.stdout + refused.stderr  # git shows the hook's output on stderr
    assert refused.returncode == 1
    assert 'New.md:1:18: broken-link no note named "Missing note"' in said
    assert "Home.md:" not in said


# YAML: pre-commit ---------------------------------------------------------------------


def precommit_snippets() -> list[tuple[int, str]]:
    return [(line, text) for line, text in snippets("yaml") if "repos:" in text]


def workflows() -> list[tuple[int, dict[str, Any]]]:
    return [(line, yaml.safe_load(text)) for line, text in snippets("yaml") if "jobs:" in text]


def with_baseline(notes: Path, env: dict[str, str]) -> None:
    run_checked("vaultcheck check --write-baseline vaultcheck-baseline.json", notes, env)
    git(notes, "add", "vaultcheck-baseline.json")


@pytest.mark.slow
@pytest.mark.parametrize("line, snippet", precommit_snippets(), ids=lambda value: str(value)[:12])
def test_precommit_snippet_runs(release, env, notes, line, snippet):
    config = yaml.safe_load(snippet)
    assert config["repos"][0]["repo"] == SOURCE and config["repos"][0]["rev"] == TAG
    with_baseline(notes, env)
    write_precommit_config(notes, localised(snippet, release))
    passed = shell("pre-commit run --all-files", notes, env)
    assert passed.returncode == 0, f"README.md:{line}\n{passed.stdout}\n{passed.stderr}"
    (notes / "Home.md").write_text(NOTES["Home.md"] + "And [[Nowhere]].\n")
    failed = shell("pre-commit run --all-files", notes, env)
    assert failed.returncode == 1
    assert 'Home.md:4:5: broken-link no note named "Nowhere"' in failed.stdout


# YAML: GitHub Actions -----------------------------------------------------------------


@pytest.fixture(scope="module")
def action_python(release, env, fresh_python, tmp_path_factory) -> Path:
    """The Python the action sets up, with vaultcheck installed by the action's own step."""
    action = yaml.safe_load((release / "action.yml").read_text(encoding="utf-8"))
    install = next(step for step in action["runs"]["steps"] if step.get("name") == "Install vaultcheck")
    folder = tmp_path_factory.mktemp("action") / "venv"
    subprocess.run([sys.executable, "-m", "virtualenv", "-q", str(folder)], check=True, env=env)
    python = folder / "bin" / "python"
    step_env = env | {"VAULTCHECK_PYTHON": str(python), "VAULTCHECK_SOURCE": str(release)}
    done = subprocess.run(["bash", "-c", install["run"]], env=step_env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return python


def run_action(release: Path, python: Path, env: dict[str, str], inputs: dict[str, str], top: Path,
               tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The action's "Run vaultcheck" step as GitHub runs it, with the snippet's inputs."""
    action = yaml.safe_load((release / "action.yml").read_text(encoding="utf-8"))
    step = next(step for step in action["runs"]["steps"] if step.get("name") == "Run vaultcheck")
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    unknown = set(inputs) - set(values)
    assert not unknown, f"the action has no input {unknown}"
    values |= inputs
    step_env = env | {f"INPUT_{name.upper()}": value for name, value in values.items()}
    step_env |= {
        "VAULTCHECK_PYTHON": str(python),
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_WORKSPACE": str(top),
    }
    cwd = top / values["working-directory"]
    return subprocess.run(
        ["bash", "-c", step["run"]], cwd=cwd, env=step_env, capture_output=True, text=True, check=False
    )


@pytest.mark.slow
@pytest.mark.parametrize("line, workflow", workflows(), ids=lambda value: str(value)[:12])
def test_workflow_snippet_runs(release, env, notes, action_python, tmp_path, line, workflow):
    with_baseline(notes, env)
    for job in workflow["jobs"].values():
        written: set[str] = set()
        for step in job["steps"]:
            uses = step.get("uses", "")
            if uses.startswith("vaultcheck/vaultcheck@"):
                assert uses.split("@")[1] == TAG
                inputs = {name: str(value) for name, value in step.get("with", {}).items()}
                done = run_action(release, action_python, env, inputs, notes, tmp_path)
                assert done.returncode == 0, f"README.md:{line}\n{done.stdout}\n{done.stderr}"
                assert done.stdout.startswith("vaultcheck check --format github")
                for word in inputs.get("args", "").split():
                    if word.startswith("sarif:"):
                        written.add(word.removeprefix("sarif:"))
                        log = json.loads((notes / word.removeprefix("sarif:")).read_text())
                        assert log["version"] == "2.1.0"
            elif uses.startswith("github/codeql-action/upload-sarif@"):
                assert step["if"] == "always()"
                assert job["permissions"]["security-events"] == "write"
                assert step["with"]["sarif_file"] in written
            elif "run" in step:
                # pip cannot install pre-commit offline; it is already here.
                command = step["run"].replace("pip install pre-commit && ", "")
                ((_, config),) = precommit_snippets()
                write_precommit_config(notes, localised(config, release))
                done = shell(command, notes, env)
                assert done.returncode == 0, f"README.md:{line}\n{done.stdout}\n{done.stderr}"
            else:  # checkout, cache, setup-python: GitHub's own, not runnable here
                assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", uses), uses


@pytest.mark.slow
def test_subfolder_vault_with_the_action(release, env, action_python, tmp_path):
    """The README's subfolder config, at the top of a repository, through the action."""
    top = tmp_path / "repository"
    for rel, text in NOTES.items():
        (top / "notes" / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / "notes" / rel).write_text(text, encoding="utf-8")
    (top / "README.md").write_text("# Not a note\n[[nothing]]\n")
    ((_, config),) = [(n, s) for n, s in snippets("toml") if 'root = "notes"' in s]
    (top / ".vaultcheck.toml").write_text(config)
    git(top, "init", "-q")
    git(top, "add", ".")
    done = run_action(release, action_python, env, {"args": "--output sarif:out.sarif"}, top, tmp_path)
    assert done.returncode == 1
    assert "::error file=notes/Home.md,line=3," in done.stdout
    assert "README.md" not in done.stdout
    uris = {
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in json.loads((top / "out.sarif").read_text())["runs"][0]["results"]
    }
    assert uris == {"notes/Home.md", "notes/Understanding%20anxiety.md", "notes/Videos/letting_go.md"}


# YAML: GitLab -------------------------------------------------------------------------


@pytest.mark.slow
def test_gitlab_snippet_runs(release, env, notes, fresh_python):
    ((line, text),) = [(n, s) for n, s in snippets("yaml") if "script:" in s]
    job = next(iter(yaml.safe_load(localised(text, release)).values()))
    path_env = env | {"PATH": f"{fresh_python.parent}{os.pathsep}{env['PATH']}"}
    for command in job["script"]:
        done = shell(command, notes, path_env)
        assert done.returncode in (0, 1), f"README.md:{line}: {command}\n{done.stderr}"
    assert done.returncode == 1  # the notes have problems and no baseline here
    for report in job["artifacts"]["reports"].values():
        assert (notes / report).stat().st_size > 0
