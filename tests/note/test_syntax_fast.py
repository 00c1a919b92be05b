"""The fast path agrees with marko: what parse_syntax finds, by regex where it can and by
parsing only the blocks that need it, equals what marko's parse of the whole body finds."""

from __future__ import annotations

import os
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SHARED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultcheck.note.frontmatter import parse_frontmatter
from vaultcheck.note.note import decode_note
from vaultcheck.note.syntax import NoteSyntax, parse_region, parse_syntax, parse_with_marko
from vaultcheck.note.syntax.fast import scan, scan_plain

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

PLAIN_NOTE = """---
title: Letting go
videoId: tvpDLpCf1jU
---

From: [[healthygamergg]] <br/>

Letting go involves [[understanding_clinginess | clingy]] patterns <a class="yt-timestamp" data-t="00:03:42">[00:03:42]</a>.

## Understanding the roots

> [!NOTE] Trauma can lead to [[self_blame | self-blame]] [00:04:09].

1.  **Understand needs:** become aware [00:15:00], see [[needs#Emotional needs|needs]].
    *   **Nested:** details ![[diagram.png|300]] [00:15:30].
"""


def agree(text: str) -> bool:
    """True when both fast paths find exactly what marko finds (or the plain one declines)."""
    body_start = parse_frontmatter(text).body_start
    marko = parse_with_marko(text, body_start)
    plain = scan_plain(text, body_start)
    return (plain is None or plain == marko) and parse_syntax(text, body_start) == marko


def test_plain_note_takes_the_fast_path():
    body_start = parse_frontmatter(PLAIN_NOTE).body_start
    fast = scan_plain(PLAIN_NOTE, body_start)
    assert fast is not None
    assert [link.target for link in fast.links] == [
        "healthygamergg", "understanding_clinginess", "self_blame", "needs", "diagram.png",
    ]
    assert len(fast.timestamps) == 4


def test_plain_note_agrees_with_marko():
    assert agree(PLAIN_NOTE)


@pytest.mark.parametrize(
    "construct",
    ["`[[x]]`", "$[[x]]$", "%% [[x]] %%", "\\[[x]]", "[t](x.md \"t\")", "<!-- [[x]] -->", "text ^block"],
)
def test_constructs_that_can_hide_links_go_to_marko(construct):
    text = f"Before [[a]].\n\nSome {construct}\n"
    assert scan_plain(text, 0) is None


@pytest.mark.parametrize(
    "construct", ["`npm install`", "`a` and ``b ` c``", "$x^2$", "$5 and $10", "`$x` and $y$"]
)
def test_code_spans_and_formulas_that_hide_nothing_stay_on_the_fast_path(construct):
    text = f"Before [[a]].\n\nSome {construct} then [[b]] [00:01:02].\n"
    assert scan_plain(text, 0) is not None
    assert agree(text)


@pytest.mark.parametrize(
    "construct",
    ["`a\nb`", "```x```", "$$x$$", "$a\nb$", "`[[x]]`", "$x [[y]]$", "`<a href='u'>`", "$x*$"],
)
def test_code_spans_and_formulas_that_may_hide_something_go_to_marko(construct):
    text = f"*Before [[a]] {construct} after.\n"
    assert scan_plain(text, 0) is None
    assert agree(text)


@pytest.mark.parametrize(
    "text",
    [
        "*[[a]] [[b*]]\n",
        "x *[[a]] [[b*]] y\n",
        "_[[a]] [[b_]]\n",
        "*[[a]] <a href='*'>x</a>\n",
        "*[[a]] $x*$\n",
    ],
)
def test_emphasis_running_into_a_link_or_tag_goes_to_marko(text):
    """marko drops emphasis that a later wikilink, tag or formula overlaps, with the
    links inside it: ``[[a]]`` is no link in ``*[[a]] [[b*]]``."""
    assert scan_plain(text, 0) is None
    assert agree(text)


@pytest.mark.parametrize(
    "text", ["From: [[_channel]] <br/>\n", "*   [[x | **Bold**]] and more\n", "[[a_b]] _c_\n"]
)
def test_emphasis_inside_a_link_alone_stays_on_the_fast_path(text):
    assert scan_plain(text, 0) is not None
    assert agree(text)


INDEX_NOTE = """---
title: somechannel
---
### [Talk: Ideas & Work, $0 to $1M | Podcast #300](https://www.youtube.com/watch?v=gk4tEO4jDUM&t=1)
- [[first_topic | First topic]]
- see [00:41:23](https://youtu.be/x?t=2483) and ![cover](img%20one.png#top)
  and [note](other.md#Part)
"""


