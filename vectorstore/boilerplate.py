"""Find web boilerplate inside an article: ranges to skip, never text to delete.

Returns `[start, end)` ranges into the text as read, so offsets of everything else stay exact.
Covers what news pages leave behind: registration prompts, "Related video:" teasers, photo
credits, "Source: @handle" embeds, wire-service contribution notes. It does not judge whether
article prose is relevant; that is retrieval's job.
"""

from __future__ import annotations

import re

Range = tuple[int, int]

# Whole lines that are never article text.
_LINE_PATTERNS = [
    r"Thank you for registering\.?",
    r"Please refresh the (page|browser).*",
    r".*refresh your browser to be logged in.*",
    r"Related video:.*",
    r"Source: (Twitter|X|Instagram|Facebook|YouTube|TikTok)?/?@?\S+",
    r"(The )?(Associated Press|Reuters|AFP|PA|Bloomberg)( and \w+)? contributed to this report\.?",
    r"(Sign up|Subscribe)( now)? (to|for) .*newsletter.*",
    r"Advertisement",
    r"(Read|Click here|Watch) (more|now)\b.*",
    r"\(?(Photo|Image|Picture)s?( courtesy| credit)?:? .{0,80}\)?",
    r"\((Getty Images|AP|AFP|Reuters|EPA|PA)[^()\n]{0,60}\)",
]
_LINE_RE = re.compile(r"^[ \t]*(?:" + "|".join(_LINE_PATTERNS) + r")[ \t]*$", re.MULTILINE | re.IGNORECASE)

# Credits inside a caption line: only the credit itself is skipped, the caption text stays.
_INLINE_RE = re.compile(
    r"[ \t]*(?:Photo courtesy:[^\n]*|\((?:[^()\n]{0,60}\bvia )?(?:Getty Images|AP Photo|AFP|Reuters|EPA)[^()\n]{0,40}\))",
    re.IGNORECASE,
)


def boilerplate_ranges(text: str) -> list[Range]:
    """Sorted, non-overlapping ranges of `text` that are boilerplate."""
    found = [(m.start(), m.end()) for m in _LINE_RE.finditer(text) if m.end() > m.start()]
    found += [(m.start(), m.end()) for m in _INLINE_RE.finditer(text)]
    return merge_ranges(found)


def merge_ranges(ranges: list[Range]) -> list[Range]:
    """Union of ranges, sorted; touching or overlapping ranges become one."""
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
