"""Split text into sentences with exact `[start, end)` offsets, skipping given ranges.

Rule-based on purpose: a statistical splitter would need a model download, and news prose is
regular enough. A line break always ends a sentence; inside a line, `.`, `!` or `?` (optionally
followed by closing quotes) ends one when whitespace and a capital, digit or quote follow, unless
the period belongs to a known abbreviation or an initial ("Charles Q. Brown"). Scraped and machine-
translated pages often drop the space ("Kyiv.The army said"): a stop directly followed by a
capitalised word ends a sentence too, unless it is an abbreviation or initial ("Gen.Pacek", "J.R.R.
Tolkien"), part of a link or domain ("Bungie.Org", "www.Site.Com") or a name like "Bagle.AT"
(the next word must be Capital-lowercase). Offsets point into the text as given, so
`text[start:end]` is always the sentence verbatim.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "sen",
    "rep",
    "st",
    "jr",
    "sr",
    "lt",
    "col",
    "capt",
    "gov",
    "sgt",
    "maj",
    "no",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "u.s",
    "u.k",
    "u.n",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "approx",
    "dept",
    "est",
    "fig",
    "jan",
    "feb",
    "aug",
    "sept",
    "oct",
    "nov",
    "dec",
    "sq",
    "mt",
}
# A sentence end: punctuation (and closing quotes) before whitespace and a capital, digit or quote;
# or, glued, punctuation right before a capitalised word.
_END = re.compile(r"[.!?…]+(?:[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|(?<=\S[.!?…])(?=[A-Z][a-z]))")
_TLD = r"(?:Com|Org|Net|Gov|Edu|Info|Io|Co|Uk|Pl|Ru|Ua|De|Fr|Eu)\b"
_LINKISH_AFTER = re.compile(rf"[A-Z][a-z]*(?:\.(?:[a-z]|{_TLD})|/)|{_TLD}")  # "Bungie.Org", "Com", "News/..."
_LINKISH_BEFORE = re.compile(r"(?:/|@|www\.|://)\S*$")
_LINE = re.compile(r"[^\r\n]+")
_LEADING_MARKUP = re.compile(r"[\s#>*\-–—•]+")  # markdown heading/quote/bullet markers


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at `dot` closes an abbreviation or an initial, not a sentence."""
    if text[dot] != ".":
        return False
    word = re.search(r"([A-Za-z.]+)$", text[max(0, dot - 40) : dot])  # abbreviations are short words
    if not word:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or len(token) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", token))


def _in_link(text: str, start: int, end: int, line_start: int) -> bool:
    """True when the glued stop `text[start:end]` sits inside a URL, e-mail address or domain name."""
    window = text[max(line_start, start - 200) : start]  # the word before the stop, bounded for long lines
    before = window.split()[-1] if window.strip() else ""
    return bool(_LINKISH_BEFORE.search(before) or _LINKISH_AFTER.match(text, end))


def _split_line(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    cursor = start
    for m in _END.finditer(text, start, end):
        if _is_abbreviation(text, m.start()):
            continue
        glued = m.end() < end and not text[m.end()].isspace()
        if glued and _in_link(text, m.start(), m.end(), start):
            continue
        spans.append((cursor, m.end()))
        cursor = m.end()
    spans.append((cursor, end))
    return spans


def _trim(text: str, span: Span) -> Span | None:
    """Shrink a span to exclude surrounding whitespace and leading markdown markers."""
    start, end = span
    lead = _LEADING_MARKUP.match(text, start, end)
    if lead:
        start = lead.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if any(ch.isalnum() for ch in text[start:end]) else None


def _outside(spans: list[Span], skip: list[Span]) -> list[Span]:
    """Cut `skip` ranges out of each span (pieces left on either side survive)."""
    out: list[Span] = []
    for start, end in spans:
        pieces = [(start, end)]
        for s0, s1 in skip:
            pieces = [p for a, b in pieces for p in ((a, min(b, s0)), (max(a, s1), b)) if p[1] > p[0]]
        out.extend(pieces)
    return out


def split_sentences(text: str, skip: list[Span] | None = None) -> list[Span]:
    """Sentence spans of `text`, in order, none overlapping a `skip` range."""
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        spans.extend(_split_line(text, line.start(), line.end()))
    spans = _outside(spans, skip or [])
    return [t for s in spans if (t := _trim(text, s))]
