"""The command-line habits users bring from ruff and markdownlint-cli2: did-you-mean,
plain-text explain, rules as JSON, --quiet, --verbose, --color, stdin, progress."""

from __future__ import annotations

import json

import pytest

from vaultcheck.rules.registry import RULES


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "--select", "broken-links"], "--select: unknown rule 'broken-links' (did you mean broken-link?)"),
        (["check", "--ignore", "timestamp"], "--ignore: unknown rule 'timestamp' (did you mean timestamps?)"),
        (["explain", "brokenlink"], "explain: unknown rule 'brokenlink' (did you mean broken-link?)"),
        (["check", "--schema", "video-notes"], "no shipped schema 'video-notes' (did you mean video-note?)"),
    ],
)
def test_a_mistyped_name_gets_did_you_mean(vault, run, args, message):
    root = vault({"a.md": "Text.\n"})
    result = run(*args, cwd=root)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"vaultcheck: error: {message}\n"


def test_an_unknown_name_with_nothing_near_lists_the_known_ones(vault, run):
    result = run("check", "--select", "zzzz", cwd=vault({"a.md": "Text.\n"}))
    assert "unknown rule 'zzzz' (known: unreadable-file," in result.err


@pytest.mark.parametrize(
    "file, text, where",
    [
        (".vaultcheck.toml", 'exclude = []\n[severity]\nbroken-links = "warning"\n', ".vaultcheck.toml:3: severity.broken-links"),
        ("pyproject.toml", '[tool.vaultcheck]\nselect = ["frontmater"]\n', "pyproject.toml:2: tool.vaultcheck.select"),
    ],
)
def test_an_unknown_rule_in_config_names_its_line(vault, run, file, text, where):
    root = vault({"a.md": "Text.\n", file: text})
    result = run("check", cwd=root)
    assert result.code == 2
    assert result.err.startswith(f"vaultcheck: error: {root / where}: unknown rule ")
    assert "(did you mean " in result.err


def test_a_missing_schema_file_is_not_taken_for_a_shipped_name(vault, run):
    result = run("check", "--schema", "schemas/video-note.json", cwd=vault({"a.md": "Text.\n"}))
    assert result.code == 2 and "no shipped schema" not in result.err


@pytest.mark.parametrize("rule", RULES)
def test_explain_prints_plain_text(run, rule):
    result = run("explain", rule)
    assert result.code == 0
    assert "``" not in result.out
    assert "::\n" not in result.out


def test_rules_as_json_lists_every_rule(run):
    result = run("rules", "--format", "json")
    records = json.loads(result.out)
    assert [record["name"] for record in records] == list(RULES)
    assert records[0].keys() == {"name", "family", "summary", "default_severity", "enabled_by_default"}


def test_statistics_explains_its_marker(vault, run):
    root = vault({"a.md": "See [[a | b]] and [[Gone]].\n"})
    result = run("check", "--statistics", cwd=root)
    assert result.out.endswith("2 problems in 1 of 1 note.\n[*] fixable with --fix\n")
    clean = run("check", "--statistics", "--select", "broken-link", cwd=root)
    assert "[*]" not in clean.out


QUIET_VAULT = {"Home.md": "See [[Gone]].\n", "Other.md": "Fine.\n"}


def test_quiet_prints_only_the_problems(vault, run):
    root = vault(QUIET_VAULT)
    for flag in ("-q", "--quiet"):
        result = run("check", flag, cwd=root)
        assert (result.code, result.err) == (1, "")
        assert result.out == 'Home.md:1:5: broken-link no note named "Gone" in the vault\n'
    assert run("check", "-q", "Other.md", cwd=root).out == ""


def test_quiet_keeps_the_baseline_warnings_only(vault, run):
    root = vault(QUIET_VAULT)
    run("check", "--write-baseline", "b.json", cwd=root)
    assert run("check", "-q", "--baseline", "b.json", cwd=root).err == ""


def test_verbose_says_which_vault_config_and_rules(vault, run):
    root = vault({**QUIET_VAULT, ".vaultcheck.toml": 'select = ["broken-link"]\n'})
    result = run("check", "--verbose", cwd=root)
    assert result.err.splitlines() == [
        f"vaultcheck: vault {root}",
        f"vaultcheck: config {root / '.vaultcheck.toml'}",
        "vaultcheck: rules broken-link",
        "vaultcheck: checking the whole vault",
        "vaultcheck: 2 notes checked, 1 problem found",
    ]


@pytest.mark.parametrize(
    "args, env, colored",
    [
        (["--color", "always"], {"NO_COLOR": "1"}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "0"}, False),
        ([], {"NO_COLOR": "1"}, False),
    ],
)
def test_color_option_and_environment(vault, run, monkeypatch, args, env, colored):
    root = vault(QUIET_VAULT)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = run("check", *args, cwd=root)
    assert ("\033[" in result.out) is colored


