"""frontmatter-syntax: every way frontmatter can fail to be a YAML mapping, at the right line."""

from __future__ import annotations

import json
import time

import pytest

VIDEO = "---\ntitle: Letting go\nvideoId: tvpDLpCf1jU\n---\n\nBody text.\n"


def frontmatter_problems(vault, run, content: str | bytes) -> list[tuple[int, str]]:
    root = vault({"note.md": content})
    result = run("check", "--format", "json", "--select", "frontmatter-syntax", root)
    assert result.err == ""
    return [(p["line"], p["message"]) for p in json.loads(result.out)]


def test_valid_frontmatter_is_clean(vault, run):
    assert frontmatter_problems(vault, run, VIDEO) == []


def test_note_without_frontmatter_is_clean(vault, run):
    assert frontmatter_problems(vault, run, "Just a thought.\n") == []


def test_empty_file_is_clean(vault, run):
    assert frontmatter_problems(vault, run, "") == []


def test_horizontal_rule_later_in_body_is_not_frontmatter(vault, run):
    assert frontmatter_problems(vault, run, "Intro\n\n---\n\nMore\n---\n") == []


def test_invalid_yaml_points_into_the_frontmatter(vault, run):
    problems = frontmatter_problems(vault, run, "---\ntitle: ok\ntags: [a, b\nx: 1\n---\n")
    assert len(problems) == 1
    line, message = problems[0]
    assert 3 <= line <= 5
    assert message.startswith("invalid YAML:")


def test_list_instead_of_mapping(vault, run):
    assert frontmatter_problems(vault, run, "---\n- a\n- b\n---\n") == [
        (2, "frontmatter must be a mapping of properties, not a list")
    ]


def test_scalar_instead_of_mapping(vault, run):
    assert frontmatter_problems(vault, run, "---\njust words\n---\n") == [
        (2, "frontmatter must be a mapping of properties, not the single value 'just words'")
    ]


def test_opening_fence_never_closed(vault, run):
    assert frontmatter_problems(vault, run, "---\ntitle: never closed\n\nBody.\n") == [
        (1, "frontmatter opened with --- on line 1 is never closed")
    ]


def test_tab_in_indentation(vault, run):
    assert frontmatter_problems(vault, run, "---\ntags:\n\t- a\n---\n") == [
        (3, "tab character in indentation (YAML indents with spaces only)")
    ]


def test_duplicate_key_points_at_the_second_one(vault, run):
    problems = frontmatter_problems(vault, run, "---\ntitle: a\ntags: [x]\ntitle: b\n---\n")
    assert problems == [(4, "duplicate key 'title' (first defined on line 2)")]


def test_duplicate_nested_key(vault, run):
    problems = frontmatter_problems(vault, run, "---\nsource:\n  url: a\n  url: b\n---\n")
    assert problems == [(4, "duplicate key 'url' (first defined on line 3)")]


def test_bom_before_frontmatter_is_read(vault, run):
    assert frontmatter_problems(vault, run, b"\xef\xbb\xbf" + VIDEO.encode()) == []


def test_bom_does_not_hide_broken_frontmatter(vault, run):
    problems = frontmatter_problems(vault, run, b"\xef\xbb\xbf---\na: 1\na: 2\n---\n")
    assert problems == [(3, "duplicate key 'a' (first defined on line 2)")]


def test_crlf_line_endings_keep_lines(vault, run):
    problems = frontmatter_problems(vault, run, "---\r\na: 1\r\nb: 2\r\na: 3\r\n---\r\n")
    assert problems == [(4, "duplicate key 'a' (first defined on line 2)")]


def test_billion_laughs_is_refused_quickly(vault, run):
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for index, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[index]
        levels.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    text = "---\n" + "\n".join(levels) + "\n---\n"
    started = time.perf_counter()
    problems = frontmatter_problems(vault, run, text)
    assert time.perf_counter() - started < 5
    assert len(problems) == 1
    assert "expands to more than 10000 values" in problems[0][1]


def test_alias_that_contains_itself(vault, run):
    assert frontmatter_problems(vault, run, "---\na: &x [*x]\n---\n") == [
        (2, "alias *x refers to a value that contains itself")
    ]


def test_undefined_alias(vault, run):
    assert frontmatter_problems(vault, run, "---\na: *nowhere\n---\n") == [
        (2, "alias *nowhere has no anchor &nowhere before it")
    ]


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_deep_nesting_is_refused(vault, run, opener):
    problems = frontmatter_problems(vault, run, "---\nx: " + opener * 50_000 + "\n---\n")
    assert len(problems) == 1
    assert "nest" in problems[0][1]


def test_complex_key_is_refused(vault, run):
    problems = frontmatter_problems(vault, run, "---\n? [a, b]\n: c\n---\n")
    assert problems == [(2, "a mapping key must be a plain value, not a list or mapping")]
