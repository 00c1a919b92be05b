"""Two of marko's own routines, replaced by ones that give the same answers faster.

marko is the parser of record; these change how fast it answers, never what. Both are
installed on marko's module and class when this module is imported (by
:mod:`vaultcheck.note.syntax.extensions`), since marko's callers name them directly.

* **Table cells.** marko splits a row with ``\\s*(?<!\\\\)\\|\\s*``, which tries every
  start inside a run of spaces and scans the run from each: a line of 20,000 spaces
  took seconds, on every paragraph line marko tries as a table row. The same matches,
  starting only where a run of whitespace starts (or at the pipe itself), cost one
  scan of the line.
* **Links and emphasis.** marko's search for link brackets and emphasis delimiters
  steps through its text one character at a time, trying two regexes at each: about a
  microsecond per character of a long paragraph or table row. It only ever acts on
  ``\\``, `````, ``]``, ``!``, ``[``, ``*`` and ``_``, so :func:`find_links_or_emphs`
  skips from one of those to the next.
"""

from __future__ import annotations

import re

from marko import inline_parser
from marko.ext.gfm import elements as gfm
from marko.inline_parser import Delimiter, MatchObj, look_for_image_or_link, process_emphasis

_TABLE_SPLITTER = re.compile(r"(?:(?<!\s)|(?=\|))\s*(?<!\\)\|\s*")
_DELIMITER = re.compile(r"(?:!?\[|\*+|_+)")
_CODE = re.compile(r"(?<!`)(`+)(?!`)([\s\S]+?)(?<!`)\1(?!`)")
#: The characters marko's search acts on; at any other it only moves on.
_ACTED_ON = re.compile(r"[\\`\]!\[*_]")


def find_links_or_emphs(text: str, link_ref_defs: dict[str, tuple[str, str]]) -> list[MatchObj]:
    """marko's ``inline_parser.find_links_or_emphs`` (2.2), skipping the characters it
    does nothing at."""
    index = 0
    delimiters: list[Delimiter] = []
    escape = False
    matches: list[MatchObj] = []
    length = len(text)
    while index < length:
        if escape:
            escape = False
            index += 1
        elif text[index] == "\\":
            escape = True
            index += 1
        elif (code := _CODE.match(text, index)) is not None:
            index = code.end()
        elif text[index] == "]":
            node = look_for_image_or_link(text, delimiters, index, link_ref_defs, matches)
            if node:
                index = node.end()
                matches.append(node)
            else:
                index += 1
        elif (delimiter := _DELIMITER.match(text, index)) is not None:
            delimiters.append(Delimiter(delimiter, text))
            index = delimiter.end()
        else:
            following = _ACTED_ON.search(text, index + 1)
            index = length if following is None else following.start()
    process_emphasis(text, delimiters, None, matches)
    return matches


#: marko's originals, which the tests hold these to.
MARKO_TABLE_SPLITTER: re.Pattern[str] = gfm.TableRow.splitter
MARKO_FIND_LINKS_OR_EMPHS = inline_parser.find_links_or_emphs
TABLE_SPLITTER = _TABLE_SPLITTER

gfm.TableRow.splitter = _TABLE_SPLITTER
inline_parser.find_links_or_emphs = find_links_or_emphs
