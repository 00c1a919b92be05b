"""Read a bracketed time: ``[H:MM:SS]`` or ``[M:SS]``, hours (or leading minutes) unbounded.

A unit that follows a larger one has exactly two digits in 00-59, as every video site
prints it: ``[1:02:03]`` and ``[59:59]`` are times, ``[1:2:03]``, ``[00:61:10]`` and
``[01:03:75]`` are not.

>>> parse_clock("00:03:42")
222
>>> parse_clock("1:02:03")
3723
>>> parse_clock("00:61:10")
Traceback (most recent call last):
...
vaultcheck.timestamps.clock.ClockError: minutes 61 are over 59
"""

from __future__ import annotations

from functools import lru_cache

_UNITS = {2: ("minutes", "seconds"), 3: ("hours", "minutes", "seconds")}


class ClockError(ValueError):
    """Why a text is not a well-formed time, in words for a problem message."""


class TooManyParts(ClockError):
    """A time of more than three parts (``01:00:17:51``): says how many, and what to write."""


_COUNTS = {4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


def _is_number(field: str) -> bool:
    return field.isascii() and field.isdigit()


@lru_cache(maxsize=65536)
def parse_clock(text: str) -> int:
    """The seconds a time such as ``00:03:42`` (written without its brackets) stands for.

    Raises :class:`ClockError` saying what is wrong when it is not well-formed.
    """
    fields = text.split(":")
    units = _UNITS.get(len(fields))
    if units is None:
        if len(fields) > 3:
            raise TooManyParts(f"has {_COUNTS.get(len(fields), len(fields))} parts; write HH:MM:SS")
        raise ClockError("not a time ([H:MM:SS] or [M:SS])")
    seconds = 0
    for position, (unit, field) in enumerate(zip(units, fields, strict=True)):
        if not _is_number(field):
            raise ClockError(f"{unit} {field!r} are not a number")
        if position > 0:
            if len(field) != 2:
                raise ClockError(f"{unit} must be two digits after the {units[position - 1]}")
            if int(field) > 59:
                raise ClockError(f"{unit} {field} are over 59")
        seconds = seconds * 60 + int(field)
    return seconds


def format_clock(seconds: int) -> str:
    """``HH:MM:SS``, the form these vaults write: ``format_clock(222) == "00:03:42"``."""
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{hour:02d}:{minute:02d}:{second:02d}"
