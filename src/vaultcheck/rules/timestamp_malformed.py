"""timestamp-malformed: a video timestamp that is not a time, or that its link contradicts.

A timestamp is ``[H:MM:SS]`` or ``[M:SS]``, bare, as the text of a link, or inside the
anchor these vaults use (``<a class="yt-timestamp" data-t="00:03:42">[00:03:42]</a>``).
Minutes and seconds after a larger unit are two digits in 00-59; hours (or minutes,
when they lead) have no upper bound. When the timestamp links to a video, the link's
``t=``/``start=`` parameter (``222``, ``3m42s``, ``1h2m3s``) or the anchor's ``data-t``
must be the same time, and when the note's frontmatter has ``videoId``, a YouTube link
must play that video. A time of four parts or more (``[01:00:17:51]``) is malformed. An
anchor whose text is not a bracketed time (``>00:03:42</a>``, or empty) cites its
``data-t``, which must be a time and agree with a time written as its text. A link into
the same note (``[00:48:21](#t=00:48:21)``) is not a video link. A malformed timestamp is
reported once and left out of ``timestamp-order``. Timestamps in code, comments and math
are not checked; in an HTML block, only those of its visible text.

Passes::

    ---
    videoId: tvpDLpCf1jU
    ---
    Letting go is hard [00:03:42]. Later [1:02:03]
    and [00:03:42](https://youtu.be/tvpDLpCf1jU?t=222).

Fails::

    Letting go is hard [00:61:10].
    [1:2:03] and [00:03:42](https://youtu.be/tvpDLpCf1jU?t=200).
    [01:00:17:51] <a class="yt-timestamp" data-t="00:05:00">00:05:01</a>

    [00:61:10] is not a valid time: minutes 61 are over 59
    [1:2:03] is not a valid time: minutes must be two digits after the hours
    [00:03:42] links to t=200, which is 00:03:20, not 00:03:42
    [01:00:17:51] has four parts; write HH:MM:SS
    00:05:01 has data-t="00:05:00", which is not 00:05:01

Fix: correct the time or the link. Limit the rule to video notes with ``include`` or
``require-property`` in ``[tool.vaultcheck.timestamps]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Problem
from vaultcheck.rules.api import RuleContext, problem_at
from vaultcheck.timestamps.citation import citation_issues, note_video_id
from vaultcheck.timestamps.options import TimestampOptions

if TYPE_CHECKING:
    from vaultcheck.note.note import Note

NAME = "timestamp-malformed"
FAMILY = "timestamps"
SUMMARY = "A video timestamp that is not a valid time, or whose link points elsewhere."


def check(note: Note, ctx: RuleContext) -> Iterator[Problem]:
    if not ctx.options(TimestampOptions).applies_to(note):
        return
    video_id = note_video_id(note.frontmatter.data)
    for ref in note.syntax.timestamps:
        for issue in citation_issues(ref, video_id):
            yield problem_at(note, NAME, ref.start, ref.end, issue)
