"""Parsing takes linear time on every family of pathological Markdown.

Each test parses a note of one family at two sizes, four times apart, and compares the
CPU time both took (the best of a few runs, so that a busy machine cannot make the
small one look cheap): linear work grows about 4 times, quadratic work 16 times. No
assertion depends on how fast the machine is. Both what production runs
(:func:`parse_syntax`, regexes and marko regions) and marko's parse of the whole note
(the worst a region can cost) are measured.

The default tests compare 20 kB with 80 kB, every text of each family; the ``slow`` ones
2 MB with 8 MB, the first text of each family, as production parses it.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from vaultcheck.note.syntax import parse_syntax, parse_with_marko
from vaultcheck.note.syntax.limits import COSTLY_INLINE


def _backtick_runs(size: int) -> str:
    """Runs of 1, 2, 3... backticks, none closed: each opener scans for its closer."""
    runs, length, total = [], 1, 0
    while total < size:
        runs.append("`" * length + "a")
        total += length + 1
        length += 1
    return "".join(runs)


#: family -> builders of a note of about ``size`` characters.
FAMILIES: dict[str, list[Callable[[int], str]]] = {
    "spaces with code spans": [
        lambda size: "a" + " " * size + "`x`\n",
        lambda size: "`x`" + " " * size + "`y` [[a]] `z`\n",
        lambda size: "- a" + " " * size + "`x` $y$\n",
    ],
    "table rows": [
        lambda size: "| a" + " " * size + "`x` |\n|---|\n| b" + " " * size + "`y` |\n",
        lambda size: "| a | b |\n|---|---|\n" + "| `c` [[d]] | e |\n" * (size // 17),
        lambda size: "| a " * (size // 8) + "|\n" + "|---" * (size // 8) + "|\n",
    ],
    "backticks": [
        lambda size: "`" * size + "\n",
        lambda size: "`a " * (size // 3) + "\n",
        _backtick_runs,
    ],
    "brackets": [
        lambda size: "[" * (size // 2) + "]" * (size // 2) + "\n",
        lambda size: "[a](" * (size // 4) + "\n",
        lambda size: "[[a " * (size // 4) + "\n",
        lambda size: "![" * (size // 4) + "]" * (size // 2) + "\n",
    ],
    "emphasis": [
        lambda size: "*a " * (size // 3) + "\n",
        lambda size: "_a_ b__" * (size // 7) + "\n",
        lambda size: "*" * (size // 2) + "a" + "*" * (size // 2) + "\n",
        lambda size: "[[a]] *b " * (size // 9) + "\n",
    ],
    "nested quotes and lists": [
        lambda size: "".join(">" * (k % 40) + " x\n" for k in range(size // 22)),
        lambda size: "".join("  " * (k % 20) + "- `x`\n" for k in range(size // 26)),
        lambda size: "> " * (size // 2) + "x\n",
        lambda size: "- " * (size // 2) + "x\n",
    ],
    "dollars": [
        lambda size: "$a " * (size // 3) + "\n",
        lambda size: "a $" + " " * size + "b\n",
        lambda size: "$" * size + "\n",
        lambda size: "$a$ [[b]] " * (size // 10) + "\n",
    ],
    "angle brackets": [
        lambda size: "<" * size + "\n",
        lambda size: "<a " * (size // 3) + "\n",
        lambda size: "<a" + " " * size + "\n",
        lambda size: "a <!--" + " -" * (size // 2) + "\n",
    ],
    "very long lines": [
        lambda size: "word [[a]] `c` $d$ [00:01] " * (size // 27) + "\n",
        lambda size: "# a" + " " * size + "`x`\n",
        lambda size: "\\" * size + "`x`\n",
        lambda size: "a %%" + " " * size + "\n",
    ],
}


def _both(text: str) -> None:
    parse_syntax(text, 0)
    parse_with_marko(text, 0)


def _production(text: str) -> None:
    parse_syntax(text, 0)


def _cpu(work: Callable[[str], None], text: str, runs: int) -> float:
    """The least CPU time of ``runs`` parses of ``text``."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        start = time.process_time()
        work(text)
        best = min(best, time.process_time() - start)
    return best


def _growth(
    build: Callable[[int], str], size: int, runs: int, work: Callable[[str], None] = _both
) -> float:
    """How many times more CPU four times the input takes."""
    small = build(size)
    work(small)  # warm up: parser classes, regex caches
    return _cpu(work, build(4 * size), runs) / max(_cpu(work, small, runs), 1e-3)


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
def test_four_times_the_text_is_about_four_times_the_work(family):
    for build in FAMILIES[family]:
        growth = _growth(build, 20_000, 3)
        assert growth < 8, f"{family}: {build(20)!r}... grew {growth:.1f} times for 4x the text"


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
def test_linear_up_to_8_mb(family):
    """The first text of each family, as production parses it, from 2 MB to 8 MB."""
    build = FAMILIES[family][0]
    growth = _growth(build, 2_000_000, 1, _production)
    assert growth < 8, f"{family}: {build(20)!r}... grew {growth:.1f} times for 4x the text"


def test_emphasis_too_dense_to_match_in_linear_time_is_reported():
    text = "An escape \\_ sends the paragraph to marko: " + "_a_ b__" * 20_000 + " [[kept]]\n"
    syntax = parse_syntax(text, 0)
    assert [link.target for link in syntax.links] == ["kept"]
    assert [place.reason for place in syntax.simplified] == [COSTLY_INLINE]
    assert syntax == parse_with_marko(text, 0)
