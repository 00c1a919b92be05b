"""Text from a vault made safe to print: the one place every output escapes it.

File names, link targets, frontmatter values and the messages quoting them come from
whoever wrote the vault, a stranger's pull request included. Printed raw, a control
character in them could move the terminal's cursor (``\\033[1A``), break a line so
that a forged line follows, or, in a GitHub Actions log, start a workflow command
(``::error ...`` or ``::stop-commands::`` at the start of a line, ``##[...]``
anywhere in one) that forges annotations or silences the real ones.

:func:`printable` escapes such text as ``git`` quotes paths: ``\\n``, ``\\t``, ``\\r``
and the like by name, every other control character, line or paragraph separator and
bidirectional override as the octal of its UTF-8 bytes (``\\033``), and a byte that
was not UTF-8 (kept by ``surrogateescape``) as its own octal (``\\377``). It also
escapes the ``[`` of ``##[`` and the first ``:`` of a text that starts with ``::``, so
no line vaultcheck prints can carry a workflow command but its own annotations.
:func:`json_text` does the same to serialised JSON with JSON's own escapes, so the
data a script reads back is unchanged. :func:`quote_path` quotes a path for a patch
header as git does.
"""

from __future__ import annotations

import re

_NAMED = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r"}

#: Beyond the C0 controls (which ``json`` escapes itself): DEL and C1 controls, line
#: and paragraph separators, the bidirectional marks, embeddings, overrides and
#: isolates, and lone surrogates.
_UNSAFE_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_CHARACTERS = "\x00-\x1f" + _UNSAFE_BEYOND_C0
_UNSAFE = re.compile(f"[{_UNSAFE_CHARACTERS}]|##\\[|^\\s*::")
_JSON_UNSAFE = re.compile(f"[{_UNSAFE_BEYOND_C0}]|##\\[")
_PATH_UNSAFE = re.compile(f'[{_UNSAFE_CHARACTERS}"\\\\]|##\\[')


def _octal(character: str) -> str:
    data = character.encode("utf-8", "surrogateescape")
    return "".join(f"\\{byte:03o}" for byte in data)


def _escape(match: re.Match[str]) -> str:
    found = match.group()
    if found == "##[":
        return "##\\133"
    if found.endswith("::"):  # a workflow command at the start of the text
        return found[:-2] + "\\072:"
    if found in '"\\':
        return "\\" + found
    return _NAMED.get(found) or _octal(found)


def printable(text: str) -> str:
    """``text`` with nothing a terminal or a CI log would act on (see the module's doc).

    >>> print(printable("a\\nb\\033[2K ##[error] x.md"))
    a\\nb\\033[2K ##\\133error] x.md
    """
    if text.isprintable() and "##[" not in text and not text.lstrip().startswith("::"):
        return text
    return _UNSAFE.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    found = match.group()
    if found == "##[":
        return "##\\u005b"
    units = found.encode("utf-16-le", "surrogatepass")
    return "".join(f"\\u{int.from_bytes(units[i : i + 2], 'little'):04x}" for i in range(0, len(units), 2))


def json_text(serialised: str) -> str:
    """Serialised JSON with the characters :func:`printable` escapes written as JSON
    escapes (``\\u009b``, ``##\\u005b``): the same data, nothing a terminal or a CI log
    acts on. (``json.dumps`` already escapes the C0 controls.)"""
    return _JSON_UNSAFE.sub(_json_escape, serialised)


def quote_path(path: str) -> str:
    """A path as git writes it in a patch header: as it is, or in double quotes with
    ``"``, ``\\`` and control characters escaped when it holds any (also the
    characters :func:`printable` escapes, and the ``[`` of ``##[``; ``patch`` and
    ``git apply`` read every such escape back to the same name).

    >>> print(quote_path("a/x\\ty.md"))
    "a/x\\ty.md"
    """
    if _PATH_UNSAFE.search(path) is None:
        return path
    return '"' + _PATH_UNSAFE.sub(_escape, path) + '"'
