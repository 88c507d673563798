"""Dates as pages write them, read into ISO 8601.

``parse`` reads one value meant as a date (a ``datetime`` attribute, a
JSON-LD ``datePublished``, a ``<meta>`` content, a short line of text) and
returns ``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM[:SS][±HH:MM|Z]`` when the value
has a time; ``None`` when it holds no real date (``2025-02-30`` is none).
``search`` finds the first date written inside running text ("Updated Nov.
14, 2025 at 10:00"). Formats read: ISO 8601 and its common variants, RFC 2822,
month names in English, French, German, Spanish, Italian, Portuguese and Dutch
in either order (``14-Nov-2025`` too), numeric day-month-year (``14.11.2025``, ``14/11/2025``;
``11/14/2025`` when the first number cannot be a month or a 12-hour time
follows), CJK ``2025年11月14日``
and Unix timestamps in seconds or milliseconds.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import accumulate

# The years a page date can have: the web's first pages to some years ahead
# (the ceiling is checked against the page's own latest date, not here).
MIN_YEAR = 1990
MAX_YEAR = 2100
# Unix timestamps between 2000-01-01 and 2100-01-01, in seconds.
_MIN_STAMP = 946_684_800
_MAX_STAMP = 4_102_444_800

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan janvier janv januar jän enero ene gennaio gen janeiro januari",
            "february feb février févr fevrier februar febrero febbraio fevereiro fev februari",
            "march mar mars märz maerz marzo março marco maart mrt",
            "april apr avril avr abril abr aprile",
            "may mai mayo maggio mag maio mei",
            "june jun juin juni junio giugno giu junho",
            "july jul juillet juil juli julio luglio lug julho",
            "august aug août aout agosto ago augustus",
            "september sep sept septembre septiembre setiembre settembre set setembro",
            "october oct octobre oktober octubre ottobre ott outubro out okt",
            "november nov novembre noviembre novembro",
            "december dec décembre decembre dezember dez diciembre dic dicembre dezembro",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH = r"(?P<month>" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")"
_TIME = (
    r"(?:[T\s,]+(?:at\s+)?(?P<hh>\d{1,2}):(?P<mm>\d{2})(?::(?P<ss>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<ampm>[aApP]\.?[mM]\.?(?![a-zA-Z]))?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?"
)
_PATTERNS = [
    # 2025-11-14, 2025/11/14, 2025.11.14, with an optional time and offset
    re.compile(r"(?<!\d)(?P<year>\d{4})([-/.])(?P<mon>\d{1,2})\2(?P<day>\d{1,2})(?!\d)" + _TIME),
    # 20251114T100000Z (basic ISO), only with its T so that plain numbers stay numbers
    re.compile(r"(?<!\d)(?P<year>\d{4})(?P<mon>\d{2})(?P<day>\d{2})T\d{4,6}Z?(?!\d)"),
    # 2025年11月14日
    re.compile(r"(?P<year>\d{4})\s*年\s*(?P<mon>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"),
    # Nov. 14, 2025 / November 14th 2025; also glued to the word before it
    # when the case changes there ("GiuffridaMar 5, 2025", "HealthDECEMBER
    # 22, 2022"): flattened markup runs a byline or a kicker into its date.
    re.compile(
        r"(?:(?<!\w)|(?-i:(?<=[a-z])(?=[A-Z])))" + _MONTH
        + r"\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})(?!\d)" + _TIME,
        re.IGNORECASE,
    ),
    # 14 Nov 2025 / 14. November 2025 / 14 de noviembre de 2025 / Fri, 14 Nov 2025 10:00:00 +0000
    re.compile(
        r"(?<!\d)(?P<day>\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?" + _MONTH
        + r"\.?,?\s+(?:de\s+)?(?P<year>\d{4})(?!\d)" + _TIME, re.IGNORECASE,
    ),
    # 14-Nov-2025 / 04-ago-2021 / 14/Nov/2025: the month's name between two separators
    re.compile(
        r"(?<![\w/.-])(?P<day>\d{1,2})([-/])" + _MONTH + r"\2(?P<year>\d{4})(?!\d)" + _TIME,
        re.IGNORECASE,
    ),
    # 14.11.2025 / 14/11/2025 / 11/14/2025 / 14-11-2025
    re.compile(
        r"(?<![\d/.-])(?P<a>\d{1,2})([./-])(?P<b>\d{1,2})\2(?P<year>\d{4})(?![\d/.-])" + _TIME
    ),
]  # fmt: skip
_YEAR = re.compile(r"\d{4}")
_STAMP = re.compile(r"^\s*(\d{10}|\d{13})(?:\.\d+)?\s*$")


def parse(value: object) -> str | None:
    """The ISO 8601 form of one date value; None when it holds no valid date."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_stamp(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()[:200]
    stamp = _STAMP.match(text)
    if stamp:
        digits = stamp.group(1)
        return _from_stamp(int(digits) / (1000 if len(digits) == 13 else 1))
    return search(text)


