"""``[tool.vaultcheck.timestamps]``: how strict the order is, where sections start, which notes.

The table is validated by ``schemas/vaultcheck-config.json`` before it gets here, so
the values have the right types. A vault of video notes next to daily notes that say
``[12:30]`` limits the family with ``include`` globs, ``require-property``, or both
(a note must then match both)::

    [tool.vaultcheck.timestamps]
    strict = false            # true: two equal timestamps in a row are out of order
    section-level = 2         # only # and ## headings start sections (default: any)
    include = ["Videos/**"]   # only notes matching these globs (default: every note)
    require-property = "videoId"  # only notes whose frontmatter has this property
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from vaultcheck.timestamps.sections import ANY_LEVEL
from vaultcheck.vault.walk import gitignore_spec

if TYPE_CHECKING:
    import pathspec

    from vaultcheck.note.note import Note
    from vaultcheck.vault.config import Config

SECTION = "timestamps"


@lru_cache(maxsize=8)
def _globs(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """The compiled ``include`` globs, built once per run rather than once per note."""
    return gitignore_spec(patterns)


@dataclass(frozen=True)
class TimestampOptions:
    """The settings of the timestamp rules; the defaults check every note."""

    strict: bool = False
    section_level: int = ANY_LEVEL
    include: tuple[str, ...] | None = None
    require_property: str | None = None

    @classmethod
    def from_table(cls, table: Mapping[str, Any]) -> TimestampOptions:
        """Options from the (already validated) ``[tool.vaultcheck.timestamps]`` table."""
        include = table.get("include")
        return cls(
            strict=table.get("strict", False),
            section_level=table.get("section-level", ANY_LEVEL),
            include=None if include is None else tuple(include),
            require_property=table.get("require-property"),
        )

    @classmethod
    def from_config(cls, config: Config) -> TimestampOptions:
        """The options of a vault's configuration (see
        :meth:`~vaultcheck.rules.api.RuleContext.options`)."""
        return cls.from_table(config.section(SECTION))

    def applies_to(self, note: Note) -> bool:
        """True when the timestamp rules check this note.

        A note with broken frontmatter has no properties we can read, so
        ``require-property`` leaves it out (``frontmatter-syntax`` reports it).
        """
        if self.include is not None and not _globs(self.include).match_file(note.rel):
            return False
        if self.require_property is None:
            return True
        data = note.frontmatter.data
        return data is not None and self.require_property in data