def stdin_of(monkeypatch, data: bytes) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_check_dash_reads_a_note_from_stdin(vault, run, monkeypatch):
    root = vault({"Home.md": "# Home\n"})
    stdin_of(monkeypatch, b"See [[Home]], [[Home#Nope]] and [[Gone]].\n")
    result = run("check", "-", "--stdin-filename", "People/new.md", cwd=root)
    assert result.code == 1
    assert result.out.splitlines()[:2] == [
        "People/new.md:1:15: broken-heading no heading \"Nope\" in Home",
        'People/new.md:1:33: broken-link no note named "Gone" in the vault',
    ][:2] or result.out
    assert "in 1 of 1 note" in result.out


def test_stdin_filename_decides_the_config_that_applies(vault, run, monkeypatch):
    config = '[schemas]\n"Videos/**" = "video-note"\n'
    root = vault({".vaultcheck.toml": config, "Home.md": "# Home\n"})
    stdin_of(monkeypatch, b"---\ntitle: A talk\n---\nText.\n")
    video = run("check", "-", "--stdin-filename", "Videos/talk.md", "--format", "json", cwd=root)
    assert [p["rule"] for p in json.loads(video.out)] == ["frontmatter-schema"]
    assert json.loads(video.out)[0]["path"] == "Videos/talk.md"
    stdin_of(monkeypatch, b"---\ntitle: A talk\n---\nText.\n")
    plain = run("check", "-", "--stdin-filename", "Notes/talk.md", cwd=root)
    assert plain.code == 0


def test_stdin_without_a_filename_and_misuse(vault, run, monkeypatch):
    root = vault({"Home.md": "# Home\n"})
    stdin_of(monkeypatch, b"Fine.\n")
    assert run("check", "-", cwd=root).out == "1 note checked, no problems.\n"
    assert run("check", "-", "Home.md", cwd=root).code == 2
    assert run("check", "--stdin-filename", "x.md", cwd=root).code == 2
    assert run("check", "-", "--fix", cwd=root).code == 2


def test_progress_line_appears_only_after_a_second():
    import io

    from vaultcheck.cli import _ProgressLine

    times = iter([0.0, 0.5, 1.5, 1.6, 2.0, 2.1])
    stream = io.StringIO()
    progress = _ProgressLine(stream, lambda: next(times))
    progress(10, 100)  # 0.5 s: too early
    assert stream.getvalue() == ""
    progress(30, 100)  # 1.5 s
    progress(31, 100)  # 0.1 s after the last drawing: skipped
    progress(100, 100)  # the last one is always drawn
    progress.close()
    assert stream.getvalue() == (
        "\r\033[K30/100 notes checked, 20 notes/s\r\033[K100/100 notes checked, 50 notes/s\r\033[K"
    )


class Terminal:
    """A stream that says it is a terminal and keeps what is written."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    "args, expected",
    [([], True), (["--quiet"], False), (["--format", "sarif"], False), (["--format", "github"], False)],
)
def test_progress_only_for_people_at_a_terminal(args, expected, monkeypatch):
    from vaultcheck.cli import _progress_line, build_parser

    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    parsed = build_parser().parse_args(["check", *args])
    assert (_progress_line(parsed, Terminal()) is not None) is expected  # type: ignore[arg-type]
    assert _progress_line(parsed, __import__("io").StringIO()) is None


def test_a_fixing_hook_says_rewritten_and_re_stage_in_one_line(vault, run, monkeypatch):
    root = vault({"a.md": "See [[Home | home]] and [[ Home ]].\n", "Home.md": "# Home\n", "b.md": "x [[b | c]]\n"})
    monkeypatch.setenv("PRE_COMMIT", "1")
    result = run("check", "--select", "aliases", "--fix", "a.md", "b.md", cwd=root)
    assert result.code == 1
    assert result.out == ""
    assert result.err == (
        "vaultcheck: rewrote 2 notes (3 problems fixed): a.md, b.md; review and re-stage them (git add)\n"
    )


@pytest.mark.parametrize("fixture, words", [("sample_vault", "634 real notes"), ("seed_note", "a real video note")])
def test_skips_without_the_shared_data_say_what_they_skip(request, monkeypatch, tmp_path, fixture, words):
    import conftest

    monkeypatch.setattr(conftest, "SHARED", tmp_path / "absent")
    with pytest.raises(pytest.skip.Exception) as skipped:
        request.getfixturevalue(fixture)
    assert words in str(skipped.value) and "outside the repository" in str(skipped.value)
