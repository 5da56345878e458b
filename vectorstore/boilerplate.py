"""Find web boilerplate inside an article: ranges to skip, never text to delete.

Returns `[start, end)` ranges into the text as read, so offsets of everything else stay exact.
Covers what news pages leave behind, each kind a named rule (see `boilerplate_hits`):

- prompts: registration and paywall walls, newsletter sign-ups, Telegram and other channel promos,
  cookie/consent notices, donation appeals, "more on our site" promos, a reader-appeal block
  ("Dear readers, ... Subscribe to our Telegram channel ...");
- links: "Read more"/"Click here"/"See also" lines, "... read the full story here" pointers,
  "Other Topics of Interest" teasers, all-caps headlines of other articles, tweets that only
  share a link, "See the video"/"Continuation of the material under the video" video teasers;
- credits and notes: photo credits (whole lines or inside captions), credit lines doubled by the
  page ("Kira Lisitskaya Kira Lisitskaya"), staff initials ("(SP)", "Author/author: TAS/KG"),
  "... contributed to this report", opinion disclaimers and republication notes;
- page residue: "Advertisement" lines, stray list tags ("ol"), "Expand" buttons;
- repeated paragraphs: a paragraph equal to another one (whitespace aside), or a copy of the start
  of a longer paragraph (a teaser lead ending in "..." or a lead that repeats the first sentences of
  the next paragraph). The complete copy, or the first of equal copies, is kept.

Rules match whole lines (or one credit inside a line), so article prose around them is never
touched. It does not judge whether article prose is relevant; that is retrieval's job.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

Range = tuple[int, int]
Rule = Callable[[str], list[Range]]

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"

# Whole lines that are never article text, by rule name. Matched case-insensitively; a line
# matches when the pattern covers all of it (leading and trailing blanks aside).
_LINE_RULES: dict[str, list[str]] = {
    "registration_prompt": [
        r"Thank you for registering\.?",
        r"Please refresh the (page|browser).*",
        r".*refresh your browser to be logged in.*",
        r"Join [\w ]{1,30} for access to this content\b.*",  # paywall: "You have reached your maximum..."
    ],
    "newsletter_prompt": [
        r"(Sign up|Subscribe)( now)? (to|for) .*newsletter.*",
        # A sign-up ask for the outlet's own newsletter anywhere in the line ("We are glad that you are
        # with us.Sign up for Onet's newsletter", "skip past newsletter promotion Sign up to ...").
        r"(?=.*\b(sign up|subscribe)\b)(?=.*(\b(our|free)\b.{0,40}\bnewsletter|newsletter promotion|'s newsletter|excerpt from the .{0,60}newsletter)).{0,900}",
        r"You[’']re reading an excerpt from the .{1,60} newsletter\.?",
    ],
    "channel_promo": [
        r"Join us on Telegram\b.*",
        r"(Telegram channel )?Subscribe to our (Telegram|WhatsApp|YouTube) channel\.?",
        r"If using any of .{1,40} content, partly or in full, .*",
    ],
    "consent_prompt": [
        r"We need your consent to load .*",
    ],
    "donation_prompt": [
        r"Help Ukraine, join the collection\b.*",
        r"Support \w{1,20} or become our patron!?",
    ],
    "outlet_promo": [
        # "You can read more latest information on Gazeta.pl.", "More messages on Gazeta.pl's main page".
        r"(For more information,? please visit|You can (read|find|track)|(Read )?More (\w+ )?(information|messages|news))\b.{0,150}?\b(Gazeta\.pl|Onet|our live coverage)\b.{0,100}",
    ],
    "related_video": [
        r"Related video:.*",
        r"(See|View|Watch) (the )?video\b.*",
        r"\d{1,2}:\d{2} .{1,200} – video",  # a video player's duration and title
        r"(The rest of the (text|article)|Continuation of the (material|text|article))\b.{0,40}\b(under|below)\b.{0,40}",
    ],
    "read_more_link": [
        r"(Read|Click here|Watch) (more|now)\b.*",
        r"Click here to\b.*",
        r"(See also|Read also|Also read|Read more)\s*:.*",
        # "You can read our full story of the event here", "The entire speech ... can be seen here:".
        r"(?=.*\b(full|more|stor(y|ies)|reports?|speech|original|coverage|video|text|article|audio)\b)(You can( also)?|See|Read|Watch|Listen to)\b.{0,140}\bhere\s*[.:!]?",
        r"(?=.*\b(full|more|stor(y|ies)|reports?|speech|original|coverage|video|text|article|audio)\b).{0,120}\bcan be (seen|read|found|followed|watched|heard)\b.{0,40}\bhere\s*[.:!]?",
    ],
    "topic_links": [
        r"Other Topics of Interest\b.*",
    ],
    "tweet_link_card": [
        # A tweet that only shares a headline and a link: "Headline https://t.co/x — Outlet (@handle) May 1, 2024".
        rf".{{0,200}}[^\s.!?\"”'’]\s?https?://t\.co/\w+ — [^()\n]{{1,60}} \(@\w{{1,30}}\) {_MONTH} \d{{1,2}}, \d{{4}}",
    ],
    "social_embed": [
        r"Source: (Twitter|X|Instagram|Facebook|YouTube|TikTok)?/?@?\S+",
    ],
    "contribution_note": [
        r"(The )?(Associated Press|Reuters|AFP|PA|Bloomberg)( and \w+)? contributed to this report\.?",
        r".{1,100}\bcontributed to (this|his|her|the) report\.?",
    ],
    "publisher_note": [
        r"The views expressed in this (opinion )?(article|commentary|piece) are .{0,40}not necessarily those of .{1,60}",
        r"(Reprinted|Republished)\b.{0,60}\bfrom\b.*",
        r"The article comes from (the )?.{1,40}",
    ],
    "photo_credit": [
        r"\(?(Photo|Image|Picture)s?( courtesy| credit)?:? .{0,80}\)?",
        r"\((Getty Images|AP|AFP|Reuters|EPA|PA)[^()\n]{0,60}\)",
        r"(?P<credit>.{3,60}?[^\s.!?]) (?P=credit)",  # a credit the page printed twice
    ],
    "staff_initials": [
        r"(?-i:\([A-Z]{2,4}\))",
        r"Author ?/ ?author:.{1,60}",
    ],
    "advertisement": [
        r"Advertisement:?",
    ],
    "page_residue": [
        r"(?-i:ol|ul|li|Expand)",  # stray list tags and "Expand" buttons, exactly as the scraper left them
    ],
}

# Credits ending a caption line: only the credit itself is skipped, the caption text stays. A credit
# must end its line, so "said Agence France-Presse (AFP) in ..." keeps its prose whole.
_INLINE_RE = re.compile(
    r"[ \t]*(?:Photo courtesy:[^\n]*|\((?:[^()\n]{0,60}\bvia )?(?:Getty Images|AP Photo|AFP|Reuters|EPA)[^()\n]{0,40}\)"
    r"|\([^()\n/]{1,60}/(?:AP|PA|AFP|Reuters|EPA|Getty Images)\))(?=[ \t]*\r?$)",
    re.IGNORECASE | re.MULTILINE,
)

# "Dear readers, / Our website and social media accounts are under threat ..." and the follow-us lines after it.
_READER_APPEAL_RE = re.compile(
    r"^[ \t]*Dear readers,[ \t]*\r?\n\s*Our website and social media accounts are under threat[^\n]*"
    r"(?:\n[ \t\r]*(?:[^\n]*\b(?:Telegram|newsletter|push notifications|VPN)\b[^\n]*)?)*",
    re.MULTILINE | re.IGNORECASE,
)

_ELLIPSIS_RE = re.compile(r"\s*(?:\.\.\.|…)$")
_MIN_COPY_WORDS = 4  # a shorter paragraph at the start of a longer one is a heading, not a copy
_ALLCAPS_MIN_UPPER = 20  # an all-caps line this long (letters, words) is a headline of another article
_ALLCAPS_MIN_WORDS = 6


def _line_rule(patterns: list[str]) -> Rule:
    regex = re.compile(
        r"^[ \t]*(?:" + "|".join(f"(?:{p})" for p in patterns) + r")[ \t\r]*$", re.MULTILINE | re.IGNORECASE
    )
    return lambda text: [(m.start(), m.end()) for m in regex.finditer(text) if m.end() > m.start()]


def _allcaps_headlines(text: str) -> list[Range]:
    """Lines with no lowercase letter and many capitals: links to other stories ("PUTIN WARNS WEST: ...").

    A headline is sentence-long; a short all-caps line is the article's own section title (a review's
    "FATAL FORCE (MACROSPACE)"), so parenthesised words do not count towards the length.
    """
    out: list[Range] = []
    for m in re.finditer(r"[^\r\n]+", text):
        line = m.group()
        if (
            any(ch.islower() for ch in line)
            or len(re.sub(r"\([^()]*\)", " ", line).split()) < _ALLCAPS_MIN_WORDS
        ):
            continue
        if sum(ch.isupper() for ch in line) >= _ALLCAPS_MIN_UPPER:
            out.append((m.start(), m.end()))
    return out


def _reader_appeal(text: str) -> list[Range]:
    return [(m.start(), m.end()) for m in _READER_APPEAL_RE.finditer(text)]


def _inline_credits(text: str) -> list[Range]:
    return [(m.start(), m.end()) for m in _INLINE_RE.finditer(text)]


_RULES: dict[str, Rule] = {name: _line_rule(patterns) for name, patterns in _LINE_RULES.items()}
_RULES["allcaps_headline"] = _allcaps_headlines
_RULES["reader_appeal"] = _reader_appeal
_RULES["photo_credit_inline"] = _inline_credits


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _copy_of_longer(key: str, truncated: bool, keys: list[str]) -> bool:
    """True when another paragraph in sorted `keys` starts with `key` and goes on (so holds all of it).

    A truncated lead ("... continues its ...") may stop mid-word; a complete paragraph must end at a
    word boundary of the longer one, so "London" is not a copy of "Londoners said ...".
    """
    if len(key.split()) < _MIN_COPY_WORDS:
        return False
    i = bisect.bisect_right(keys, key)  # past the equal keys: the longer ones starting with `key` follow
    for other in keys[i : i + 20]:
        if not other.startswith(key):
            return False
        if truncated or not other[len(key)].isalnum():
            return True
    return False


def _paragraphs(text: str) -> list[Range]:
    """Spans of paragraphs: runs of non-blank lines, each run ended by a blank line or the text's end."""
    out: list[Range] = []
    for m in re.finditer(r"[^\r\n]+", text):
        line = m.group()
        if not line.strip():
            continue
        start = m.start() + len(line) - len(line.lstrip())
        if out and text[out[-1][1] : m.start()] in ("\n", "\r\n", "\r"):
            out[-1] = (out[-1][0], m.end())  # the next line of the same paragraph
        else:
            out.append((start, m.end()))
    return out


