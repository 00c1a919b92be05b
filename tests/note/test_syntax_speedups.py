"""marko's routines that vaultcheck replaces by faster ones give marko's answers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vaultcheck.note.syntax import speedups

PIECES = st.sampled_from([
    "a", "b c", " ", "   ", "\t", "\n", "\u00a0", "|", "\\|", "\\", "`", "``", "`x`", "[", "]",
    "![", "](u)", "](", ")", "(", "*", "**", "_", "__", "[a]", "![i](j)", "[t](u 'x')", "!",
    "[[w]]", "$", "<a>", "&amp;",
])
TEXTS = st.lists(PIECES, max_size=24).map("".join)


def _found(matches):
    return [(match.etype, match.start(), match.end()) for match in matches]


@settings(max_examples=1000, deadline=None)
@given(TEXTS)
def test_links_and_emphasis_are_found_as_marko_finds_them(text):
    assert _found(speedups.find_links_or_emphs(text, {})) == _found(
        speedups.MARKO_FIND_LINKS_OR_EMPHS(text, {})
    )


@settings(max_examples=1000, deadline=None)
@given(TEXTS)
def test_table_cells_split_where_marko_splits_them(text):
    ours, marko = speedups.TABLE_SPLITTER, speedups.MARKO_TABLE_SPLITTER
    assert [m.span() for m in ours.finditer(text)] == [m.span() for m in marko.finditer(text)]
    assert [m.span() for m in [ours.search(text)] if m] == [
        m.span() for m in [marko.search(text)] if m
    ]


def test_marko_uses_them():
    from marko import inline_parser
    from marko.ext.gfm import elements

    assert inline_parser.find_links_or_emphs is speedups.find_links_or_emphs
    assert elements.TableRow.splitter is speedups.TABLE_SPLITTER
