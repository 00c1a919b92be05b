"""A vault with every form of link the issue lists, and every trap: exactly the broken links
are reported, each with its rule, at the line and column of its ``[[`` (``!`` or ``[``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from linkvault import locate, messages, reported

PLAN = """\
# Plan
## Goals
The first goal. ^goal-1
### Milestones
- step one ^step-1
## Risks
Nothing yet.
"""

ADA = """\
---
aliases: [Countess, Enchantress of Numbers]
---
# Ada Lovelace
## Q: why #1?
## Notes on [[Plan]]
> A quote worth keeping.

^quote-id

| year | event |
| ---- | ----- |
| 1843 | notes |

^table-id
"""

HOME = """\
---
title: Home
related: "[[Plan]]"
see-also:
  - "[[Ada Lovelace#Q why 1?]]"
  - "[[No such property target]]"
---
# Home of [[Plan]] and [[Missing from heading]]

Case and suffix: [[plan]] [[PLAN]] [[Plan.md]] [[plan.MD]] [[My Note]] [[my note|shown]]
Paths: [[Projects/Plan]] [[projects/plan.md]] [[Sub/Plan]] [[Projects/Nope]] [[Dr. Smith]]
Aliases: [[Plan|the plan]] [[Plan | b | c]] [[Nowhere | b | c]] [[Countess]]
Headings: [[Plan#Goals]] [[Plan#goals]] [[Plan#Goals#Milestones]] [[Ada Lovelace#Q why 1?]]
More headings: [[Ada Lovelace#Notes on Plan]] [[Plan#Nonexistent]] [[Plan#Risks#Milestones]]
Blocks: [[Plan#^goal-1]] [[Plan#^step-1]] [[Ada Lovelace#^quote-id]] [[Ada Lovelace#^table-id]]
Bad blocks: [[Plan#^nope]] [[#^missing-local]] [[Plan#^not an id]]
Local: [[#Local heading]] [[#^local-id]] [[#Missing local]] [local](#Local%20heading)
Embeds: ![[Plan]] ![[Plan#Goals]] ![[Plan#^goal-1]] ![[Plan#Nope]] ![[diagram.png]]
Sized: ![[diagram.png|300]] ![[diagram.png|640x480]] ![[Report 2024.pdf#page=3]] ![[missing.png]]
Files: [[Report 2024.pdf]] [[Board.canvas]] [[notes.pdf]] ![[diagram]]
Markdown: [p](Projects/Plan.md) [p](Plan.md) [g](Projects/Plan.md#Goals) [m](My%20Note.md)
More Markdown: [m](<My Note.md>) [d](Dr.%20Smith.md) ![](attachments/diagram.png) [n](Plan)
Broken Markdown: [x](Missing%20Note.md) ![](attachments/nothing.png) [h](Plan.md#No%20Such)
Relative: [r](./Projects/Plan.md) [r](./Plan.md) [up](../Plan.md)
External: [w](https://example.com/x.md) [m](mailto:ada@example.com) [o](obsidian://open?vault=x)
Web as link: [[https://example.com/page]] [[www.example.com]] [site](www.example.com)
Outside: [[../../etc/passwd]] [o](../../etc/passwd) [[/etc/passwd]]
Near: [[Plna]]

> [!note] A callout with [[Plan]] and [[Callout missing]]

- [ ] a task about [[Task missing]]
- a list item with ![[Plan#Goals]]

| Topic | Link |
| ----- | ---- |
| plan | [[Plan\\|the plan]] |
| gone | [[Missing row\\|x]] |
| size | ![[diagram.png\\|100]] |

## Local heading
A local paragraph. ^local-id

Not links: `[[in code]]` %% [[in comment]] %% <!-- [[html comment]] --> $[[math]]$ \\[[escaped]]
Footnote[^1] and [^ref].

[^1]: Nowhere
[^ref]: Elsewhere

    [[indented code]]

```markdown
[[fenced code]] ![[fenced.png]]
```

%%
[[comment block]]
%%

<!--
[[html comment block]]
-->

$$
[[math block]]
$$

A [[split
link]] ends here.
"""

DEEP = """\
# Deep
[up](../Plan.md) [[../Plan]] [[./Deep]] [[../../Plan]] [same](Deep.md) [[../Sub/Deep]]
[[../../../outside]] [far](../../../x.md)
"""

FILES: dict[str, str | bytes] = {
    "Home.md": HOME,
    "Projects/Plan.md": PLAN,
    "People/Ada Lovelace.md": ADA,
    "My Note.md": "# My Note\n",
    "Dr. Smith.md": "# Dr. Smith\n",
    "Projects/Sub/Deep.md": DEEP,
    "attachments/diagram.png": b"\x89PNG\r\n",
    "attachments/Report 2024.pdf": b"%PDF-1.7\n",
    "Board.canvas": '{"nodes": [], "edges": []}\n',
}

#: The broken links of HOME: (link as written, rule).
BROKEN_IN_HOME = [
    ("[[No such property target]]", "broken-link"),
    ("[[Missing from heading]]", "broken-link"),
    ("[[Sub/Plan]]", "broken-link"),
    ("[[Projects/Nope]]", "broken-link"),
    ("[[Nowhere | b | c]]", "broken-link"),
    ("[[Countess]]", "broken-link"),
    ("[[Plan#Nonexistent]]", "broken-heading"),
    ("[[Plan#Risks#Milestones]]", "broken-heading"),
    ("[[Plan#^nope]]", "broken-block-ref"),
    ("[[#^missing-local]]", "broken-block-ref"),
    ("[[Plan#^not an id]]", "broken-block-ref"),
    ("[[#Missing local]]", "broken-heading"),
    ("![[Plan#Nope]]", "broken-heading"),
    ("![[missing.png]]", "missing-attachment"),
    ("[[notes.pdf]]", "missing-attachment"),
    ("![[diagram]]", "broken-link"),
    ("[x](Missing%20Note.md)", "broken-link"),
    ("![](attachments/nothing.png)", "missing-attachment"),
    ("[h](Plan.md#No%20Such)", "broken-heading"),
    ("[r](./Plan.md)", "broken-link"),
    ("[up](../Plan.md)", "broken-link"),
    ("[[https://example.com/page]]", "broken-link"),
    ("[[www.example.com]]", "broken-link"),
    ("[site](www.example.com)", "broken-link"),
    ("[[../../etc/passwd]]", "broken-link"),
    ("[o](../../etc/passwd)", "broken-link"),
    ("[[/etc/passwd]]", "broken-link"),
    ("[[Plna]]", "broken-link"),
    ("[[Callout missing]]", "broken-link"),
    ("[[Task missing]]", "broken-link"),
    ("[[Missing row\\|x]]", "broken-link"),
    ("[[split", "broken-link"),
]

BROKEN_IN_DEEP = [
    ("[[../../Plan]]", "broken-link"),
    ("[[../../../outside]]", "broken-link"),
    ("[far](../../../x.md)", "broken-link"),
]

LINK_RULES = "broken-link,broken-heading,broken-block-ref,missing-attachment"


@pytest.fixture
def every_form(vault):
    return vault(FILES)


def expected() -> list[tuple[str, int, int, str]]:
    found = [("Home.md", *locate(HOME, needle), rule) for needle, rule in BROKEN_IN_HOME]
    found += [
        ("Projects/Sub/Deep.md", *locate(DEEP, needle), rule) for needle, rule in BROKEN_IN_DEEP
    ]
    return sorted(found)


def test_exactly_the_broken_links_are_reported(every_form, run):
    result = run("check", "--select", LINK_RULES, cwd=every_form)
    assert sorted(reported(result.out)) == expected()
    assert result.code == 1


def test_the_whole_vault_run_by_default_reports_the_same(every_form, run):
    links = run("check", "--select", LINK_RULES, cwd=every_form)
    everything = run("check", cwd=every_form)
    link_problems = [item for item in reported(everything.out) if item[3] in LINK_RULES]
    assert link_problems == reported(links.out)


def test_positions_are_those_of_the_opening_bracket_or_bang(every_form, run):
    result = run("check", "--select", LINK_RULES, cwd=every_form)
    found = messages(result.out)
    # Golden positions, counted by hand: frontmatter lines count, columns are 1-based.
    assert found[("Home.md", 6, 6)].startswith("broken-link")  # '  - "[[No such property'
    assert found[("Home.md", 8, 24)].startswith("broken-link")  # '# Home of [[Plan]] and [[Mi'
    assert found[("Home.md", 20, 59)].startswith("broken-link")  # 'Files: ... ![[diagram]]'
    assert ("Home.md", 20, 60) not in found


def test_messages_say_what_is_wrong_and_how_to_fix_it(every_form, run):
    result = run("check", "--select", LINK_RULES, cwd=every_form)
    said = {
        needle: messages(result.out)[("Home.md", *locate(HOME, needle))]
        for needle in ("[[Countess]]", "[[Plna]]", "[[Plan#Nonexistent]]",
                       "[[Plan#Risks#Milestones]]", "[[Plan#^nope]]", "[[Plan#^not an id]]",
                       "[[https://example.com/page]]", "[site](www.example.com)",
                       "[[../../etc/passwd]]", "[[split", "![[diagram]]", "[[Missing row\\|x]]")
    }
    assert said == {
        "[[Countess]]": 'broken-link no note named "Countess" in the vault: "Countess" is an'
        " alias of People/Ada Lovelace; link as [[Ada Lovelace|Countess]]",
        "[[Plna]]": 'broken-link no note named "Plna" in the vault; did you mean [[Plan]]?',
        "[[Plan#Nonexistent]]": 'broken-heading no heading "Nonexistent" in "Plan"',
        "[[Plan#Risks#Milestones]]": 'broken-heading no heading "Risks#Milestones" in "Plan":'
        ' "Milestones" is not below "Risks" there',
        "[[Plan#^nope]]": 'broken-block-ref no block "^nope" in "Plan": end the paragraph'
        ' meant with " ^nope" to create it',
        "[[Plan#^not an id]]": 'broken-block-ref "^not an id" is not a block id: ids are'
        " Latin letters, digits and dashes",
        "[[https://example.com/page]]": 'broken-link "https://example.com/page" is a web'
        " address, not a note: write it as a Markdown link, [label](https://example.com/page)",
        "[site](www.example.com)": 'broken-link "www.example.com" is a web address without a'
        " scheme, read as a file: write [site](https://www.example.com)",
        "[[../../etc/passwd]]": 'broken-link "../../etc/passwd" points outside the vault',
        "[[split": "broken-link link is split across lines: Obsidian only reads [[...]] on one"
        " line; join the lines",
        "![[diagram]]": 'broken-link no note named "diagram" in the vault; did you mean'
        " ![[diagram.png]]? Files other than notes need their extension",
        "[[Missing row\\|x]]": 'broken-link no note named "Missing row" in the vault',
    }


def test_the_optional_warnings_stay_off_unless_selected(vault, run):
    root = vault({**FILES, "Archive/Plan.md": PLAN, "projects/sub/deep.md": "# twin\n"})
    default = run("check", cwd=root)
    optional = ("ambiguous-link", "name-collision")
    assert not [item for item in reported(default.out) if item[3] in optional]
    chosen = run("check", "--select", "ambiguous-link,name-collision", cwd=root)
    rules = {item[3] for item in reported(chosen.out)}
    assert rules == {"ambiguous-link", "name-collision"}
    assert chosen.code == 0  # warnings do not fail the run


def test_excerpts_of_many_broken_links_in_one_note_take_linear_time():
    """Each link problem gets its excerpt from the note's links: a note with 4x the
    broken links takes about 4x the work, not 16x (a search of every link per problem)."""
    import time

    from vaultcheck.core.positions import LineIndex
    from vaultcheck.core.problem import Problem
    from vaultcheck.links.source import LinkSource
    from vaultcheck.note.note import Note

    def seconds(count: int) -> float:
        text = "".join(f"[[missing note {number}]]\n" for number in range(count))
        note = Note.from_bytes(Path("/vault/a.md"), "a.md", text.encode())
        links = note.syntax.links
        source = LinkSource(note.path, note.rel, links, (), LineIndex(text))
        problems = [
            Problem(note.path, *source.position(link.start), *source.position(link.end), "broken-link", "m")
            for link in links
        ]
        started = time.process_time()
        excerpts = [source.excerpt_of(problem) for problem in problems]
        assert excerpts[-1] == f"[[missing note {count - 1}]]"
        return time.process_time() - started

    small, large = min(seconds(2000) for _ in range(3)), min(seconds(8000) for _ in range(3))
    assert large / small < 8, f"2000 links: {small:.3f} s, 8000 links: {large:.3f} s"