def repeated_paragraphs(text: str, ignore: list[Range] | None = None) -> list[Range]:
    """Paragraphs (text between blank lines) that repeat another paragraph of `text`.

    Skipped: a paragraph equal to an earlier one (whitespace-normalised), a truncated copy (ends in
    "..." or "…" and the text before is the start of a longer paragraph, or equals a complete one), and
    a complete paragraph that is the start of a longer one. Paragraphs inside `ignore` ranges (already
    boilerplate) are left out of the comparison, so a copy is only dropped when kept text holds it.
    """
    ignore = merge_ranges(ignore or [])
    ignore_starts = [s for s, _ in ignore]
    paragraphs: list[tuple[int, int, str, bool]] = []  # start, end, key (ellipsis removed), truncated
    for start, end in _paragraphs(text):
        i = bisect.bisect_right(ignore_starts, start) - 1  # the ignored range that could contain it
        if i >= 0 and end <= ignore[i][1]:
            continue
        norm = _normalise(text[start:end])
        key = _ELLIPSIS_RE.sub("", norm)
        paragraphs.append((start, end, key, key != norm))
    keys = sorted(key for _, _, key, _ in paragraphs)
    complete = {key for _, _, key, truncated in paragraphs if not truncated}
    kept: set[tuple[str, bool]] = set()
    out: list[Range] = []
    for start, end, key, truncated in paragraphs:
        if (
            (key, truncated) in kept
            or (truncated and key in complete)
            or _copy_of_longer(key, truncated, keys)
        ):
            out.append((start, end))
        else:
            kept.add((key, truncated))
    return out


def boilerplate_hits(text: str) -> dict[str, list[Range]]:
    """Every rule's ranges by rule name (they may overlap); `repeated_paragraph` last."""
    hits = {name: rule(text) for name, rule in _RULES.items()}
    found = merge_ranges([r for ranges in hits.values() for r in ranges])
    hits["repeated_paragraph"] = repeated_paragraphs(text, found)
    return hits


def boilerplate_ranges(text: str) -> list[Range]:
    """Sorted, non-overlapping ranges of `text` that are boilerplate."""
    return merge_ranges([r for ranges in boilerplate_hits(text).values() for r in ranges])


def merge_ranges(ranges: list[Range]) -> list[Range]:
    """Union of ranges, sorted; touching or overlapping ranges become one."""
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
