"""One behaviour per test: how a link target resolves, as Obsidian resolves it."""

from __future__ import annotations

import pytest
from linkvault import messages

from vaultcheck.links.headings import find_heading, heading_key
from vaultcheck.links.resolve import resolve
from vaultcheck.vault.files import FileIndex

LINK_RULES = "broken-link,broken-heading,broken-block-ref,missing-attachment"


@pytest.fixture
def problems(vault, run):
    """``{(path, line, column): "rule message"}`` of the link rules on a vault."""

    def check(files: dict[str, str | bytes], *select: str) -> dict[tuple[str, int, int], str]:
        root = vault(files)
        return messages(run("check", "--select", ",".join(select) or LINK_RULES, cwd=root).out)

    return check


def index(*paths: str) -> FileIndex:
    return FileIndex.from_paths(((path, False) for path in paths), tracked_by_git=False)


def picked(target: str, source: str, *paths: str) -> str | None:
    found = resolve(target, source, index(*paths)).file
    return None if found is None else found.path


# --- names ---------------------------------------------------------------------------


def test_names_match_case_insensitively():
    assert picked("my NOTE", "a.md", "Folder/My Note.md") == "Folder/My Note.md"


def test_a_note_is_named_with_or_without_md():
    assert picked("My Note.md", "a.md", "My Note.md") == "My Note.md"
    assert picked("My Note.MD", "a.md", "My Note.md") == "My Note.md"


def test_other_files_need_their_extension():
    assert picked("diagram", "a.md", "img/diagram.png") is None
    assert picked("diagram.png", "a.md", "img/diagram.png") == "img/diagram.png"


def test_a_dot_in_a_note_name_is_part_of_the_name():
    assert picked("Dr. Smith", "a.md", "People/Dr. Smith.md") == "People/Dr. Smith.md"


def test_hidden_folders_are_not_part_of_the_vault():
    assert picked("config", "a.md", ".obsidian/config.md") is None


# --- paths and Obsidian's tie-break --------------------------------------------------


def test_a_path_qualified_target_matches_the_end_of_a_vault_path():
    assert picked("Alpha/Plan", "a.md", "Projects/Alpha/Plan.md") == "Projects/Alpha/Plan.md"
    assert picked("pha/Plan", "a.md", "Projects/Alpha/Plan.md") is None


def test_the_exact_vault_path_wins():
    assert picked("Alpha/Plan", "x/a.md", "Alpha/Plan.md", "Old/Alpha/Plan.md") == "Alpha/Plan.md"


def test_then_a_file_in_the_linking_notes_folder():
    paths = ("Plan.md", "Projects/Alpha/Plan.md", "Projects/Beta/Plan.md")
    assert picked("Plan", "Projects/Beta/a.md", *paths[1:]) == "Projects/Beta/Plan.md"


def test_then_the_shortest_path():
    paths = ("Projects/Alpha/Plan.md", "Archive/Plan.md")
    assert picked("Plan", "Home.md", *paths) == "Archive/Plan.md"


def test_dot_segments_resolve_from_the_linking_note_only():
    paths = ("Projects/Plan.md", "Projects/Sub/Deep.md", "Plan.md")
    assert picked("../Plan", "Projects/Sub/Deep.md", *paths) == "Projects/Plan.md"
    assert picked("./Deep", "Projects/Sub/Deep.md", *paths) == "Projects/Sub/Deep.md"
    assert picked("./Plan", "Projects/Sub/Deep.md", *paths) is None


def test_a_target_never_climbs_out_of_the_vault():
    resolution = resolve("../../etc/passwd", "Notes/a.md", index("etc/passwd"))
    assert (resolution.file, resolution.outside) == (None, True)


