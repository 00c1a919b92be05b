"""timestamp-malformed and timestamp-order on real notes in temporary vaults."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

FRONTMATTER = "---\ntitle: The process of letting go\nvideoId: tvpDLpCf1jU\n---\n"
ANCHOR = '<a class="yt-timestamp" data-t="{0}">[{0}]</a>'


def problems(run, root: Path, *args: str) -> list[tuple[int, int, str, str]]:
    result = run("check", "--format", "json", "--select", "timestamps", *args, root)
    assert result.err == "", result.err
    return [(p["line"], p["column"], p["rule"], p["message"]) for p in json.loads(result.out)]


def lines(run, root: Path, *args: str) -> list[tuple[int, str]]:
    """(line, rule) of each problem: enough where the message is tested elsewhere."""
    return [(line, rule) for line, _column, rule, _message in problems(run, root, *args)]


def note(run, vault, body: str, config: str = "", name: str = "a.md") -> list[tuple]:
    files = {name: FRONTMATTER + body}
    if config:
        files[".vaultcheck.toml"] = config
    return problems(run, vault(files))


# What a timestamp is


@pytest.mark.parametrize(
    "form",
    [
        "[00:03:42]",
        "[0:03:42]",
        "[03:42]",
        "[3:42]",
        "[00:03:42](https://youtu.be/tvpDLpCf1jU?t=222)",
        ANCHOR.format("00:03:42"),
    ],
    ids=["HH:MM:SS", "H:MM:SS", "MM:SS", "M:SS", "link", "anchor"],
)
def test_each_form_is_one_timestamp(vault, run, form):
    body = f"Later [00:05:00], earlier {form}, later again [00:06:00].\n"
    found = note(run, vault, body)
    column = len("Later [00:05:00], earlier ") + 1 + (form.index("[") if form[0] == "<" else 0)
    assert [(line, col, rule) for line, col, rule, _ in found] == [(5, column, "timestamp-order")]


def test_every_form_in_order_passes(vault, run):
    body = (
        "[0:05] [00:10] [0:00:15] [00:00:20]"
        " [00:00:25](https://www.youtube.com/watch?v=tvpDLpCf1jU&t=25)"
        f" {ANCHOR.format('00:00:30')} [1:00:00] [123:00:00]\n"
    )
    assert note(run, vault, body) == []


@pytest.mark.parametrize(
    ("stamp", "reason"),
    [
        ("00:61:10", "minutes 61 are over 59"),
        ("01:03:75", "seconds 75 are over 59"),
        ("1:2:03", "minutes must be two digits after the hours"),
        ("3:4", "seconds must be two digits after the minutes"),
    ],
)
def test_malformed_times_are_reported_once_and_left_out_of_the_order(vault, run, stamp, reason):
    found = note(run, vault, f"Start [00:05:00], then [{stamp}], then [00:06:00].\n")
    message = f"[{stamp}] is not a valid time: {reason}"
    assert found == [(5, 24, "timestamp-malformed", message)]


def test_a_time_of_four_parts_is_malformed_and_left_out_of_the_order(vault, run):
    body = (
        "Start [00:05:00], then [01:00:17:51], then [00:06:00].\n"
        f'{ANCHOR.format("01:00:17:51")} [00:07:00] [00:00:01:02:03]\n'
    )
    assert note(run, vault, body) == [
        (5, 24, "timestamp-malformed", "[01:00:17:51] has four parts; write HH:MM:SS"),
        (6, 46, "timestamp-malformed", "[01:00:17:51] has four parts; write HH:MM:SS"),
        (6, 75, "timestamp-malformed", "[00:00:01:02:03] has five parts; write HH:MM:SS"),
    ]


def test_a_four_part_data_t_of_a_three_part_time_is_malformed(vault, run):
    body = '<a class="yt-timestamp" data-t="01:00:17:51">[01:00:17]</a>\n'
    assert note(run, vault, body) == [
        (5, 46, "timestamp-malformed",
         'data-t="01:00:17:51" of [01:00:17] has four parts; write HH:MM:SS'),
    ]


def test_malformed_anchor_is_reported_once(vault, run):
    found = note(run, vault, ANCHOR.format("00:27:78") + "\n")
    assert [(rule, message) for _, _, rule, message in found] == [
        ("timestamp-malformed", "[00:27:78] is not a valid time: seconds 78 are over 59")
    ]


@pytest.mark.parametrize(
    "hidden",
    [
        "`[00:61:10]` and `[00:00:01]`",
        "```\n[00:61:10] [00:00:01]\n```",
        "    [00:61:10] [00:00:01]",
        "%% [00:61:10] [00:00:01] %%",
        "%%\n[00:61:10] [00:00:01]\n%%",
        "<!-- [00:61:10] [00:00:01] -->",
        "$[00:61:10] [00:00:01]$",
        "$$\n[00:61:10] [00:00:01]\n$$",
        r"\[00:61:10] \[00:00:01]",
    ],
    ids=["inline-code", "fence", "indented-code", "comment", "comment-block", "html-comment",
         "math", "math-block", "escaped"],
)
def test_timestamps_in_code_comments_and_math_are_not_checked(vault, run, hidden):
    assert note(run, vault, f"Cited [00:05:00].\n\n{hidden}\n\nAfter [00:06:00].\n") == []


# Links and anchors that contradict their timestamp


@pytest.mark.parametrize(
    "url",
    [
        "https://youtu.be/tvpDLpCf1jU?t=222",
        "https://youtu.be/tvpDLpCf1jU?t=222s",
        "https://www.youtube.com/watch?v=tvpDLpCf1jU&t=3m42s",
        "https://www.youtube.com/embed/tvpDLpCf1jU?start=222",
        "https://youtu.be/tvpDLpCf1jU",
    ],
)
def test_link_with_matching_time_passes(vault, run, url):
    assert note(run, vault, f"Letting go [00:03:42]({url}).\n") == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://youtu.be/tvpDLpCf1jU?t=200",
         "[00:03:42] links to t=200, which is 00:03:20, not 00:03:42"),
        ("https://www.youtube.com/watch?v=tvpDLpCf1jU&t=1h3m42s",
         "[00:03:42] links to t=1h3m42s, which is 01:03:42, not 00:03:42"),
        ("https://www.youtube.com/embed/tvpDLpCf1jU?start=3:42",
         "[00:03:42] links to start=3:42, which is not a time"),
        ("https://youtu.be/dQw4w9WgXcQ?t=222",
         "[00:03:42] links to video dQw4w9WgXcQ, not this note's videoId tvpDLpCf1jU"),
    ],
)
def test_link_that_contradicts_its_timestamp(vault, run, url, message):
    assert note(run, vault, f"Letting go [00:03:42]({url}).\n") == [
        (5, 12, "timestamp-malformed", message)
    ]


def test_a_link_into_the_same_note_is_not_a_video_link(vault, run):
    body = "[00:48:21](#t=00:48:21) [00:48:30](#Heading) [00:49:00](#t=abc)\n"
    assert note(run, vault, body) == []


def test_a_link_into_the_same_note_still_takes_part_in_the_order(vault, run):
    body = "[00:50:00] [00:48:21](#t=00:48:21) [00:51:00](https://youtu.be/tvpDLpCf1jU?t=3m)\n"
    assert note(run, vault, body) == [
        (5, 12, "timestamp-order",
         '[00:48:21] is earlier than [00:50:00] on line 5 in the section before the first heading'),
        (5, 36, "timestamp-malformed", "[00:51:00] links to t=3m, which is 00:03:00, not 00:51:00"),
    ]


def test_any_video_is_fine_without_a_video_id(vault, run):
    root = vault({"a.md": "Letting go [00:03:42](https://youtu.be/dQw4w9WgXcQ?t=222).\n"})
    assert problems(run, root) == []


def test_anchor_whose_data_t_differs(vault, run):
    body = '<a class="yt-timestamp" data-t="00:05:46">[00:06:02]</a>\n'
    assert note(run, vault, body) == [
        (5, 43, "timestamp-malformed", '[00:06:02] has data-t="00:05:46", which is not 00:06:02')
    ]


# Anchors whose text is not a bracketed time


def test_an_anchor_with_a_plain_time_or_nothing_cites_its_data_t(vault, run):
    body = (
        "## S\n"
        '<a class="yt-timestamp" data-t="00:05:00">00:05:00</a>.'
        ' <a class="yt-timestamp" data-t="00:06:00"></a>.'
        ' <a class="yt-timestamp" data-t="00:04:00"></a>.\n'
    )
    assert note(run, vault, body) == [
        (6, 105, "timestamp-order",
         '<a data-t="00:04:00"></a> is earlier than <a data-t="00:06:00"></a> on line 6 in section "S"'),
    ]


def test_an_anchor_with_a_plain_time_takes_part_in_the_order_with_bracketed_ones(vault, run):
    body = f'[00:05:00] <a class="yt-timestamp" data-t="00:01:00">00:01:00</a> {ANCHOR.format("00:06:00")}\n'
    assert lines(run, vault({"a.md": FRONTMATTER + body})) == [(5, "timestamp-order")]


@pytest.mark.parametrize(
    ("anchor", "message"),
    [
        ('<a class="yt-timestamp" data-t="00:05:00">00:05:01</a>',
         '00:05:01 has data-t="00:05:00", which is not 00:05:01'),
        ('<a class="yt-timestamp" data-t="01:05:00">05:00</a>',
         '05:00 has data-t="01:05:00", which is not 00:05:00'),
        ('<a class="yt-timestamp" data-t="00:05:">00:05:00</a>',
         """data-t="00:05:" of "00:05:00" is not a valid time: seconds '' are not a number"""),
        ('<a class="yt-timestamp" data-t="00:61:00"></a>',
         'data-t="00:61:00" of an empty anchor is not a valid time: minutes 61 are over 59'),
        ('<a class="yt-timestamp" data-t="01:00:17:51"></a>',
         'data-t="01:00:17:51" of an empty anchor has four parts; write HH:MM:SS'),
        ('<a class="yt-timestamp" data-t="00:05:00">0:5:00</a>',
         "0:5:00 is not a valid time: minutes must be two digits after the hours"),
    ],
)
def test_the_data_t_of_every_anchor_is_validated_and_a_time_as_text_must_agree(
    vault, run, anchor, message
):
    assert note(run, vault, f"Start [00:00:01]. Cited {anchor}.\n") == [
        (5, 25, "timestamp-malformed", message)
    ]


@pytest.mark.parametrize(
    "anchor",
    [
        '<a class="yt-timestamp" data-t="00:05:00">00:05:00</a>',
        '<a class="yt-timestamp" data-t="00:05:00">5:00</a>',
        '<a class="yt-timestamp" data-t="00:05:00">0:05:00</a>',
        '<a class="yt-timestamp" data-t="00:05:00"></a>',
        '<a class="yt-timestamp" data-t="00:05:00">watch</a>',
        '<a class="yt-timestamp" data-t="00:05:00"> [00:05:00]</a>',
    ],
)
def test_anchors_that_agree_pass(vault, run, anchor):
    assert note(run, vault, f"[00:04:00] {anchor} [00:06:00]\n") == []


def test_an_anchor_without_data_t_is_no_timestamp(vault, run):
    assert note(run, vault, '[00:05:00] <a href="https://x.org">00:01:00</a> <a></a>\n') == []


# Timestamps in HTML blocks


def test_timestamps_after_an_html_block_line_are_ordered(vault, run):
    body = "## S\nA [00:05:00].\n\n<br>\nB [00:01:00].\n"
    assert note(run, vault, body) == [
        (9, 3, "timestamp-order", '[00:01:00] is earlier than [00:05:00] on line 6 in section "S"')
    ]


def test_timestamps_and_anchors_in_html_blocks_are_validated(vault, run):
    body = (
        "<div>\nA [00:61:00] and "
        '<a class="yt-timestamp" data-t="00:05:46">[00:06:02]</a>'
        ' <a class="yt-timestamp" data-t="00:07:00">00:07:01</a>\n</div>\n'
    )
    assert [message for _, _, _, message in note(run, vault, body)] == [
        "[00:61:00] is not a valid time: minutes 61 are over 59",
        '[00:06:02] has data-t="00:05:46", which is not 00:06:02',
        '00:07:01 has data-t="00:07:00", which is not 00:07:01',
    ]


@pytest.mark.parametrize(
    "hidden",
    [
        "<!-- [00:00:01] -->",
        "%% [00:00:01] %%",
        "<code>[00:00:01]</code>",
        "<pre>\n[00:00:01]\n</pre>",
        '<span title="[00:00:01]">text</span>',
        "<script>\nlet t = '[00:00:01]'\n</script>",
        "<style>\n/* [00:00:01] */\n</style>",
    ],
)
def test_what_the_reader_does_not_see_in_an_html_block_is_not_checked(vault, run, hidden):
    body = f"Cited [00:05:00].\n\n<br>\n{hidden} [00:06:00]\n"
    assert note(run, vault, body) == []


def test_links_in_html_blocks_stay_unchecked(vault, run):
    root = vault({"a.md": "Text.\n\n<br>\n[[Missing]] [00:01:00]\n"})
    result = run("check", "--format", "json", root)
    assert json.loads(result.out) == []


# Order within sections


def test_one_displaced_high_value_is_one_problem(vault, run):
    body = "[00:01:00] [00:09:00] [00:02:00] [00:03:00] [00:04:00] [00:05:00]\n"
    message = (
        "[00:09:00] is later than [00:02:00] that follows it on line 5"
        " in the section before the first heading"
    )
    assert note(run, vault, body) == [(5, 12, "timestamp-order", message)]


def test_one_displaced_low_value_is_one_problem(vault, run):
    body = "## Roots\n\n[00:01:00] [00:02:00] [00:03:00]\n\n[00:00:30] [00:04:00] [00:05:00]\n"
    assert note(run, vault, body) == [
        (9, 1, "timestamp-order", '[00:00:30] is earlier than [00:03:00] on line 7 in section "Roots"')
    ]


def test_on_a_tie_the_later_timestamp_is_reported(vault, run):
    body = "Needs [00:03:42]. Away [00:00:04].\n"
    assert note(run, vault, body) == [
        (5, 24, "timestamp-order",
         "[00:00:04] is earlier than [00:03:42] on line 5 in the section before the first heading")
    ]


def test_equal_timestamps_are_in_order_unless_strict(vault, run):
    body = "[00:01:00] [00:01:00] [00:02:00]\n"
    assert note(run, vault, body) == []
    message = (
        "[00:01:00] is the same time as [00:01:00] on line 5"
        " in the section before the first heading"
    )
    assert note(run, vault, body, config="[timestamps]\nstrict = true\n") == [
        (5, 12, "timestamp-order", message)
    ]


def test_every_heading_level_starts_a_section(vault, run):
    body = (
        "[00:09:00]\n# One\n[00:08:00]\n## Two\n[00:07:00]\n### Three\n[00:06:00]\n"
        "#### Four\n[00:05:00]\n##### Five\n[00:04:00]\n###### Six\n[00:03:00]\n\n"
        "Setext\n======\n[00:02:00]\n"
    )
    assert note(run, vault, body) == []


def test_section_level_keeps_deeper_headings_inside(vault, run):
    body = "## Two\n[00:07:00]\n### Three\n[00:06:00]\n## Again\n[00:01:00]\n"
    found = note(run, vault, body, config="[timestamps]\nsection-level = 2\n")
    assert found == [
        (8, 1, "timestamp-order", '[00:06:00] is earlier than [00:07:00] on line 6 in section "Two"')
    ]


def test_callouts_quotes_and_lists_belong_to_their_section(vault, run):
    body = (
        "## Roots\n"
        "Abandonment [00:00:26], bullying [00:00:28], obligations [00:08:11],"
        " work [00:08:12], distance [00:08:13].\n\n"
        "> [!NOTE] Self-blame [00:04:09].\n\n"
        "> ### A heading in a quote starts no section\n> Quoted [00:04:10].\n\n"
        "1. **Needs** [00:09:00]\n2. **Process** [00:08:30]\n"
    )
    assert lines(run, vault({"a.md": body})) == [
        (4, "timestamp-order"), (7, "timestamp-order"), (10, "timestamp-order")
    ]


def test_the_first_section_is_named_plainly(vault, run):
    found = note(run, vault, "[00:02:00] [00:01:00]\n")
    assert found[0][3].endswith("in the section before the first heading")


def test_crlf_note_reports_the_same_lines(vault, run):
    body = "## Roots\r\n[00:02:00]\r\n\r\n[00:01:00]\r\n"
    root = vault({"a.md": FRONTMATTER.replace("\n", "\r\n") + body})
    assert problems(run, root) == [
        (8, 1, "timestamp-order", '[00:01:00] is earlier than [00:02:00] on line 6 in section "Roots"')
    ]


# Which notes are checked


DAILY = "# 2024-03-01\nLunch [12:30], call [09:15], meeting [1:75].\n"
VIDEO_BODY = "Late [00:05:00], early [00:01:00].\n"


def test_by_default_every_note_is_checked(vault, run):
    assert lines(run, vault({"Daily/2024-03-01.md": DAILY})) == [
        (2, "timestamp-order"), (2, "timestamp-malformed")
    ]


def test_include_limits_the_family_to_matching_notes(vault, run):
    root = vault({
        "Daily/2024-03-01.md": DAILY,
        "Videos/letting_go.md": FRONTMATTER + VIDEO_BODY,
        ".vaultcheck.toml": '[timestamps]\ninclude = ["Videos/**"]\n',
    })
    result = run("check", "--select", "timestamps", root, cwd=root)
    assert result.out.splitlines()[0].startswith("Videos/letting_go.md:5:24: timestamp-order")
    assert "Daily" not in result.out


def test_require_property_limits_the_family_to_video_notes(vault, run):
    root = vault({
        "2024-03-01.md": DAILY,
        "letting_go.md": FRONTMATTER + VIDEO_BODY,
        "broken.md": "---\nvideoId: [\n---\n" + VIDEO_BODY,
        ".vaultcheck.toml": '[timestamps]\nrequire-property = "videoId"\n',
    })
    result = run("check", "--select", "timestamps", root, cwd=root)
    assert [line.split(":")[0] for line in result.out.splitlines() if ": timestamp-" in line] == [
        "letting_go.md"
    ]


def test_include_and_require_property_must_both_match(vault, run):
    root = vault({
        "Videos/letting_go.md": FRONTMATTER + VIDEO_BODY,
        "Videos/draft.md": VIDEO_BODY,
        "Other/letting_go.md": FRONTMATTER + VIDEO_BODY,
        ".vaultcheck.toml": '[timestamps]\ninclude = ["Videos/"]\nrequire-property = "videoId"\n',
    })
    result = run("check", "--select", "timestamps", root, cwd=root)
    assert {line.split(":")[0] for line in result.out.splitlines() if ": timestamp-" in line} == {
        "Videos/letting_go.md"
    }


@pytest.mark.parametrize(
    ("table", "error"),
    [
        ("strictt = true", "timestamps.strictt: unknown key 'strictt'"),
        ('strict = "yes"', "timestamps.strict: 'yes' is not of type 'boolean'"),
        ("section-level = 7", "timestamps.section-level: 7 is greater than the maximum of 6"),
        ('include = "Videos/**"', "timestamps.include: 'Videos/**' is not of type 'array'"),
        ('require-property = ""', "timestamps.require-property: '' should be non-empty"),
    ],
)
def test_bad_timestamps_config_is_a_usage_error(vault, run, table, error):
    root = vault({"a.md": "x\n", ".vaultcheck.toml": f"[timestamps]\n{table}\n"})
    result = run("check", root)
    assert result.code == 2
    assert error in result.err


# The whole output, and the seed note


def test_golden_text_output(vault, run):
    root = vault({
        "letting_go.md": FRONTMATTER
        + "Intro [00:03:42] and [00:00:04].\n\n"
        "## Understanding the Roots\n\n"
        "Trauma [00:00:26], obligations [00:08:11].\n\n"
        "> [!NOTE] Self-blame [00:04:09] and [00:61:10].\n"
    })
    result = run("check", "--select", "timestamps", root, cwd=root)
    assert result.code == 1
    assert result.out == (
        "letting_go.md:5:22: timestamp-order [00:00:04] is earlier than [00:03:42] on line 5"
        " in the section before the first heading\n"
        "letting_go.md:11:22: timestamp-order [00:04:09] is earlier than [00:08:11] on line 9"
        ' in section "Understanding the Roots"\n'
        "letting_go.md:11:37: timestamp-malformed [00:61:10] is not a valid time:"
        " minutes 61 are over 59\n"
        "\n"
        "3 problems in 1 of 1 note:\n"
        "       2  timestamp-order\n"
        "       1  timestamp-malformed\n"
    )


def test_seed_note_has_exactly_six_order_problems(vault, run, seed_note):
    root = vault({})
    shutil.copy(seed_note, root / "the_process_of_letting_go_in_relationships.md")
    found = problems(run, root)
    assert [(line, rule) for line, _, rule, _ in found] == [
        (line, "timestamp-order") for line in (8, 14, 16, 28, 36, 44)
    ]
    assert found[1][3] == (
        '[00:04:09] is earlier than [00:08:11] on line 12'
        ' in section "Understanding the Roots of Difficulty in Letting Go"'
    )
