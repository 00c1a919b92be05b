"""One note, read and parsed once, shared by every rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from vaultcheck.core.positions import LineIndex, excerpt
from vaultcheck.core.reading import DEFAULT_MAX_FILE_SIZE, read_problem, read_regular

if TYPE_CHECKING:
    from vaultcheck.core.problem import Problem
    from vaultcheck.note.frontmatter import Frontmatter
    from vaultcheck.note.syntax import NoteSyntax

UTF8_BOM = b"\xef\xbb\xbf"
#: How a file name byte that is not UTF-8 reads once decoded (``os.fsdecode``).
_UNDECODED_BYTE = re.compile("[\udc80-\udcff]")


class UnreadableNote(Exception):
    """The bytes of a note are not text we can check (invalid UTF-8, NUL bytes, I/O error)."""

    def __init__(self, reason: str, line: int = 1, column: int = 1) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


def _first_bad_byte(raw: bytes, index: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of ``raw[index]``, for an undecodable byte."""
    line_start = raw.rfind(b"\n", 0, index) + 1
    return raw.count(b"\n", 0, index) + 1, index - line_start + 1


def decode_note(raw: bytes) -> tuple[str, bool]:
    """Decode a note's bytes as UTF-8, returning the text without BOM and whether a BOM was there.

    Raises :class:`UnreadableNote` pointing at the first byte that is not text.
    """
    bom = raw.startswith(UTF8_BOM)
    body = raw[len(UTF8_BOM) :] if bom else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _first_bad_byte(raw, error.start + (len(UTF8_BOM) if bom else 0))
        raise UnreadableNote(
            f"not valid UTF-8 (byte 0x{body[error.start]:02x})", line, column
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line, column = LineIndex(text).position(nul)
        raise UnreadableNote("contains a NUL byte: binary data, not a note", line, column)
    return text, bom


def bad_name(rel: str) -> str | None:
    """Why a vault path is no name for a note: a byte that is not UTF-8 (read from disk
    as a lone surrogate), or None when it is fine."""
    found = _UNDECODED_BYTE.search(rel)
    if found is None:
        return None
    return f"file name is not UTF-8 (byte 0x{ord(found.group()) - 0xDC00:02x})"


@dataclass
class Note:
    """A Markdown note: its path, its bytes and the text decoded from them.

    A note whose bytes are not text has ``error`` set and an empty ``text``; only the
    ``unreadable-file`` rule looks at such a note.

    ``text`` keeps the file's own line endings and excludes a leading BOM, so offsets
    into it map straight back to the file. Frontmatter and Markdown syntax are parsed
    lazily, once, the first time a rule asks for them.
    """

    path: Path
    rel: str
    raw: bytes
    text: str
    bom: bool
    error: UnreadableNote | None = None

    @classmethod
    def from_bytes(cls, path: Path, rel: str, raw: bytes) -> Note:
        """A note from its bytes; undecodable bytes give an empty note carrying the error."""
        try:
            text, bom = decode_note(raw)
        except UnreadableNote as error:
            return cls(path=path, rel=rel, raw=raw, text="", bom=False, error=error)
        return cls(path=path, rel=rel, raw=raw, text=text, bom=bom)

    @classmethod
    def read(cls, path: Path, rel: str, limit: int = DEFAULT_MAX_FILE_SIZE) -> Note:
        """Read a note from disk; a failure is kept in :attr:`error`, never raised.

        Only a regular file of at most ``limit`` bytes is read, and only under a name
        that is UTF-8 (Obsidian, git hosts and the reports all need one).
        """
        reason = bad_name(rel)
        if reason is None:
            try:
                raw = read_regular(path, limit)
            except OSError as error:
                reason = read_problem(error)
            else:
                return cls.from_bytes(path, rel, raw)
        return cls(path=path, rel=rel, raw=b"", text="", bom=False, error=UnreadableNote(reason))

    @property
    def name(self) -> str:
        """The note's name as Obsidian shows it: the file name without ``.md``."""
        return self.path.stem

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset into :attr:`text`."""
        return self.lines.position(offset)

    def excerpt(self, start: int, end: int) -> str:
        """The text from ``start`` to ``end`` as a problem there is known by
        (:func:`~vaultcheck.core.positions.excerpt`)."""
        return excerpt(self.text[start:end])

    def excerpt_of(self, problem: Problem) -> str:
        """The text ``problem`` points at (:func:`~vaultcheck.core.positions.excerpt`),
        its positions clamped to the note (a position past the end is the end)."""
        lines = self.lines

        def offset(line: int, column: int) -> int:
            line = min(max(line, 1), lines.line_count)
            return min(lines.offset(line, max(column, 1)), len(self.text))

        start = offset(problem.line, problem.column)
        end = max(start, offset(problem.end_line, problem.end_column))
        return excerpt(self.text[start:end])

    @cached_property
    def frontmatter(self) -> Frontmatter:
        from vaultcheck.note.frontmatter import parse_frontmatter

        return parse_frontmatter(self.text)

    @cached_property
    def syntax(self) -> NoteSyntax:
        from vaultcheck.note.syntax import parse_syntax

        return parse_syntax(self.text, self.frontmatter.body_start)