def test_a_link_out_of_the_vault_never_opens_the_file(vault, run, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n")
    root = vault({"a.md": "[[../secret#Secret]] [s](../secret.md#Secret)\n"})
    result = run("check", "--select", LINK_RULES, cwd=root)
    assert sorted(messages(result.out).values()) == [
        'broken-link "../secret" points outside the vault',
        'broken-link "../secret.md" points outside the vault',
    ]


def test_an_exact_path_among_same_named_files_is_not_ambiguous(problems):
    files = {"Alpha/Plan.md": "", "Archive/Plan.md": "", "a.md": "[[Archive/Plan]] [[Plan]]\n"}
    assert list(problems(files, "ambiguous-link")) == [("a.md", 1, 18)]


def test_a_bare_name_matching_two_files_is_an_optional_warning(problems):
    files = {"Alpha/Plan.md": "", "Archive/2023/Plan.md": "", "a.md": "[[Plan|the plan]]\n"}
    assert problems(files) == {}
    assert problems(files, "ambiguous-link") == {
        ("a.md", 1, 1): 'ambiguous-link (warning) "Plan" matches 2 files (Alpha/Plan.md,'
        " Archive/2023/Plan.md); Obsidian picks Alpha/Plan.md (the shortest path); write"
        " [[Alpha/Plan|the plan]] to say which"
    }


def test_paths_that_differ_only_in_case_are_an_optional_warning(problems):
    files = {"Ideas/Idea.md": "x\n", "ideas/idea.md": "y\n"}
    assert problems(files) == {}
    message = (
        'name-collision (warning) "Ideas/Idea.md" and "ideas/idea.md" differ only in case:'
        " a macOS or Windows checkout keeps only one; rename or merge them"
    )
    assert problems(files, "name-collision") == {
        ("Ideas/Idea.md", 1, 1): message,
        ("ideas/idea.md", 1, 1): message,
    }


# --- what is a link ------------------------------------------------------------------


def test_the_alias_starts_at_the_first_pipe(problems):
    assert problems({"a.md": "[[Nope | b | c]]\n"}) == {
        ("a.md", 1, 1): 'broken-link no note named "Nope" in the vault'
    }


def test_an_escaped_pipe_in_a_table_separates_the_alias(problems):
    table = "| a | b |\n| - | - |\n| [[Plan\\|the plan]] | [[Gone\\|x]] |\n"
    assert problems({"Plan.md": "", "a.md": table}) == {
        ("a.md", 3, 24): 'broken-link no note named "Gone" in the vault'
    }


def test_an_escaped_pipe_outside_a_table_separates_the_alias_too(problems):
    note = "[[name\\|Alias]] and ![[chart.png\\|300]] and [[Gone\\|x]]\n\n- [[name\\|in a list]]\n"
    files = {"name.md": "", "chart.png": b"\x89PNG", "a.md": note}
    assert problems(files) == {
        ("a.md", 1, 45): 'broken-link no note named "Gone" in the vault'
    }


def test_sized_embeds_name_the_image_only(problems):
    files = {"img/chart.png": b"\x89PNG", "a.md": "![[chart.png|300]] ![[chart.png|640x480]]\n"}
    assert problems(files) == {}


def test_links_in_frontmatter_properties_are_links(problems):
    note = '---\nrelated: "[[Plan]]"\nup:\n  - "[[Gone]]"\n  - "[[Plan#Nope]]"\n---\nText.\n'
    assert problems({"Plan.md": "# Plan\n", "a.md": note}) == {
        ("a.md", 4, 6): 'broken-link no note named "Gone" in the vault',
        ("a.md", 5, 6): 'broken-heading no heading "Nope" in "Plan"',
    }


def test_an_unquoted_wikilink_in_yaml_is_a_nested_list_not_a_link(problems):
    assert problems({"a.md": "---\nup: [[Gone]]\n---\n"}) == {}


def test_links_inside_headings_are_links(problems):
    assert problems({"a.md": "## About [[Gone]]\n"}) == {
        ("a.md", 1, 10): 'broken-link no note named "Gone" in the vault'
    }


def test_a_link_split_across_lines_is_reported_not_skipped(problems):
    assert problems({"a.md": "Text [[Some\nnote]] more.\n"}) == {
        ("a.md", 1, 6): "broken-link link is split across lines: Obsidian only reads [[...]]"
        " on one line; join the lines"
    }


def test_markdown_links_are_url_decoded(problems):
    files = {"My Note.md": "# A heading\n", "a.md": "[x](My%20Note.md#A%20heading)\n"}
    assert problems(files) == {}


def test_markdown_links_with_a_scheme_are_not_checked(problems):
    links = "[a](https://example.com/Gone.md) [b](mailto:x@y.z) [c](obsidian://open?file=Gone)\n"
    assert problems({"a.md": links}) == {}


@pytest.mark.parametrize(
    "text",
    [
        "`[[Gone]]`\n",
        "```\n[[Gone]]\n```\n",
        "Para.\n\n    [[Gone]]\n",
        "%% [[Gone]] %%\n",
        "%%\n[[Gone]]\n%%\n",
        "<!-- [[Gone]] -->\n",
        "$[[Gone]]$\n",
        "$$\n[[Gone]]\n$$\n",
        "\\[[Gone]]\n",
        "Text[^1].\n\n[^1]: Gone\n",
    ],
    ids=["code-span", "fenced", "indented", "comment", "comment-block", "html-comment",
         "math", "math-block", "escaped", "footnote"],
)
def test_text_that_is_not_a_link_is_not_checked(problems, text):
    assert problems({"a.md": text}) == {}


def test_positions_count_in_characters_with_crlf_line_endings(problems):
    note = "---\r\ntitle: x\r\n---\r\nÄäö [[Gone]]\r\n"
    assert list(problems({"a.md": note.encode("utf-8")})) == [("a.md", 4, 5)]


# --- headings and block ids ----------------------------------------------------------


def test_headings_compare_after_obsidians_normalisation():
    assert heading_key("Q: why #1?") == heading_key("Q why 1?") == "q why 1"
    assert heading_key("Notes on [[Plan|the plan]]") == "notes on plan the plan"
    assert heading_key("a %% b ^c") == "a b c"


# Every character Obsidian's stripHeading turns into a space, one class at a time.
STRIPPED = list('!"#$%&()*+,./:;<=>?@[\\]^`{|}~')


@pytest.mark.parametrize("char", STRIPPED)
def test_each_stripped_character_compares_as_a_space(char):
    assert heading_key(f"one{char}two") == "one two"
    assert heading_key(f"one {char}{char} two{char}") == "one two"


@pytest.mark.parametrize("char", list("-_'") + ["é", "中", "1"])
def test_other_characters_are_kept(char):
    assert heading_key(f"one{char}two") == f"one{char}two".lower()
    assert heading_key(f"one{char}two") != "one two"


def test_headings_that_leave_out_punctuation_resolve(problems):
    target = "## What is the Hub?\n### `hasTag()`\n## Pain Penalty (All rolls)\n## **Bold** heading\n"
    links = (
        "[[Target#What is the Hub]] [[Target#hasTag]] [[Target#Pain Penalty All rolls]]"
        " [[Target#Bold heading]]\n"
    )
    assert problems({"Target.md": target, "Links.md": links}) == {}


@pytest.mark.parametrize("char", STRIPPED)
def test_a_link_resolves_whichever_stripped_character_its_heading_holds(problems, char):
    target = f"## One {char}two{char}\n## Three {char} four\n"
    links = "[[Target#one two]] [[Target#Three four]] [[#Other]]\n\n## Other\n"
    assert problems({"Target.md": target, "Links.md": links}) == {}


def test_the_link_may_keep_the_punctuation_too(problems):
    target = "## What is the Hub?\n## Pain Penalty (All rolls)\n"
    links = "[[Target#What is the Hub?]] [[Target#Pain Penalty (All rolls)]] [[Target#what IS the hub]]\n"
    assert problems({"Target.md": target, "Links.md": links}) == {}


def test_headings_that_really_differ_are_still_reported(problems):
    target = (
        "## What is the Hub?\n## Pain Penalty (All rolls)\n## __Bold__ heading\n"
        "## Don't panic\n## Step 1.5\n"
    )
    links = (
        "[[Target#Was ist der Hub]]\n"  # translated
        "[[Target#Pain Penalty]]\n"  # renamed (shortened)
        "[[Target#Bold heading]]\n"  # "_" is not stripped
        "[[Target#Dont panic]]\n"  # neither is "'"
        "[[Target#Step 15]]\n"  # a stripped "." leaves a space, it does not join
    )
    found = problems({"Target.md": target, "Links.md": links})
    assert sorted(found) == [("Links.md", line, 1) for line in range(1, 6)]
    assert all(message.startswith("broken-heading ") for message in found.values())


def test_headings_match_at_any_level_case_insensitively(problems):
    files = {"Plan.md": "###### Deep Heading\n", "a.md": "[[Plan#deep heading]]\n"}
    assert problems(files) == {}


def test_a_nested_heading_must_be_inside_the_section_of_its_parent():
    headings = [(1, "a"), (2, "b"), (1, "c"), (2, "d"), (3, "e")]
    assert find_heading(headings, ["a", "b"])
    assert find_heading(headings, ["c", "e"])
    assert find_heading(headings, ["c", "d", "e"])
    assert not find_heading(headings, ["a", "d"])
    assert not find_heading(headings, ["b", "a"])
    assert not find_heading(headings, ["d", "c"])


def test_a_nested_heading_may_follow_any_heading_of_that_name():
    headings = [(2, "x"), (2, "notes"), (3, "other"), (2, "y"), (2, "notes"), (3, "target")]
    assert find_heading(headings, ["notes", "target"])


def test_a_missing_heading_suggests_the_closest(problems):
    files = {
        "Plan.md": "## Taking Responsibility vs. Blame\n",
        "a.md": "[[Plan#Taking Responsibilty vs. Blame]]\n",
    }
    assert problems(files) == {
        ("a.md", 1, 1): 'broken-heading no heading "Taking Responsibilty vs. Blame" in "Plan";'
        " did you mean [[Plan#Taking Responsibility vs. Blame]]?"
    }


def test_block_ids_end_a_paragraph_or_list_item_or_stand_after_a_block(problems):
    plan = "Para. ^para\n\n- item ^item\n\n> quote\n\n^quote\n\n| a |\n| - |\n| 1 |\n\n^table\n"
    links = "[[Plan#^para]] [[Plan#^item]] [[Plan#^quote]] [[Plan#^table]] [[Plan#^nope]]\n"
    assert problems({"Plan.md": plan, "a.md": links}) == {
        ("a.md", 1, 63): 'broken-block-ref no block "^nope" in "Plan": end the paragraph meant'
        ' with " ^nope" to create it'
    }


def test_a_block_id_in_code_is_no_block_id(problems):
    files = {"Plan.md": "```\nText ^hidden\n```\n", "a.md": "[[Plan#^hidden]]\n"}
    assert list(problems(files)) == [("a.md", 1, 1)]


def test_links_to_the_same_note(problems):
    note = "# Top\nPara. ^here\n\n[[#Top]] [[#^here]] [[#Bottom]]\n"
    assert problems({"a.md": note}) == {
        ("a.md", 4, 21): 'broken-heading no heading "Bottom" in this note'
    }


def test_an_attachment_subpath_is_not_a_heading(problems):
    files = {"doc.pdf": b"%PDF", "a.md": "![[doc.pdf#page=3]] [[doc.pdf#height=400]]\n"}
    assert problems(files) == {}


def test_a_missing_attachment_is_its_own_rule(problems):
    assert problems({"a.md": "![[chart.png]] [r](files/report.pdf)\n"}) == {
        ("a.md", 1, 1): 'missing-attachment no file named "chart.png" in the vault',
        ("a.md", 1, 16): 'missing-attachment no file at "files/report.pdf" in the vault',
    }


def test_an_alias_is_not_a_link_target_and_the_message_says_whose_it_is(problems):
    files = {"People/Ada.md": "---\naliases: [Countess]\n---\n", "a.md": "[[countess]]\n"}
    assert problems(files) == {
        ("a.md", 1, 1): 'broken-link no note named "countess" in the vault: "countess" is an'
        " alias of People/Ada; link as [[Ada|countess]]"
    }


def test_a_near_name_is_suggested(problems):
    files = {"understanding_anxiety.md": "", "a.md": "[[understanding_anxeity]]\n"}
    assert problems(files) == {
        ("a.md", 1, 1): 'broken-link no note named "understanding_anxeity" in the vault;'
        " did you mean [[understanding_anxiety]]?"
    }


@pytest.mark.slow
def test_a_line_of_opening_brackets_takes_linear_time(problems):
    assert problems({"a.md": "[[" * 400_000 + "\n"}) == {}