def test_simple_markdown_links_stay_on_the_fast_path():
    fast = scan_plain(INDEX_NOTE, parse_frontmatter(INDEX_NOTE).body_start)
    assert fast is not None
    assert [(link.kind, link.target, link.subpath) for link in fast.links] == [
        ("markdown", "https://www.youtube.com/watch?v=gk4tEO4jDUM&t=1", ""),
        ("wikilink", "first_topic", ""),
        ("markdown", "https://youtu.be/x?t=2483", ""),
        ("markdown", "img one.png", "top"),
        ("markdown", "other.md", "Part"),
    ]
    assert [(stamp.text, stamp.url) for stamp in fast.timestamps] == [
        ("00:41:23", "https://youtu.be/x?t=2483")
    ]
    assert agree(INDEX_NOTE)


@pytest.mark.parametrize(
    "link",
    [
        "[a](u$x$)", "[a](u%%x%%)", "[a](<u>)", "[a](u 'title')", "[a](u(1))", "[a $x](u) b$",
        "[%%a](u)%%", "[a\rb](u)", "[a\tb](u)", "[[w]]([00:02:10](#t=00:02:10))",
    ],
)
def test_markdown_links_the_parser_could_read_otherwise_go_to_marko(link):
    text = f"Before {link} and [[a]].\n"
    assert scan_plain(text, 0) is None
    assert agree(text)


def test_a_tag_cut_off_at_the_end_of_a_note_is_text():
    text = '[[a]] <a class="yt-timestamp" data-t="00:01:02">[00:01:02]</a>, <a class="yt'
    assert scan_plain(text, 0) is not None
    assert agree(text)


def test_a_lone_less_than_sign_leaves_the_image_after_it_whole():
    text = "word<![i](a%20b.png)\n"
    assert [link.embed for link in scan_plain(text, 0).links] == [True]
    assert agree(text)


def test_indented_line_after_blank_line_goes_to_marko():
    assert scan_plain("Text\n\n    [[maybe code]]\n", 0) is None


def test_nested_list_line_stays_on_the_fast_path():
    assert scan_plain("- item [[a]]\n    - nested [[b]]\n", 0) is not None


def test_every_note_of_the_demo_vault_agrees():
    for path in sorted(EXAMPLES.rglob("*.md")):
        text = path.read_bytes().decode("utf-8", "replace")
        assert agree(text), path


@pytest.mark.slow
def test_every_note_of_the_sample_vault_agrees(sample_vault):
    fast = 0
    for path in sorted(sample_vault.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert agree(text), path
        fast += scan_plain(text, parse_frontmatter(text).body_start) is not None
    assert fast > 0


TOKENS = st.sampled_from([
    "word", "two words", " ", "  ", "[[target]]", "[[a | b]]", "[[a|b|c]]", "![[img.png|300]]",
    "[[note#Heading]]", "[[#^id]]", "[[", "]]", "[", "]", "[00:03:42]", "[1:02]", "[00:61:10]",
    '<a class="yt-timestamp" data-t="00:01:02">', "</a>", "<br/>", "<div>", "<a href='x'>",
    "**", "*", "_", "`", "$", "%%", "\\", "](x.md)", "(", ")", "^id", "#", "## ", "|", ":",
    "!", "-", "1.", ">", "<", "&amp;", "~~~", "---", "===", "```", "```py", "~~~~", "$$",
    "<!--", "-->", "<pre>", "</pre>", "<div>", "<?", "[x]: y.md", "\t", "\r",
    "`x`", "``", "`[[a]]`", "$x$", "$5", "$x_1$", "[[_a]]", "[[b*]]", "[[c | **d**]]", "__",
    "[t](https://y.be/w?v=a_b&t=1)", "![i](a%20b.png)", "[00:01:02](u)", "[x](u$)", "](",
    "00:05:00", "[01:00:17:51]", '<a class="yt-timestamp" data-t="00:05:00"></a>', "<br>",
])
LINE_PREFIX = st.sampled_from(["", "", "", "- ", "1. ", "> ", "    ", "  ", "# ", "### ", "    - ", "> - "])
LINES = st.lists(
    st.one_of(st.just(""), st.tuples(LINE_PREFIX, st.lists(TOKENS, max_size=8)).map(
        lambda parts: parts[0] + "".join(parts[1])
    )),
    max_size=12,
)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES, st.booleans())
def test_generated_notes_agree(lines, with_frontmatter):
    text = ("---\ntitle: x\n---\n" if with_frontmatter else "") + "\n".join(lines) + "\n"
    assert agree(text)


