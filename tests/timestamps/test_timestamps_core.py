"""The pure core of the timestamp rules: clock, link parameters, video ids, sections, order."""

from __future__ import annotations

import doctest

import pytest

from vaultcheck.note.syntax import TimestampRef, parse_syntax
from vaultcheck.timestamps import clock, order, video
from vaultcheck.timestamps.citation import citation_issues, note_video_id
from vaultcheck.timestamps.clock import ClockError, format_clock, parse_clock
from vaultcheck.timestamps.options import TimestampOptions
from vaultcheck.timestamps.order import kept_indices, misplaced
from vaultcheck.timestamps.sections import split_sections
from vaultcheck.timestamps.video import parameter_seconds, time_parameter, youtube_video_id

VIDEO = "tvpDLpCf1jU"


@pytest.mark.parametrize("module", [clock, video, order], ids=lambda module: module.__name__)
def test_docstring_examples_hold(module):
    results = doctest.testmod(module)
    assert results.attempted > 0
    assert results.failed == 0


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("00:03:42", 222),
        ("0:03:42", 222),
        ("1:02:03", 3723),
        ("123:00:00", 442800),
        ("03:42", 222),
        ("3:42", 222),
        ("75:00", 4500),
        ("0:00", 0),
    ],
)
def test_well_formed_times(text, seconds):
    assert parse_clock(text) == seconds


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("00:61:10", "minutes 61 are over 59"),
        ("01:03:75", "seconds 75 are over 59"),
        ("1:2:03", "minutes must be two digits after the hours"),
        ("1:02:3", "seconds must be two digits after the minutes"),
        ("3:4", "seconds must be two digits after the minutes"),
        ("00:003:42", "minutes must be two digits after the hours"),
        ("3:60", "seconds 60 are over 59"),
        ("1:02:03:04", "has four parts; write HH:MM:SS"),
        ("1:02:03:04:05", "has five parts; write HH:MM:SS"),
        ("12", "not a time ([H:MM:SS] or [M:SS])"),
        ("a:30", "minutes 'a' are not a number"),
        ("１:30", "minutes '１' are not a number"),
    ],
)
def test_malformed_times_say_what_is_wrong(text, reason):
    with pytest.raises(ClockError) as raised:
        parse_clock(text)
    assert str(raised.value) == reason


def test_format_clock_pads_every_unit():
    assert [format_clock(s) for s in (0, 222, 3723, 442800)] == [
        "00:00:00", "00:03:42", "01:02:03", "123:00:00"
    ]


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("222", 222), ("222s", 222), ("3m42s", 222), ("3m42", 222), ("1h2m3s", 3723), ("1h", 3600),
     ("2m", 120), ("0", 0)],
)
def test_time_parameters(value, seconds):
    assert parameter_seconds(value) == seconds


@pytest.mark.parametrize("value", ["", "abc", "3:42", "1h2h", "s", "-5", "3m42s7"])
def test_not_time_parameters(value):
    assert parameter_seconds(value) is None


@pytest.mark.parametrize(
    ("url", "found"),
    [
        ("https://youtu.be/tvpDLpCf1jU?t=222", ("t", "222")),
        ("https://www.youtube.com/watch?v=tvpDLpCf1jU&t=3m42s", ("t", "3m42s")),
        ("https://www.youtube.com/embed/tvpDLpCf1jU?start=222", ("start", "222")),
        ("https://vimeo.com/76979871#t=1m30s", ("t", "1m30s")),
        ("https://youtu.be/tvpDLpCf1jU?t=", ("t", "")),
        ("https://youtu.be/tvpDLpCf1jU", None),
        ("https://youtu.be/tvpDLpCf1jU?feature=share", None),
        ("http://[bad", None),
    ],
)
def test_time_parameter_of_a_url(url, found):
    assert time_parameter(url) == found


@pytest.mark.parametrize(
    ("url", "video"),
    [
        ("https://youtu.be/tvpDLpCf1jU?t=222", VIDEO),
        ("https://www.youtube.com/watch?v=tvpDLpCf1jU&t=222", VIDEO),
        ("https://m.youtube.com/watch?t=222&v=tvpDLpCf1jU", VIDEO),
        ("https://youtube.com/embed/tvpDLpCf1jU?start=222", VIDEO),
        ("https://www.youtube-nocookie.com/embed/tvpDLpCf1jU", VIDEO),
        ("https://www.youtube.com/shorts/tvpDLpCf1jU", VIDEO),
        ("HTTPS://WWW.YOUTUBE.COM/watch?v=tvpDLpCf1jU", VIDEO),
        ("https://www.youtube.com/@healthygamergg", None),
        ("https://www.youtube.com/watch?list=PL123", None),
        ("https://example.com/watch?v=tvpDLpCf1jU", None),
        ("https://notyoutube.com/embed/tvpDLpCf1jU", None),
        ("youtu.be/tvpDLpCf1jU", None),
        ("http://[bad", None),
    ],
)
def test_youtube_video_id(url, video):
    assert youtube_video_id(url) == video


def stamp(text: str, url: str | None = None, data_t: str | None = None) -> TimestampRef:
    return TimestampRef(text, 0, len(text) + 2, url, data_t)


def test_a_plain_valid_timestamp_has_no_issues():
    assert citation_issues(stamp("00:03:42"), VIDEO) == []


