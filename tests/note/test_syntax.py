"""vaultcheck.note.syntax: the links, headings, block ids and timestamps Obsidian sees in a note."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vaultcheck.note.syntax import BlockId, Heading, LinkRef, NoteSyntax, TimestampRef, parse_syntax


def links(text: str, body_start: int = 0) -> list[LinkRef]:
    return list(parse_syntax(text, body_start).links)


def only_link(text: str) -> LinkRef:
    found = links(text)
    assert len(found) == 1, found
    return found[0]


def timestamps(text: str) -> list[TimestampRef]:
    return list(parse_syntax(text, 0).timestamps)


def headings(text: str) -> list[Heading]:
    return list(parse_syntax(text, 0).headings)


def block_ids(text: str) -> list[str]:
    return [block_id.id for block_id in parse_syntax(text, 0).block_ids]


# --- wikilinks ---------------------------------------------------------------------------


def test_wikilink_target_and_offsets():
    assert only_link("See [[Target note]].\n") == LinkRef(
        kind="wikilink",
        embed=False,
        start=4,
        end=19,
        target="Target note",
        subpath="",
        alias=None,
        raw="[[Target note]]",
    )


def test_wikilink_to_heading():
    link = only_link("[[target#Heading]]")
    assert (link.target, link.subpath) == ("target", "Heading")


def test_wikilink_to_nested_heading_keeps_the_whole_subpath():
    link = only_link("[[target#Heading#Sub]]")
    assert (link.target, link.subpath) == ("target", "Heading#Sub")


def test_wikilink_to_block():
    link = only_link("[[target#^blockid]]")
    assert (link.target, link.subpath) == ("target", "^blockid")


def test_wikilink_to_heading_in_same_note_has_empty_target():
    link = only_link("[[#Heading]]")
    assert (link.target, link.subpath, link.alias) == ("", "Heading", None)


def test_wikilink_alias_after_first_pipe_trimmed():
    link = only_link("[[a | b | c]]")
    assert (link.target, link.alias) == ("a", "b | c")


def test_wikilink_tubegraph_style_alias():
    link = only_link("[[understanding_clinginess_in_relationships | clingy]]")
    assert (link.target, link.alias) == ("understanding_clinginess_in_relationships", "clingy")


def test_wikilink_parts_are_trimmed():
    link = only_link("[[ target # Heading | alias ]]")
    assert (link.target, link.subpath, link.alias) == ("target", "Heading", "alias")


def test_wikilink_empty_alias_is_not_none():
    assert only_link("[[target|]]").alias == ""


def test_embed_includes_the_bang():
    link = only_link("Look: ![[diagram.png]]")
    assert (link.embed, link.start, link.end, link.raw) == (True, 6, 22, "![[diagram.png]]")


def test_sized_embed_size_is_the_alias():
    link = only_link("![[img.png|300]]")
    assert (link.embed, link.target, link.alias) == (True, "img.png", "300")


def test_escaped_bang_is_a_plain_link():
    link = only_link("\\![[note]]")
    assert (link.embed, link.raw) == (False, "[[note]]")


def test_escaped_pipe_in_table_separates_alias():
    text = "| Link | Note |\n|---|---|\n| [[target\\|alias]] | x |\n"
    link = only_link(text)
    assert (link.target, link.alias) == ("target", "alias")
    assert link.raw == "[[target\\|alias]]"
    assert text[link.start : link.end] == link.raw


def test_escaped_pipe_outside_table_separates_alias_as_in_obsidian():
    link = only_link("[[a\\|b]]")
    assert (link.target, link.alias) == ("a", "b")
    assert link.raw == "[[a\\|b]]"


def test_a_pipe_after_an_escaped_backslash_does_not_separate():
    assert only_link("[[a\\\\|b]]").alias is None


def test_unescaped_pipe_in_table_splits_the_cell_so_there_is_no_link():
    assert links("| Link |\n|---|\n| [[target|alias]] |\n") == []


def test_wikilink_in_heading():
    assert only_link("## Understanding X [[link]]\n").target == "link"


def test_wikilink_in_callout():
    assert only_link("> [!NOTE] Title\n> Body with [[callout link]].\n").target == "callout link"


def test_wikilink_in_nested_list_item():
    assert only_link("- item\n  - nested [[list link]]\n").target == "list link"


def test_wikilinks_in_emphasis():
    found = links("*[[a]]* and **[[b|B]]** and ~~[[c]]~~")
    assert [link.target for link in found] == ["a", "b", "c"]


def test_wikilink_followed_by_parentheses_is_a_wikilink_not_markdown_link():
    assert only_link("[[a]](b.md)").raw == "[[a]]"


def test_wikilink_in_markdown_link_text_is_reported_with_the_markdown_link():
    found = links("[see [[a]]](b.md)")
    assert [(link.kind, link.target) for link in found] == [("markdown", "b.md"), ("wikilink", "a")]


def test_inner_opening_brackets_start_a_new_link():
    assert only_link("[[a [[b]]").raw == "[[b]]"


def test_empty_wikilink_is_not_a_link():
    assert links("[[]] and [[  ]]") == []


def test_links_come_in_document_order():
    found = links("| t |\n|---|\n| [[c]] |\n\n[[a]] [x](b.md)\n\n# [[d]]\n")
    assert [link.target for link in found] == ["c", "a", "b.md", "d"]


# --- Markdown links ------------------------------------------------------------------------


def test_markdown_link_is_url_decoded_and_split_at_hash():
    assert only_link("Read [the note](My%20Note.md#Some%20Heading).") == LinkRef(
        kind="markdown",
        embed=False,
        start=5,
        end=44,
        target="My Note.md",
        subpath="Some Heading",
        alias="the note",
        raw="[the note](My%20Note.md#Some%20Heading)",
    )


def test_markdown_link_with_angle_brackets():
    link = only_link("[x](<a b.md>)")
    assert (link.target, link.raw) == ("a b.md", "[x](<a b.md>)")


def test_markdown_image_is_an_embed():
    link = only_link("![alt text](img.png)")
    assert (link.kind, link.embed, link.target, link.alias) == (
        "markdown",
        True,
        "img.png",
        "alt text",
    )


def test_markdown_link_to_heading_in_same_note():
    link = only_link("[jump](#Heading)")
    assert (link.target, link.subpath) == ("", "Heading")


def test_markdown_link_with_url_keeps_the_whole_url_and_is_external():
    link = only_link("[docs](https://example.com/a%20b#frag)")
    assert (link.target, link.subpath, link.is_external) == (
        "https://example.com/a%20b#frag",
        "",
        True,
    )


def test_local_markdown_link_is_not_external():
    assert not only_link("[x](notes/a.md)").is_external


def test_reference_link_takes_the_destination_of_its_definition():
    link = only_link("[text][ref]\n\n[ref]: other.md\n")
    assert (link.target, link.alias, link.raw) == ("other.md", "text", "[text][ref]")


# --- what is not a link ------------------------------------------------------------------


def test_no_link_in_fenced_code():
    assert links("```\n[[no]] [x](no.md)\n```\n\n~~~md\n[[no]]\n~~~\n") == []


def test_no_link_in_indented_code():
    assert links("Para.\n\n    [[no]]\n") == []


def test_no_link_in_code_span():
    assert links("Use `[[no]]` and ``[x](no.md)``.") == []


def test_no_link_in_inline_comment():
    assert links("Text %% [[no]] %% more.") == []


def test_no_link_in_inline_comment_over_lines():
    assert only_link("Text %% a\n[[no]]\n%% then [[yes]]").target == "yes"


def test_no_link_in_block_comment_with_blank_lines():
    assert only_link("%%\n[[no]]\n\n[[no either]]\n%%\n\n[[yes]]\n").target == "yes"


def test_unclosed_block_comment_runs_to_the_end():
    assert links("[[yes]]\n\n%%\n[[no]]\n\n[[no either]]\n") == links("[[yes]]\n")


def test_no_link_in_inline_html_comment():
    assert links("Text <!-- [[no]] --> more.") == []


def test_no_link_in_html_comment_block():
    assert links("<!--\n[[no]]\n\n[[no either]]\n-->\n") == []


def test_no_link_in_inline_math():
    assert links("So $[[no]]$ and $$[[no]]$$.") == []


def test_no_link_in_math_block():
    assert only_link("$$\n[[no]]\n\nx = [[no]]\n$$\n\n[[yes]]\n").target == "yes"


def test_dollar_amounts_are_not_math():
    assert only_link("It costs $5 and [[yes]] $10.").target == "yes"


def test_escaped_brackets_are_not_a_link():
    assert links("\\[\\[not a link]]") == []


def test_escaped_first_bracket_is_not_a_link():
    assert links("\\[[not a link]]") == []


def test_escaped_backslash_before_a_link_keeps_the_link():
    assert only_link("\\\\[[yes]]").raw == "[[yes]]"


# --- split links ---------------------------------------------------------------------------


def test_wikilink_never_spans_lines():
    text = "A [[split\nlink]] here.\n"
    syntax = parse_syntax(text, 0)
    assert syntax.links == ()
    assert syntax.split_links == (2,)


def test_split_embed_is_reported_at_its_brackets():
    text = "![[split\nembed]]"
    assert parse_syntax(text, 0).split_links == (1,)


def test_brackets_closed_in_a_later_paragraph_are_not_a_split_link():
    assert parse_syntax("[[a\n\nb]]", 0).split_links == ()


def test_no_split_link_in_code():
    assert parse_syntax("```\n[[a\nb]]\n```\n", 0).split_links == ()


# --- offsets in the original text ------------------------------------------------------------


def test_crlf_offsets_point_into_the_original_text():
    text = "Line one\r\n\r\n[[a]] and\r\n![[b|c]] then [d](e.md)\r\n"
    found = links(text)
    assert [link.raw for link in found] == ["[[a]]", "![[b|c]]", "[d](e.md)"]
    for link in found:
        assert text[link.start : link.end] == link.raw
    assert found[1].start == text.index("![[b|c]]")


def test_lone_carriage_returns_are_line_breaks():
    text = "x\r\ry [[a]]\r"
    link = only_link(text)
    assert (link.start, text[link.start : link.end]) == (5, "[[a]]")


def test_offsets_count_from_the_start_of_the_file_with_frontmatter():
    text = "---\r\ntitle: x\r\n---\r\n[[a]]\r\n\r\n# Head\r\n^id\r\n"
    body_start = text.index("[[a]]")
    syntax = parse_syntax(text, body_start)
    assert [(link.start, link.raw) for link in syntax.links] == [(body_start, "[[a]]")]
    (heading,) = syntax.headings
    assert text[heading.start : heading.end] == "# Head"


def test_frontmatter_is_not_parsed():
    text = "---\naliases: [[not a link]]\n---\n[[yes]]\n"
    assert [link.target for link in links(text, text.index("[[yes]]"))] == ["yes"]


def test_table_rows_span_header_and_body_rows_but_not_the_delimiter_row():
    text = "Intro\r\n\r\n| a | b |\r\n|---|---|\r\n| [[x\\|y]] | c |\r\n"
    rows = parse_syntax(text, 0).table_rows
    assert [text[start:end] for start, end in rows] == ["| a | b |", "| [[x\\|y]] | c |"]


# --- headings ---------------------------------------------------------------------------------


def test_atx_heading_levels():
    text = "".join(f"{'#' * level} Level {level}\n\n" for level in range(1, 7))
    assert [(h.level, h.text) for h in headings(text)] == [
        (level, f"Level {level}") for level in range(1, 7)
    ]


def test_atx_heading_offsets_cover_the_line_without_its_break():
    text = "Intro\n\n## Title ##\n"
    (heading,) = headings(text)
    assert (heading.level, heading.text) == (2, "Title")
    assert text[heading.start : heading.end] == "## Title ##"


def test_seven_hashes_is_not_a_heading():
    assert headings("####### no\n") == []


def test_hash_without_space_is_a_tag_not_a_heading():
    assert headings("#tag\n") == []


def test_setext_headings():
    text = "Title\n=====\n\nSub\n---\n"
    found = headings(text)
    assert [(h.level, h.text) for h in found] == [(1, "Title"), (2, "Sub")]
    assert text[found[0].start : found[0].end] == "Title\n====="


def test_heading_text_keeps_its_links_as_written():
    (heading,) = headings("## Understanding X [[link|L]] \n")
    assert heading.text == "Understanding X [[link|L]]"


def test_no_heading_in_code():
    assert headings("```\n# not a heading\n```\n") == []


# --- block ids --------------------------------------------------------------------------------


def test_block_id_at_end_of_paragraph():
    text = "A paragraph that ends ^abc-123\n"
    assert parse_syntax(text, 0).block_ids == (BlockId("abc-123", 22, 30),)


def test_block_id_at_end_of_list_item():
    assert block_ids("- first ^one\n- second\n  ^two\n") == ["one", "two"]


def test_block_id_alone_on_a_line_after_a_block():
    assert block_ids("> A quote.\n\n^quote-id\n") == ["quote-id"]


def test_block_id_must_follow_whitespace():
    assert block_ids("x^abc\n") == []


def test_block_id_only_at_the_end_of_its_paragraph():
    assert block_ids("first ^no\nsecond line\n") == []


def test_block_id_rejects_other_characters():
    assert block_ids("text ^not_valid\n") == []


def test_no_block_id_in_code_or_heading():
    assert block_ids("```\ntext ^no\n```\n\n# Heading ^no\n\n`^no`\n") == []


# --- timestamps -------------------------------------------------------------------------------


def test_bare_timestamp():
    text = "It starts here [00:03:42]."
    assert timestamps(text) == [TimestampRef("00:03:42", 15, 25, None, None)]


def test_timestamp_as_markdown_link_text_captures_the_url():
    text = "At [00:03:42](https://youtu.be/ID?t=222)."
    assert timestamps(text) == [TimestampRef("00:03:42", 3, 13, "https://youtu.be/ID?t=222", None)]


def test_timestamp_in_yt_anchor_counts_once_with_data_t():
    text = 'Said <a class="yt-timestamp" data-t="00:03:42">[00:03:42]</a>.'
    (stamp,) = timestamps(text)
    assert (stamp.text, stamp.data_t, stamp.url) == ("00:03:42", "00:03:42", None)
    assert text[stamp.start : stamp.end] == "[00:03:42]"


def test_anchor_data_t_ends_with_the_anchor():
    text = '<a class="yt-timestamp" data-t="00:00:05">[00:00:05]</a>, [00:00:06]'
    assert [stamp.data_t for stamp in timestamps(text)] == ["00:00:05", None]


def test_anchor_data_t_is_taken_as_written():
    text = "<a class='yt-timestamp' data-t='00:01:00'>[00:00:59]</a>"
    (stamp,) = timestamps(text)
    assert (stamp.text, stamp.data_t) == ("00:00:59", "00:01:00")


def test_timestamps_are_found_permissively_for_rules_to_judge():
    assert [stamp.text for stamp in timestamps("[00:61:10] [1:2:03] [12:30] [01:00:17:51]")] == [
        "00:61:10",
        "1:2:03",
        "12:30",
        "01:00:17:51",
    ]


def test_bracketed_numbers_that_are_not_times():
    assert timestamps("[12] [a:b] [1: 2] [1:2:] [:1:2]") == []


def test_no_timestamp_in_code_comments_or_math():
    text = (
        "`[00:00:01]` %% [00:00:02] %% <!-- [00:00:03] --> $[00:00:04]$\n\n```\n[00:00:05]\n```\n"
    )
    assert timestamps(text) == []


def test_escaped_timestamp_is_text():
    assert timestamps("\\[00:00:01]") == []


def test_timestamps_in_callouts_and_lists():
    text = "> [!NOTE] Note [00:04:09].\n\n1.  **Step:** do it [00:15:00].\n"
    assert [stamp.text for stamp in timestamps(text)] == ["00:04:09", "00:15:00"]


def test_timestamp_offsets_with_crlf_and_frontmatter():
    text = "---\r\nvideoId: x\r\n---\r\nA\r\nB [00:00:07]\r\n"
    (stamp,) = parse_syntax(text, text.index("A")).timestamps
    assert text[stamp.start : stamp.end] == "[00:00:07]"


# --- robustness -------------------------------------------------------------------------------


def test_empty_note():
    assert parse_syntax("", 0) == NoteSyntax((), (), (), (), ())


def test_a_line_of_100000_opening_brackets_parses():
    syntax = parse_syntax("[[" * 100_000, 0)
    assert syntax.links == () and syntax.split_links == ()


def test_nesting_deeper_than_the_recursion_limit_still_parses():
    text = "- " * 400 + "[[deep]]\n"
    assert only_link(text).target == "deep"


def test_real_note_in_tubegraph_style():
    text = (
        "---\ntitle: Letting go\nvideoId: tvpDLpCf1jU\n---\n\n"
        "From: [[healthygamergg]] <br/> \n\n"
        "Patterns [00:03:42]. Overly [[understanding_clinginess_in_relationships | clingy]]"
        ' <a class="yt-timestamp" data-t="00:00:04">[00:00:04]</a>.\n'
    )
    syntax = parse_syntax(text, text.index("From"))
    assert [(link.target, link.alias) for link in syntax.links] == [
        ("healthygamergg", None),
        ("understanding_clinginess_in_relationships", "clingy"),
    ]
    assert [(stamp.text, stamp.data_t) for stamp in syntax.timestamps] == [
        ("00:03:42", None),
        ("00:00:04", "00:00:04"),
    ]


MARKDOWN_PIECES = st.sampled_from(
    ["[[", "]]", "![[", "[", "]", "(", ")", "!", "|", "\\|", "\\", "#", "^", "^id", "%%", "$"]
    + ["$$", "`", "```", "~~~", "<!--", "-->", '<a data-t="1:2">', "</a>", "*", "_", "> "]
    + ["- ", "1. ", "    ", "\t", "\n", "\r\n", "\r", " ", "a", "b.md", "%20", "[00:01:02]"]
    + ["00:01", ":", "| x |", "|---|", "# ", "===", "---", "<div>", "https://x"]
)
MARKDOWN_SOUP = st.lists(MARKDOWN_PIECES, max_size=40).map("".join)


def assert_offsets_hold(text: str, body_start: int) -> None:
    syntax = parse_syntax(text, body_start)
    for link in syntax.links:
        assert body_start <= link.start < link.end <= len(text)
        assert text[link.start : link.end] == link.raw
        if link.kind == "wikilink":
            assert link.raw.startswith("![[" if link.embed else "[[") and link.raw.endswith("]]")
        else:
            assert link.raw.startswith("![" if link.embed else "[")
    for stamp in syntax.timestamps:
        if stamp.bracketed:
            assert text[stamp.start : stamp.end] == f"[{stamp.text}]"
        else:
            anchor = text[stamp.start : stamp.end]
            assert anchor.startswith("<a") and f'data-t="{stamp.data_t}"' in anchor
            assert stamp.text in anchor
    for block_id in syntax.block_ids:
        assert text[block_id.start : block_id.end] == f"^{block_id.id}"
    for heading in syntax.headings:
        assert body_start <= heading.start <= heading.end <= len(text)
    for offset in syntax.split_links:
        assert text.startswith("[[", offset)
    for start, end in syntax.table_rows:
        assert body_start <= start <= end <= len(text)


@settings(deadline=None, max_examples=300)
@given(st.text(), st.data())
def test_any_text_parses_with_offsets_into_it(text, data):
    assert_offsets_hold(text, data.draw(st.integers(0, len(text))))


@settings(deadline=None, max_examples=500)
@given(MARKDOWN_SOUP, st.data())
def test_markdown_soup_parses_with_offsets_into_it(text, data):
    assert_offsets_hold(text, data.draw(st.integers(0, len(text))))