def with_year(lines: list[str]) -> list[str]:
    """The lines that hold four digits in a row: the only ones ``search`` can find a date in.

    One scan of the joined lines instead of one per line: a page has
    hundreds of short lines and most hold no year.
    """
    joined = "\n".join(lines)
    if not _YEAR.search(joined):
        return []
    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
    found = dict.fromkeys(bisect_right(starts, m.start()) - 1 for m in _YEAR.finditer(joined))
    return [lines[i] for i in found]


def search(text: str) -> str | None:
    """The first valid date written in ``text``, as ISO 8601; None if there is none."""
    found = find(text)
    return found.iso if found else None


@dataclass(frozen=True, slots=True)
class Found:
    """A date written in running text: where it starts, its ISO form, and whether it is sure.

    ``ambiguous`` marks a numeric date whose two first numbers could each be
    the month ("8/1/2025", "09.10.2024"): read day first, it may be the other.
    """

    start: int
    iso: str
    ambiguous: bool
    end: int = 0  # where the written date (and its time) ends

    @property
    def readings(self) -> tuple[str, ...]:
        """The days the date can be: ``iso`` alone, or both ways round when ambiguous."""
        if not self.ambiguous:
            return (self.iso,)
        iso = self.iso
        return iso, f"{iso[:5]}{iso[8:10]}-{iso[5:7]}{iso[10:]}"


def find(text: str) -> Found | None:
    """The first valid date written in ``text``; None if there is none."""
    if not _YEAR.search(text):  # every pattern has a four-digit year: most lines have none
        return None
    best: tuple[int, str, re.Match[str]] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            found = _build(match)
            if found is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), found, match)
                break
    if best is None:
        return None
    start, iso, match = best
    a, b = match.groupdict().get("a"), match.groupdict().get("b")
    ambiguous = a is not None and b is not None and int(a) != int(b) and max(int(a), int(b)) <= 12
    return Found(start, iso, ambiguous, match.end())


def day(iso: str | None) -> date | None:
    """The calendar day of an ISO string made by ``parse``."""
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


def _from_stamp(seconds: float) -> str | None:
    if not _MIN_STAMP <= seconds < _MAX_STAMP:
        return None
    return datetime.fromtimestamp(int(seconds), tz=UTC).isoformat().replace("+00:00", "Z")


def _build(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("month"):
        month = _MONTHS.get(groups["month"].lower().rstrip("."), 0)
        day_ = int(groups["day"])
    elif groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])
        # Day first, as most of the world writes it, unless it cannot be, or
        # unless a 12-hour clock follows: who writes "7:38 PM" writes the
        # month first ("10/12/2023 7:38 PM" is October 12).
        us = bool(groups.get("ampm")) and a <= 12
        day_, month = (a, b) if b <= 12 and not us else (b, a)
    else:
        month, day_ = int(groups["mon"]), int(groups["day"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        found = date(year, month, day_)
    except ValueError:
        return None
    return found.isoformat() + _time(groups)


def _time(groups: dict[str, str | None]) -> str:
    """``THH:MM[:SS][offset]`` of a match's time groups, "" when it has none or a bad one."""
    if not groups.get("hh"):
        return ""
    hour, minute = int(groups["hh"] or 0), int(groups["mm"] or 0)
    ampm = (groups.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    seconds = groups.get("ss")
    second = int(seconds) if seconds else None
    if hour > 23 or minute > 59 or (second is not None and second > 59):
        return ""
    out = f"T{hour:02d}:{minute:02d}" + ("" if second is None else f":{second:02d}")
    tz = groups.get("tz") or ""
    if tz in ("Z", "UTC", "GMT"):
        return out + "Z"
    if tz:
        digits = tz[1:].replace(":", "")
        return out + f"{tz[0]}{digits[:2]}:{digits[2:]}"
    return out
