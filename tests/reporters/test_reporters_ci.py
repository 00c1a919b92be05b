"""The CI formats (text, json, github, sarif, junit, gitlab), ``--output``, the job summary and the GitHub Action.

Goldens run on tests/golden/ci/vault copied to a temporary folder outside any git
repository, so every path in them is ``vault/...`` on every machine; the SARIF root URI
and version are replaced by placeholders. Regenerate with VAULTCHECK_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from vaultcheck import __version__
from vaultcheck.reporters.github import SUMMARY_LIMIT, escape_data, escape_markdown, escape_property
from vaultcheck.rules.registry import RULES

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "ci"
UPDATE = os.environ.get("VAULTCHECK_UPDATE_GOLDEN") == "1"
REPO = Path(__file__).resolve().parents[2]
SELECT = ("--select", "frontmatter,unreadable-file")
GITHUB_VARIABLES = (
    "GITHUB_ACTIONS",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_SERVER_URL",
    "GITHUB_REPOSITORY",
    "GITHUB_SHA",
)
DUPLICATE_KEY = "---\nname: Ada\nname: Ada Lovelace\n---\n\nText.\n"


@pytest.fixture(autouse=True)
def outside_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No GitHub variables from the machine running the tests, and no git repository
    above the temporary folder (so paths do not depend on where tmp lives)."""
    for name in GITHUB_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


@pytest.fixture
def ci_vault(tmp_path: Path) -> Path:
    """The golden vault copied to ``tmp/vault``; returns ``tmp``, the folder to run from."""
    shutil.copytree(GOLDEN / "vault", tmp_path / "vault")
    return tmp_path


@pytest.fixture
def step_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """GITHUB_STEP_SUMMARY pointing at a file that already holds an earlier step's summary."""
    summary = tmp_path / "step_summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    return summary


def compare_golden(name: str, actual: str) -> None:
    expected_path = GOLDEN / name
    if UPDATE:
        expected_path.write_text(actual, encoding="utf-8")
    assert actual == expected_path.read_text(encoding="utf-8")


def set_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo/notes")
    monkeypatch.setenv("GITHUB_SHA", "0123456789abcdef")


def normalised_sarif(text: str, root: Path) -> str:
    """The SARIF of a run without what changes from machine to machine or as rules are
    added (checked by their own tests): the base URI, the version, the rule list."""
    log = json.loads(text.replace(root.as_uri() + "/", "{SRCROOT_URI}"))
    run = log["runs"][0]
    run["tool"]["driver"]["version"] = "{VERSION}"
    run["tool"]["driver"]["rules"] = "{EVERY RULE, see test_sarif_describes_every_rule}"
    for result in run["results"]:
        del result["ruleIndex"]
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def sarif_of(run, *args: str | Path, cwd: Path) -> dict[str, Any]:
    result = run("check", "--format", "sarif", *args, cwd=cwd)
    assert result.err == ""
    log: dict[str, Any] = json.loads(result.out)
    return log


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


# Goldens ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, golden",
    [
        ("text", "expected.text"),
        ("json", "expected.json"),
        ("github", "expected.github"),
        ("junit", "expected.junit.xml"),
        ("gitlab", "expected.gitlab.json"),
    ],
)
def test_format_golden_output(run, ci_vault, fmt, golden):
    result = run("check", "--format", fmt, *SELECT, "vault", cwd=ci_vault)
    assert (result.code, result.err) == (1, "")
    compare_golden(golden, result.out)


def test_sarif_golden_output(run, ci_vault):
    result = run("check", "--format", "sarif", *SELECT, "vault", cwd=ci_vault)
    assert (result.code, result.err) == (1, "")
    compare_golden("expected.sarif.json", normalised_sarif(result.out, ci_vault))


def test_step_summary_golden(run, ci_vault, step_summary, monkeypatch):
    set_repository(monkeypatch)
    run("check", "--format", "github", *SELECT, "vault", cwd=ci_vault)
    compare_golden("expected.summary.md", step_summary.read_text(encoding="utf-8"))


# github -------------------------------------------------------------------------------