def test_a_malformed_timestamp_is_one_issue_whatever_its_link_says():
    ref = stamp("00:61:10", "https://youtu.be/someOtherId?t=abc", data_t="x")
    assert citation_issues(ref, VIDEO) == ["[00:61:10] is not a valid time: minutes 61 are over 59"]


def test_link_time_and_video_are_compared():
    ref = stamp("00:03:42", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=200")
    assert citation_issues(ref, VIDEO) == [
        "[00:03:42] links to t=200, which is 00:03:20, not 00:03:42",
        f"[00:03:42] links to video dQw4w9WgXcQ, not this note's videoId {VIDEO}",
    ]


def test_without_a_video_id_any_video_is_fine():
    assert citation_issues(stamp("00:03:42", "https://youtu.be/dQw4w9WgXcQ?t=222")) == []


def test_data_t_is_compared_by_time_not_spelling():
    assert citation_issues(stamp("00:03:42", data_t="0:03:42")) == []
    assert citation_issues(stamp("00:03:42", data_t="00:03:40")) == [
        '[00:03:42] has data-t="00:03:40", which is not 00:03:42'
    ]


def test_a_data_t_that_is_not_a_time():
    assert citation_issues(stamp("00:01:23", data_t="00:1:23")) == [
        (
            'data-t="00:1:23" of [00:01:23] is not a valid time:'
            " minutes must be two digits after the hours"
        )
    ]


@pytest.mark.parametrize(
    ("frontmatter", "video"),
    [({"videoId": VIDEO}, VIDEO), ({"videoId": ""}, None), ({"videoId": 5}, None), ({}, None),
     (None, None)],
)
def test_note_video_id(frontmatter, video):
    assert note_video_id(frontmatter) == video


NOTE = """\
intro [0:01]
# Title
[0:02]
## Part
[0:03]
### Detail
[0:04] [0:05]
> ### Quoted
> [0:06]
- ## Listed
  [0:07]
"""


def sections_of(text: str, max_level: int = 6) -> list[tuple[str | None, list[str]]]:
    syntax = parse_syntax(text, 0)
    return [
        (section.heading and section.heading.text, [ref.text for ref in section.items])
        for section in split_sections(syntax.timestamps, syntax.headings, text, max_level)
    ]


def test_every_heading_starts_a_section_by_default():
    assert sections_of(NOTE) == [
        (None, ["0:01"]),
        ("Title", ["0:02"]),
        ("Part", ["0:03"]),
        ("Detail", ["0:04", "0:05", "0:06", "0:07"]),
    ]


def test_deeper_headings_stay_inside_their_section():
    assert sections_of(NOTE, max_level=2) == [
        (None, ["0:01"]),
        ("Title", ["0:02"]),
        ("Part", ["0:03", "0:04", "0:05", "0:06", "0:07"]),
    ]


def test_setext_headings_and_any_line_ending_start_sections():
    assert sections_of("[0:01]\r\n\r\nTitle\r\n=====\r\n[0:02]\r\n") == [
        (None, ["0:01"]), ("Title", ["0:02"])
    ]


def test_section_descriptions():
    syntax = parse_syntax("# Title\n", 0)
    before, title = split_sections([], syntax.headings, "# Title\n")
    assert before.describe() == "in the section before the first heading"
    assert title.describe() == 'in section "Title"'


@pytest.mark.parametrize(
    ("values", "reported"),
    [
        ([], []),
        ([5], []),
        ([1, 2, 3], []),
        ([1, 1, 1], []),
        ([1, 9, 2, 3, 4], [1]),  # one displaced high value: one problem, not all that follow
        ([5, 6, 7, 1, 8], [3]),  # one displaced low value
        ([222, 4], [1]),  # a tie: the earlier is kept, the later reported
        ([26, 28, 491, 249, 85, 561], [3, 4]),  # three-way tie: the first of them is kept
        ([3, 2, 1], [1, 2]),
        ([4, 5, 1, 2, 3], [0, 1]),  # fewest: the two high ones, not the three low ones
    ],
)
def test_fewest_to_remove(values, reported):
    assert [found.index for found in misplaced(values)] == reported


def test_strict_order_reports_repeats():
    assert [found.index for found in misplaced([1, 1, 2], strict=True)] == [1]
    assert misplaced([1, 1, 2]) == []


def test_each_reported_value_names_the_kept_value_it_conflicts_with():
    too_early, too_late = misplaced([10, 30, 20, 40]), misplaced([10, 900, 20, 30])
    assert [(f.index, f.anchor, f.anchor_before) for f in too_early] == [(2, 1, True)]
    assert [(f.index, f.anchor, f.anchor_before) for f in too_late] == [(1, 2, False)]


def test_kept_indices_are_the_first_longest_run():
    assert kept_indices([26, 28, 491, 249, 85, 561]) == [0, 1, 2, 5]
    assert kept_indices([2, 2, 1], strict=True) == [0]


def test_options_defaults_check_every_note_in_any_order_of_equals():
    assert TimestampOptions.from_table({}) == TimestampOptions(
        strict=False, section_level=6, include=None, require_property=None
    )


def test_options_from_table():
    table = {"strict": True, "section-level": 2, "include": ["Videos/**"],
             "require-property": "videoId"}
    assert TimestampOptions.from_table(table) == TimestampOptions(
        strict=True, section_level=2, include=("Videos/**",), require_property="videoId"
    )
