"""What a video link says: its time parameter and, for YouTube, which video it plays.

>>> parameter_seconds("3m42s"), parameter_seconds("222"), parameter_seconds("1h2m3s")
(222, 222, 3723)
>>> time_parameter("https://youtu.be/tvpDLpCf1jU?t=222")
('t', '222')
>>> youtube_video_id("https://www.youtube.com/watch?v=tvpDLpCf1jU&t=3m42s")
'tvpDLpCf1jU'
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qs, urlsplit

TIME_PARAMETERS = ("t", "start")
"""Query or fragment parameters that start a video at a time (YouTube, Vimeo, embeds)."""

_DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?")

_YOUTUBE_HOSTS = frozenset(
    {"youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com"}
)
_YOUTUBE_PATH_PREFIXES = frozenset({"embed", "shorts", "live", "v"})


def parameter_seconds(value: str) -> int | None:
    """The seconds of a time parameter (``222``, ``222s``, ``3m42s``, ``1h2m3s``), or None."""
    match = _DURATION.fullmatch(value)
    if not value or match is None:
        return None
    hours, minutes, seconds = (int(group or 0) for group in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _split(url: str) -> SplitResult | None:
    """The parts of a URL, or None for one Python cannot split (``http://[bad``)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def time_parameter(url: str) -> tuple[str, str] | None:
    """The first time parameter of a URL as ``(name, value)``: query first, then fragment
    (``#t=1m30s``), ``t`` before ``start``; None when it has none."""
    parts = _split(url)
    if parts is None:
        return None
    for component in (parts.query, parts.fragment):
        parameters = parse_qs(component, keep_blank_values=True)
        for name in TIME_PARAMETERS:
            if name in parameters:
                return name, parameters[name][0]
    return None


def youtube_video_id(url: str) -> str | None:
    """The video a YouTube URL plays (``youtu.be/ID``, ``youtube.com/watch?v=ID``,
    ``/embed/ID``, ``/shorts/ID``, ``/live/ID``), or None for any other URL."""
    parts = _split(url)
    if parts is None or parts.scheme.lower() not in ("http", "https"):
        return None
    host = (parts.hostname or "").removeprefix("www.")
    segments = [segment for segment in parts.path.split("/") if segment]
    if host == "youtu.be":
        return segments[0] if segments else None
    if host not in _YOUTUBE_HOSTS:
        return None
    if segments == ["watch"]:
        ids = parse_qs(parts.query).get("v")
        return ids[0] if ids else None
    if len(segments) >= 2 and segments[0] in _YOUTUBE_PATH_PREFIXES:
        return segments[1]
    return None