def runner_unescape_property(text: str) -> str:
    """What GitHub's runner does to a property value (actions/runner, ActionCommand.cs)."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def test_github_escapes_an_awkward_file_name(vault, run):
    root = vault({"odd %,:name.md": "---\na: 1\na: 2\n---\n"})
    result = run("check", "--format", "github", root, cwd=root.parent)
    assert result.out.splitlines()[0] == (
        "::error file=vault/odd %25%2C%3Aname.md,line=3,col=1,endLine=3,endColumn=5,"
        "title=frontmatter-syntax::vault/odd %25,:name.md:3:1: duplicate key 'a' (first defined on line 2)"
    )


def test_github_escapes_line_breaks_and_percent_in_messages():
    assert escape_data("50%\r\nnext: line, ok") == "50%25%0D%0Anext: line, ok"


@given(st.text())
def test_github_property_escaping_round_trips_through_the_runner(value):
    escaped = escape_property(value)
    assert not set(escaped) & {",", ":", "\r", "\n"}
    assert runner_unescape_property(escaped) == value


def test_github_uses_warning_for_warnings_and_error_for_errors(vault, run):
    root = vault(
        {
            ".vaultcheck.toml": '[severity]\nfrontmatter-schema = "warning"\n',
            "a.md": "---\ntags: 5\n---\n",
            "b.md": DUPLICATE_KEY,
        }
    )
    result = run("check", "--format", "github", root, cwd=root)
    commands = [line.split(" ", 1)[0] for line in result.out.splitlines() if line.startswith("::")]
    assert commands == ["::warning", "::error"]


def test_github_ends_with_the_totals(vault, run):
    result = run("check", "--format", "github", vault({"a.md": "x\n"}))
    assert (result.code, result.out) == (0, "1 note checked, no problems.\n")


def test_github_chosen_automatically_inside_github_actions(vault, run, monkeypatch):
    root = vault({"a.md": DUPLICATE_KEY})
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("check", root, cwd=root)
    assert result.out.startswith("::error file=a.md,line=3,")


@pytest.mark.parametrize("variable, args", [("true", ("--format", "text")), ("false", ())])
def test_text_when_format_given_or_not_in_github_actions(vault, run, monkeypatch, variable, args):
    root = vault({"a.md": DUPLICATE_KEY})
    monkeypatch.setenv("GITHUB_ACTIONS", variable)
    result = run("check", *args, root, cwd=root)
    assert result.out.startswith("a.md:3:1: frontmatter-syntax duplicate key")


def test_step_summary_is_appended_not_overwritten(vault, run, step_summary):
    run("check", "--format", "github", vault({"a.md": "x\n"}))
    assert step_summary.read_text(encoding="utf-8") == (
        "earlier step\n## vaultcheck\n\n1 note checked, no problems.\n"
    )


def test_step_summary_without_repository_variables_has_plain_locations(run, ci_vault, step_summary):
    run("check", "--format", "github", *SELECT, "vault", cwd=ci_vault)
    summary = step_summary.read_text(encoding="utf-8")
    assert "| error | vault/People/Ada Lovelace.md:4 | `frontmatter-syntax` |" in summary
    assert "](" not in summary


def test_step_summary_not_written_without_the_variable(run, ci_vault):
    before = sorted(ci_vault.rglob("*"))
    result = run("check", "--format", "github", "--no-cache", *SELECT, "vault", cwd=ci_vault)
    assert result.code == 1
    assert sorted(ci_vault.rglob("*")) == before


def test_step_summary_only_for_the_github_format(run, ci_vault, step_summary):
    run("check", "--format", "text", *SELECT, "vault", cwd=ci_vault)
    assert step_summary.read_text(encoding="utf-8") == "earlier step\n"


def test_step_summary_written_once_per_run_however_many_github_reports(run, ci_vault, step_summary):
    run("check", "--format", "github", "--output", "github:annotations.txt", *SELECT, "vault",
        cwd=ci_vault)
    assert step_summary.read_text(encoding="utf-8").count("## vaultcheck") == 1


def test_step_summary_for_a_github_report_written_to_a_file(run, ci_vault, step_summary):
    run("check", "--output", "github:annotations.txt", *SELECT, "vault", cwd=ci_vault)
    assert "| `frontmatter-syntax` | 1 |" in step_summary.read_text(encoding="utf-8")


def test_step_summary_shows_what_the_gate_reports_not_what_a_baseline_holds(
    run, ci_vault, step_summary
):
    run("check", *SELECT, "--write-baseline", "baseline.json", "vault", cwd=ci_vault)
    step_summary.write_text("", encoding="utf-8")
    run("check", "--format", "github", *SELECT, "--baseline", "baseline.json", "vault", cwd=ci_vault)
    assert step_summary.read_text(encoding="utf-8") == (
        "## vaultcheck\n\n7 notes checked, no problems.\n"
    )


def test_step_summary_lists_only_the_first_problems(vault, run, step_summary):
    count = SUMMARY_LIMIT + 10
    root = vault({f"note{index:03}.md": DUPLICATE_KEY for index in range(count)})
    run("check", "--format", "github", root)
    summary = step_summary.read_text(encoding="utf-8")
    assert f"| `frontmatter-syntax` | {count} |" in summary
    assert summary.count("| error |") == SUMMARY_LIMIT
    assert f"Only the first {SUMMARY_LIMIT} of {count} problems are listed." in summary


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_paths_and_links_are_relative_to_the_repository(tmp_path, run, step_summary, monkeypatch):
    repo = tmp_path / "repo"
    notes = repo / "my notes"
    (notes / ".obsidian").mkdir(parents=True)
    (notes / "People").mkdir()
    (notes / "People" / "Ada #1.md").write_text(DUPLICATE_KEY, encoding="utf-8")
    git(repo, "init", "-q")
    set_repository(monkeypatch)
    result = run("check", "--format", "github", ".", cwd=notes / "People")
    assert result.out.startswith("::error file=my notes/People/Ada #1.md,line=3,")
    link = (
        "https://github.com/octo/notes/blob/0123456789abcdef/my%20notes/People/Ada%20%231.md"
        "?plain=1#L3"
    )
    assert f"[my notes/People/Ada #1.md:3]({link})" in step_summary.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("a | b", r"a \| b"),
        ("^[A-Z_]{11}$ and *x* `y`", r"^\[A-Z\_\]{11}\$ and \*x\* \`y\`"),
        ("<b>&amp;</b>", r"\<b\>\&amp;\</b\>"),
        ("two\r\nlines\rhere\nnow", "two lines here now"),
    ],
)
def test_markdown_cells_are_escaped(text, escaped):
    assert escape_markdown(text) == escaped


# sarif --------------------------------------------------------------------------------

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture
def sarif_validator() -> Any:
    """A validator for the official SARIF 2.1.0 schema (OASIS, kept in tests/schemas/ so
    that this test runs in every checkout), in the draft the schema declares."""
    from jsonschema.validators import validator_for

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return validator_for(schema)(schema)


@pytest.mark.parametrize("select", [SELECT, ()])
def test_sarif_validates_against_the_official_schema(run, ci_vault, sarif_validator, select):
    log = sarif_of(run, *select, "vault", cwd=ci_vault)
    assert log["runs"][0]["results"]
    sarif_validator.validate(log)


def test_sarif_of_a_clean_vault_validates(vault, run, sarif_validator):
    root = vault({"a.md": "Clean.\n"})
    log = sarif_of(run, root, cwd=root)
    assert log["runs"][0]["results"] == []
    sarif_validator.validate(log)


def test_sarif_schema_catches_a_broken_log(run, ci_vault, sarif_validator):
    log = sarif_of(run, *SELECT, "vault", cwd=ci_vault)
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert not sarif_validator.is_valid(log)


def test_sarif_describes_every_rule(run, ci_vault):
    driver = sarif_of(run, *SELECT, "vault", cwd=ci_vault)["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("vaultcheck", __version__)
    assert driver["informationUri"].startswith("https://")
    assert [rule["id"] for rule in driver["rules"]] == list(RULES)
    for descriptor, rule in zip(driver["rules"], RULES.values(), strict=True):
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"].startswith(f"{rule.name}: ")
        assert "Passes" not in descriptor["fullDescription"]["text"]
        assert "Fix" in descriptor["help"]["text"]
        assert descriptor["defaultConfiguration"]["level"] == rule.default_severity.value


def test_sarif_results_name_their_rule_and_place(run, ci_vault):
    run_log = sarif_of(run, *SELECT, "vault", cwd=ci_vault)["runs"][0]
    rules = run_log["tool"]["driver"]["rules"]
    # Outside git: relative to the current folder, like the other CI formats.
    assert run_log["originalUriBaseIds"] == {"SRCROOT": {"uri": ci_vault.as_uri() + "/"}}
    for result in run_log["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "SRCROOT"
        assert location["uri"].startswith("vault/")


def test_sarif_uris_are_relative_to_the_repository_for_a_vault_in_a_subfolder(run, tmp_path):
    if shutil.which("git") is None:
        pytest.skip("needs git on PATH: the repository's top is asked of git")
    top = tmp_path / "repository"
    (top / "notes" / ".obsidian").mkdir(parents=True)
    (top / "notes" / "People").mkdir()
    (top / "notes" / "People" / "Ada Lovelace.md").write_text("See [[Gone]].\n")
    git(top, "init", "-q")
    log = sarif_of(run, cwd=top / "notes" / "People")
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "notes/People/Ada%20Lovelace.md", "uriBaseId": "SRCROOT"}
    assert log["runs"][0]["originalUriBaseIds"] == {"SRCROOT": {"uri": top.resolve().as_uri() + "/"}}


def test_every_sarif_rule_has_a_help_uri(run, ci_vault):
    driver = sarif_of(run, *SELECT, "vault", cwd=ci_vault)["runs"][0]["tool"]["driver"]
    assert all(rule["helpUri"].startswith("https://") for rule in driver["rules"])
    assert all("``" not in rule["help"]["text"] for rule in driver["rules"])


# junit --------------------------------------------------------------------------------


def junit_cases(out: str) -> tuple[ElementTree.Element, dict[str, ElementTree.Element]]:
    suites = ElementTree.fromstring(out)
    (suite,) = suites.findall("testsuite")
    cases = {f"{case.get('classname')}/{case.get('name')}": case for case in suite}
    return suite, cases


def test_junit_has_one_test_case_per_checked_note(run, ci_vault):
    result = run("check", "--format", "junit", *SELECT, "vault", cwd=ci_vault)
    suite, cases = junit_cases(result.out)
    assert sorted(cases) == [
        "./Home.md",
        "Archive/latin1.md",
        "People/Ada Lovelace.md",
        "People/Grace Hopper.md",
        "Videos/fractal_dimension.md",
        "Videos/letting_go.md",
        "Videos/untitled.md",
    ]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("7", "2", "0")
    assert cases["People/Ada Lovelace.md"].get("file") == "vault/People/Ada Lovelace.md"


def test_junit_clean_notes_pass(run, ci_vault):
    _, cases = junit_cases(run("check", "--format", "junit", *SELECT, "vault", cwd=ci_vault).out)
    assert list(cases["People/Grace Hopper.md"]) == []
    assert list(cases["./Home.md"]) == []


def test_junit_lists_every_problem_of_a_note_in_one_failure(vault, run):
    root = vault({"a.md": "---\na: 1\na: 2\nb: [\n---\n"})
    _, cases = junit_cases(run("check", "--format", "junit", root, cwd=root).out)
    (failure,) = cases["./a.md"].findall("failure")
    assert failure.get("message") == "1 problem: frontmatter-syntax"
    assert failure.text is not None and failure.text.startswith("a.md:")


def test_junit_note_with_only_warnings_passes_with_the_warnings_as_output(run, ci_vault):
    _, cases = junit_cases(run("check", "--format", "junit", *SELECT, "vault", cwd=ci_vault).out)
    untitled = cases["Videos/untitled.md"]
    assert untitled.find("failure") is None
    output = untitled.findtext("system-out") or ""
    assert output.count("frontmatter-schema (warning)") == 2


@pytest.mark.skipif(sys.platform == "win32", reason="control characters in file names")
def test_junit_stays_well_formed_with_control_characters_in_names(vault, run):
    root = vault({"bell\x07.md": DUPLICATE_KEY})
    _, cases = junit_cases(run("check", "--format", "junit", root, cwd=root).out)
    assert list(cases) == ["./bell\\a.md"]


# gitlab -------------------------------------------------------------------------------


def gitlab_issues(run, root: Path) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = json.loads(
        run("check", "--format", "gitlab", root, cwd=root).out
    )
    return issues


def test_gitlab_maps_severities_and_paths(run, ci_vault):
    result = run("check", "--format", "gitlab", *SELECT, "vault", cwd=ci_vault)
    issues = json.loads(result.out)
    severities = {(issue["check_name"], issue["severity"]) for issue in issues}
    assert severities == {
        ("unreadable-file", "major"),
        ("frontmatter-syntax", "major"),
        ("frontmatter-schema", "minor"),
    }
    assert issues[1]["location"] == {
        "path": "vault/People/Ada Lovelace.md",
        "lines": {"begin": 4, "end": 4},
    }


def test_gitlab_fingerprint_survives_a_line_inserted_above(vault, run):
    root = vault({"a.md": DUPLICATE_KEY})
    (before,) = gitlab_issues(run, root)
    (root / "a.md").write_text("---\nborn: 1815\n" + DUPLICATE_KEY[4:], encoding="utf-8")
    (after,) = gitlab_issues(run, root)
    assert (before["location"]["lines"]["begin"], after["location"]["lines"]["begin"]) == (3, 4)
    assert after["fingerprint"] == before["fingerprint"]


def test_gitlab_fingerprint_changes_with_the_offending_text(vault, run):
    root = vault({"a.md": DUPLICATE_KEY})
    (before,) = gitlab_issues(run, root)
    (root / "a.md").write_text(
        DUPLICATE_KEY.replace("Ada Lovelace", "Augusta Ada"), encoding="utf-8"
    )
    (after,) = gitlab_issues(run, root)
    assert after["fingerprint"] != before["fingerprint"]


def test_gitlab_fingerprints_are_unique_even_for_identical_problems(vault, run):
    root = vault({"a.md": "---\na: 1\na: 2\na: 2\n---\n", "b.md": "---\na: 1\na: 2\na: 2\n---\n"})
    fingerprints = [issue["fingerprint"] for issue in gitlab_issues(run, root)]
    assert len(fingerprints) == 4
    assert len(set(fingerprints)) == 4


# --output -----------------------------------------------------------------------------


def test_output_writes_a_file_while_stdout_keeps_the_text_report(run, ci_vault):
    text = run("check", *SELECT, "vault", cwd=ci_vault)
    both = run("check", *SELECT, "--output", "sarif:out.sarif", "vault", cwd=ci_vault)
    assert (both.code, both.out, both.err) == (text.code, text.out, "")
    log = json.loads((ci_vault / "out.sarif").read_text(encoding="utf-8"))
    assert len(log["runs"][0]["results"]) == 6


def test_output_is_repeatable_and_combines_with_format(run, ci_vault):
    result = run(
        "check",
        *SELECT,
        "--format",
        "github",
        "--output",
        "junit:report.xml",
        "--output",
        "gitlab:quality.json",
        "vault",
        cwd=ci_vault,
    )
    assert result.out.startswith("::error ")
    assert ElementTree.parse(ci_vault / "report.xml").getroot().tag == "testsuites"
    assert len(json.loads((ci_vault / "quality.json").read_text(encoding="utf-8"))) == 6


def test_output_file_is_the_same_report_as_stdout(run, ci_vault):
    stdout = run("check", *SELECT, "--format", "gitlab", "vault", cwd=ci_vault).out
    run("check", *SELECT, "--output", "gitlab:quality.json", "vault", cwd=ci_vault)
    assert (ci_vault / "quality.json").read_text(encoding="utf-8") == stdout


@pytest.mark.skipif(sys.platform == "win32", reason="colons in file names")
def test_output_file_name_may_hold_colons(run, ci_vault):
    run("check", *SELECT, "--output", "json:out:1.json", "vault", cwd=ci_vault)
    assert json.loads((ci_vault / "out:1.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("value", ["out.sarif", "xml:out.xml", "sarif:"])
def test_output_without_a_known_format_is_a_usage_error(run, ci_vault, value):
    result = run("check", "--output", value, "vault", cwd=ci_vault)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("vaultcheck: error: argument --output: expected FORMAT:FILE")


def test_output_to_an_unwritable_place_is_an_error(run, ci_vault):
    result = run("check", "--output", "json:missing/out.json", "vault", cwd=ci_vault)
    assert result.code == 2
    assert result.err.startswith("vaultcheck: error: cannot write the report:")
    assert "missing/out.json" in result.err


# action.yml ---------------------------------------------------------------------------


@pytest.fixture
def action() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    return document


def step_named(action: dict[str, Any], name: str) -> dict[str, Any]:
    step: dict[str, Any] = next(s for s in action["runs"]["steps"] if s.get("name") == name)
    return step


def test_action_is_a_valid_composite_action(action):
    assert action["name"] and action["description"]
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        assert ("run" in step) != ("uses" in step), step
        if "run" in step:
            assert step["shell"] == "bash"  # composite run steps must name their shell
        else:
            assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"])
    for spec in action["inputs"].values():
        assert set(spec) <= {"description", "required", "default", "deprecationMessage"}


def test_action_uses_every_input_and_only_declared_ones(action):
    steps = json.dumps(action["runs"]["steps"])
    used = set(re.findall(r"\binputs\.([A-Za-z0-9_-]+)", steps))
    assert used == set(action["inputs"])
    assert {"paths", "schema", "args", "baseline", "python-version", "working-directory"} <= used
    assert all(spec.get("description") for spec in action["inputs"].values())


def test_action_installs_vaultcheck_from_its_own_checkout(action):
    assert action["runs"]["using"] == "composite"
    setup = step_named(action, "Set up Python for vaultcheck")
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"
    install = step_named(action, "Install vaultcheck")
    assert install["env"]["VAULTCHECK_SOURCE"] == "${{ github.action_path }}"
    assert "pip install" in install["run"] and "$VAULTCHECK_SOURCE" in install["run"]


def run_action_step(
    action: dict[str, Any], cwd: Path, **inputs: str
) -> subprocess.CompletedProcess[str]:
    """The action's "Run vaultcheck" script under bash, with this Python as the action's."""
    step = step_named(action, "Run vaultcheck")
    env = {key: value for key, value in os.environ.items() if key not in GITHUB_VARIABLES}
    env |= {name: "" for name in step["env"] if name.startswith("INPUT_")}
    env |= {f"INPUT_{name.upper()}": value for name, value in inputs.items()}
    env["VAULTCHECK_PYTHON"] = sys.executable
    return subprocess.run(
        ["bash", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_action_runs_vaultcheck_with_the_github_format_and_its_inputs(action, ci_vault):
    result = run_action_step(
        action,
        ci_vault / "vault",
        paths="'People/Ada Lovelace.md' Videos",
        schema="obsidian-note",
        args="--select frontmatter",
    )
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "vaultcheck check --format github --schema obsidian-note --select frontmatter"
        " -- 'People/Ada Lovelace.md' Videos"
    )
    assert lines[1].startswith("::error file=People/Ada Lovelace.md,line=4,")
    assert lines[-1] == "2 problems in 2 of 4 notes."  # obsidian-note: only tags: 5 is wrong
    assert result.returncode == 1, result.stderr


def test_action_runs_in_its_working_directory(action):
    step = step_named(action, "Run vaultcheck")
    assert step["working-directory"] == "${{ inputs.working-directory }}"
    assert action["inputs"]["working-directory"]["default"] == "."


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_action_passes_the_baseline_file(action, ci_vault):
    result = run_action_step(action, ci_vault / "vault", baseline="vaultcheck-baseline.json")
    assert result.stdout.splitlines()[0] == (
        "vaultcheck check --format github --baseline vaultcheck-baseline.json --"
    )
