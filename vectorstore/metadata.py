"""Headline, publication date and byline of a news article, read from its first lines.

Returns the values plus the ranges of the byline/dateline lines, so chunking can skip them (they
are metadata, not claims). It only recognises what the text states, or a date stamp the file name
carries (`ukrwar_20220623t143000z_...`, `2024-05-20-story.txt`) when the text states none; it never
guesses a date from the file system or the article's events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_MONTH_NUM = {
    m[:3].lower(): i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_TIME = r"(?:,?\s+(?P<hh>\d{1,2}):(?P<mm>\d{2})(?:\s*(?:BST|GMT|UTC|ET|EST|EDT|CET))?)?"
# "Monday 20 May 2024 18:25" and "May 20, 2024" styles, alone on their line.
_DATE_LINE = [
    re.compile(rf"^\s*{_WEEKDAY}(?P<d>\d{{1,2}})\s+(?P<m>{_MONTHS})\.?\s+(?P<y>\d{{4}}){_TIME}\s*$", re.I),
    re.compile(rf"^\s*{_WEEKDAY}(?P<m>{_MONTHS})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}}){_TIME}\s*$", re.I),
    re.compile(
        r"^\s*(?:Published:?\s*)?(?P<y>\d{4})-(?P<mn>\d{2})-(?P<d>\d{2})(?:[T ](?P<hh>\d{2}):(?P<mm>\d{2}))?\S*\s*$"
    ),
]
_BYLINE = re.compile(r"^\s*(?:By\s+)?(?P<name>[A-Z][a-zA-Z'’.-]+(?:\s+[A-Z][a-zA-Z'’.-]+){1,3})\s*$")
_DATELINE_PLACE = re.compile(r"^\s*[A-Z][A-Za-z .'-]+,\s*[A-Z][A-Za-z .]+\s*$")  # "Washington, DC"
_HEADER_LINES = 8  # bylines and datelines live at the top of an article


@dataclass
class ArticleMeta:
    title: str = ""
    date: str = ""  # ISO 8601, e.g. "2024-05-20T18:25", or "" when the text does not state one
    author: str = ""
    header_ranges: list[tuple[int, int]] = field(default_factory=list)


def _iso(match: re.Match[str]) -> str:
    g = match.groupdict()
    month = int(g["mn"]) if g.get("mn") else _MONTH_NUM[g["m"][:3].lower()]
    iso = f"{int(g['y']):04d}-{month:02d}-{int(g['d']):02d}"
    return iso + (f"T{int(g['hh']):02d}:{g['mm']}" if g.get("hh") else "")


# A stamp stands apart from letters and digits (a hex id like "a20220101b" is no date), or runs into
# a time ("20220623t143000z").
_NAME_STAMP = re.compile(
    r"(?<![0-9A-Za-z])(?P<y>(?:19|20)\d\d)[-_]?(?P<mn>[01]\d)[-_]?(?P<d>[0-3]\d)(?=$|[^0-9A-Za-z]|[tT]\d)"
)


def date_from_name(name: str) -> str:
    """The ISO date a file name is stamped with ('' when none, or when the stamp is no valid date)."""
    for match in _NAME_STAMP.finditer(name):
        if 1 <= int(match["mn"]) <= 12 and 1 <= int(match["d"]) <= 31:
            return _iso(match)
    return ""


def _lines(text: str) -> list[tuple[int, int, str]]:
    """Non-empty lines as (start, end, stripped text) with offsets into `text`."""
    out = []
    for m in re.finditer(r"[^\r\n]+", text):
        if m.group().strip():
            out.append((m.start(), m.end(), m.group().strip()))
    return out


def first_line_title(text: str, limit: int = 200) -> str:
    """The headline of a plain-text article: its first non-empty line (cut at a word if very long)."""
    for _, _, line in _lines(text[:5000]):
        title = line.lstrip("\ufeff#> ").strip()
        if len(title) > limit:
            title = title[:limit].rsplit(" ", 1)[0] + "…"
        return title
    return ""


def read_meta(text: str, title: str = "") -> ArticleMeta:
    """Title (given, or the first line), date and author from the article's header lines."""
    meta = ArticleMeta(title=title or first_line_title(text))
    header = _lines(text)[1:_HEADER_LINES]
    for i, (start, end, line) in enumerate(header):
        date_match = next((m for p in _DATE_LINE if (m := p.match(line))), None)
        if date_match and not meta.date:
            meta.date = _iso(date_match)
            meta.header_ranges.append((start, end))
            # The byline and dateline sit just above the date: "Gustaf Kilander / Washington, DC / date".
            for b_start, b_end, above in reversed(header[max(0, i - 2) : i]):
                if _DATELINE_PLACE.match(above):
                    meta.header_ranges.append((b_start, b_end))
                elif (by := _BYLINE.match(above)) and not meta.author and len(above.split()) <= 5:
                    meta.author = by.group("name")
                    meta.header_ranges.append((b_start, b_end))
    meta.header_ranges.sort()
    return meta
