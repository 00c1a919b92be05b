"""Check one timestamp against itself, its link and its note: what ``timestamp-malformed`` says.

A timestamp cites a moment three ways at once: the bracketed time readers see, the time
parameter of its link (``?t=222``) or the ``data-t`` of its anchor that scripts follow,
and the video its link plays. They must agree, or a click lands somewhere the text
does not say. An anchor whose text is not a bracketed time (``<a data-t="00:03:42">00:03:42</a>``,
or an empty one) cites its ``data-t``; when its text is a time, the two must agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from vaultcheck.note.syntax.extensions import TIMESTAMP_TEXT
from vaultcheck.timestamps.clock import ClockError, TooManyParts, format_clock, parse_clock
from vaultcheck.timestamps.video import parameter_seconds, time_parameter, youtube_video_id

if TYPE_CHECKING:
    from vaultcheck.note.syntax import TimestampRef

VIDEO_PROPERTY = "videoId"
"""The frontmatter property naming the YouTube video a note was made from."""


def shown(ref: TimestampRef) -> str:
    """The timestamp as a message quotes it: in brackets, as written; an anchor without a
    bracketed time as ``<a data-t="00:03:42">00:03:42</a>``."""
    if not ref.bracketed:
        return f'<a data-t="{ref.data_t}">{ref.text}</a>'
    return f"[{ref.text}]"


def cited_seconds(ref: TimestampRef) -> int:
    """The moment a timestamp cites, in seconds: its bracketed time, else its ``data-t``.

    Raises :class:`ClockError` when that is not a well-formed time.
    """
    return parse_clock(ref.text if ref.bracketed or ref.data_t is None else ref.data_t)


def note_video_id(frontmatter: Mapping[str, Any] | None) -> str | None:
    """The note's ``videoId`` when it is a non-empty string, else None (nothing to compare)."""
    value = (frontmatter or {}).get(VIDEO_PROPERTY)
    return value if isinstance(value, str) and value else None


def invalid(subject: str, error: ClockError) -> str:
    """``[00:61:10] is not a valid time: ...``; ``[01:00:17:51] has four parts; ...``."""
    if isinstance(error, TooManyParts):
        return f"{subject} {error}"
    return f"{subject} is not a valid time: {error}"


def _link_issues(ref: TimestampRef, seconds: int, url: str, video_id: str | None) -> list[str]:
    issues = []
    parameter = time_parameter(url)
    if parameter is not None:
        name, value = parameter
        linked = parameter_seconds(value)
        if linked is None:
            issues.append(f"{shown(ref)} links to {name}={value}, which is not a time")
        elif linked != seconds:
            issues.append(
                f"{shown(ref)} links to {name}={value}, which is {format_clock(linked)},"
                f" not {format_clock(seconds)}"
            )
    linked_video = youtube_video_id(url)
    if video_id is not None and linked_video is not None and linked_video != video_id:
        issues.append(
            f"{shown(ref)} links to video {linked_video}, not this note's"
            f" {VIDEO_PROPERTY} {video_id}"
        )
    return issues


def _anchor_issues(ref: TimestampRef) -> list[str]:
    """An anchor without a bracketed time: its ``data-t``, and its text when that is a time."""
    try:
        seconds = cited_seconds(ref)
    except ClockError as error:
        content = f'"{ref.text}"' if ref.text else "an empty anchor"
        return [invalid(f'data-t="{ref.data_t}" of {content}', error)]
    if not TIMESTAMP_TEXT.fullmatch(ref.text):
        return []
    try:
        text_seconds = parse_clock(ref.text)
    except ClockError as error:
        return [invalid(ref.text, error)]
    if text_seconds != seconds:
        return [f'{ref.text} has data-t="{ref.data_t}", which is not {format_clock(text_seconds)}']
    return []


def citation_issues(ref: TimestampRef, video_id: str | None = None) -> list[str]:
    """Everything wrong with one timestamp, each as a message; empty when it is right.

    A bracketed time that is not a time is the one issue reported for it: there is
    nothing sound to compare its link against. A link to a place in the same note
    (``[00:48:21](#t=00:48:21)``, a heading) is not a video link: whether its heading
    exists is ``broken-heading``'s business.
    """
    if not ref.bracketed:
        return _anchor_issues(ref)
    try:
        seconds = parse_clock(ref.text)
    except ClockError as error:
        return [invalid(shown(ref), error)]
    issues = []
    if ref.data_t is not None:
        try:
            data_seconds = parse_clock(ref.data_t)
        except ClockError as error:
            issues.append(invalid(f'data-t="{ref.data_t}" of {shown(ref)}', error))
        else:
            if data_seconds != seconds:
                issues.append(
                    f'{shown(ref)} has data-t="{ref.data_t}", which is not {format_clock(seconds)}'
                )
    if ref.url is not None and not ref.url.startswith("#"):
        issues.extend(_link_issues(ref, seconds, ref.url, video_id))
    return issues
