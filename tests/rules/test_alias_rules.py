"""What the aliases rules report (without ``--fix``): where, and in which words.

alias-format is on by default; redundant-alias and alias-property report only when
switched on in ``[tool.vaultcheck.aliases]`` (here the top level of .vaultcheck.toml).
"""

from __future__ import annotations

import json

import pytest
from test_fix_golden import CASES, UNCHANGED

from vaultcheck.rules.registry import FAMILIES, RULES

SWITCHED_ON = "[aliases]\nredundant-alias = true\nalias-property = true\n"


def test_the_aliases_family_is_the_three_rules():
    assert FAMILIES["aliases"] == ("alias-format", "redundant-alias", "alias-property")
    assert all(RULES[name].enabled_by_default for name in FAMILIES["aliases"])


def test_alias_format_report(vault, run):
    root = vault({"tables.md": (CASES / "input" / "tables.md").read_bytes()})
    result = run("check", "--select", "aliases", root, cwd=root)
    assert result.code == 1
    assert result.out == (
        "tables.md:5:10: alias-format space around the alias pipe and a bare '|' in a table"
        " row ends the cell: Obsidian writes [[understanding_adhd_and_its_impact_on_daily_life"
        "\\|ADHD]]\n"
        "tables.md:6:13: alias-format space inside the brackets and space around the alias"
        " pipe: Obsidian writes [[understanding_burnout\\|burnout]]\n"
        "tables.md:9:15: alias-format space around the alias pipe and a bare '|' in a table"
        " row ends the cell: Obsidian writes [[a_note\\|one \\| two]]\n"
        "tables.md:11:18: alias-format space around the alias pipe: Obsidian writes"
        " [[a_note|one | two]]\n"
        "\n"
        "4 problems in 1 of 1 note (4 fixable with --fix):\n"
        "       4  alias-format\n"
    )


@pytest.mark.parametrize("name", UNCHANGED)
def test_nothing_is_reported_in_notes_with_nothing_to_fix(vault, run, name):
    root = vault({name: (CASES / "input" / name).read_bytes()})
    result = run("check", "--select", "aliases", root, cwd=root)
    assert (result.code, result.out) == (0, "1 note checked, no problems.\n")


def test_a_long_link_is_shortened_in_the_message(vault, run):
    target = "the_concept_and_definition_of_self_control_in_psychology_and_everyday_life"
    root = vault({"a.md": f"[[{target} | self-control]]\n"})
    result = run("check", "--select", "alias-format", "--format", "json", root, cwd=root)
    [record] = json.loads(result.out)
    shown = record["message"].split("Obsidian writes ")[1]
    assert (len(shown), shown) == (80, f"[[{target}|self-control]]"[:77] + "...")


def test_redundant_alias_and_alias_property_are_off_by_default(vault, run):
    root = vault({"a.md": "---\nalias: Drive\n---\n\n[[motivation|motivation]]\n"})
    result = run("check", "--select", "aliases", root, cwd=root)
    assert (result.code, result.out) == (0, "1 note checked, no problems.\n")


def test_redundant_alias_report(vault, run):
    root = vault({
        ".vaultcheck.toml": SWITCHED_ON,
        "a.md": "Dopamine drives [[motivation|motivation]], not [[motivation|Motivation]],\n"
                "[[motivation#Drive|motivation#Drive]] or ![[motivation.png|motivation.png]].\n",
    })
    result = run("check", "--select", "redundant-alias", root, cwd=root)
    assert result.out.splitlines()[0] == (
        "a.md:1:17: redundant-alias the alias repeats the target: [[motivation]] shows the same"
    )
    assert result.out.count("redundant-alias") == 2  # the problem and the summary row


def test_alias_property_report(vault, run):
    root = vault({
        ".vaultcheck.toml": SWITCHED_ON,
        "a.md": "---\ntitle: Motivation\nalias: Drive\naliases: [Drive, Motivation, Motivation]\n"
                "---\n",
        "b.md": "---\naliases: Motivation\n---\n",
    })
    result = run("check", "--select", "alias-property", root, cwd=root)
    assert result.out.splitlines()[:3] == [
        (
            "a.md:3:1: alias-property Obsidian reads other names from 'aliases', not 'alias':"
            " merge it into 'aliases'"
        ),
        "a.md:4:30: alias-property 'Motivation' is listed twice in 'aliases'",
        "b.md:2:1: alias-property 'aliases' is a single string; Obsidian writes a list",
    ]