BLOCKS = st.sampled_from([
    "Prose with [[a | b]] and [00:01:02].",
    "```\n[[in code]] [00:00:01]\n```",
    "````\n```\n[[still code]]\n\n[[after blank]]\n````",
    "```\nunclosed [[code]]",
    "%%\n[[comment]]\n\n[[still comment]]\n%%",
    "$$\n[[math]]\n$$",
    "<!--\n[[hidden]]\n\n[[still hidden]]\n-->",
    "<div>\n[[html]]\n</div>",
    "- item [[a]]",
    "  continued [[b]]",
    "    indented [[c]] [00:00:02]",
    "> quote [[d]]",
    "## Heading [[e]]",
    "text ^block-id",
    "<a data-t=\"00:00:03\">[00:00:03]</a>",
    "`code [[f]]`",
    "- ```\n  [[listed code]]",
    "<br>\nB [00:01:00] <a data-t=\"00:00:04\">00:00:04</a> <!-- [00:00:05] --> [[html]]",
    "Anchors <a data-t=\"00:00:06\">00:00:06</a> <a data-t=\"00:00:07\"></a> [01:00:17:51].",
])


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(BLOCKS, max_size=8), st.sampled_from(["\n\n", "\n\n\n", "\n \n"]))
def test_generated_blocks_agree(blocks, separator):
    assert agree(separator.join(blocks) + "\n")


def test_code_block_is_parsed_alone_and_prose_around_it_by_regex():
    text = "Before [[a]].\n\n```\n[[not a link]]\n```\n\nAfter [[b]] [00:00:05].\n"
    found = parse_syntax(text, 0)
    assert [link.target for link in found.links] == ["a", "b"]
    assert [stamp.text for stamp in found.timestamps] == ["00:00:05"]


def test_fence_left_open_hides_everything_after_it():
    text = "Before [[a]].\n\n```\ncode\n\n[[hidden]]\n\nmore [[hidden too]]\n"
    assert [link.target for link in parse_syntax(text, 0).links] == ["a"]


REAL_VAULT_ARCHIVE = SHARED / "corpora" / "tubegraph.tar.gz"


@pytest.fixture(scope="session")
def real_vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The whole real vault: the folder named by ``VAULTCHECK_REAL_VAULT``, or
    ../shared/corpora/tubegraph.tar.gz unpacked once per session; skips without either."""
    named = os.environ.get("VAULTCHECK_REAL_VAULT")
    if named:
        if not Path(named).is_dir():
            pytest.skip(f"VAULTCHECK_REAL_VAULT={named} is not a folder")
        yield Path(named)
        return
    if not REAL_VAULT_ARCHIVE.is_file():
        pytest.skip(
            "the whole real vault is absent: set VAULTCHECK_REAL_VAULT to its folder or"
            " provide ../shared/corpora/tubegraph.tar.gz"
        )
    folder = tmp_path_factory.mktemp("real-vault")
    with tarfile.open(REAL_VAULT_ARCHIVE) as archive:
        archive.extractall(folder, filter="data")
    yield folder


def _production_parse(text: str, body_start: int) -> tuple[NoteSyntax, bool]:
    """What :func:`parse_syntax` finds, and whether it asked marko for any region."""
    regions: list[int] = []

    def counted(text: str, start: int, end: int) -> tuple[NoteSyntax, bool]:
        regions.append(start)
        return parse_region(text, start, end)

    return scan(text, body_start, len(text), counted), bool(regions)


@pytest.mark.slow
def test_the_real_vault_agrees(real_vault):
    """What production finds equals marko's parse of the whole note, on every note of
    the real vault (marko over its 21,000 notes costs a few minutes of CPU)."""
    paths = sorted(real_vault.rglob("*.md"))
    assert len(paths) > 1000, "the real vault looks incomplete"
    disagree = []
    through_marko = 0
    for path in paths:
        text, _bom = decode_note(path.read_bytes())
        body_start = parse_frontmatter(text).body_start
        found, used_marko = _production_parse(text, body_start)
        through_marko += used_marko
        if found != parse_with_marko(text, body_start):
            disagree.append(str(path.relative_to(real_vault)))
    assert not disagree, f"{len(disagree)} of {len(paths)} notes disagree: {disagree[:20]}"
    assert through_marko < len(paths), "every note went through marko: the fast path is unused"
