"""Citation markers: split a draft into sentences with the `[n]` markers each one carries,
and renumber kept citations 1..n in order of first use.

Markers that follow a sentence's final period ("… entities. [2]") belong to that sentence;
markers that point at no evidence are dropped. Pure string work: what a sentence may cite is
decided by `verify.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(r"\s*\[(\d{1,3})\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*(?:\s*\[\d{1,3}\])*(?=\s|$)")


@dataclass(frozen=True)
class DraftSentence:
    text: str  # without markers, whitespace normalized
    cited: tuple[int, ...]  # evidence numbers as the model wrote them (may be out of range)


def split_draft(draft: str) -> list[DraftSentence]:
    """Sentences of a model draft with the markers each carries."""
    sentences: list[DraftSentence] = []
    cursor = 0
    pieces = []
    for m in _SENTENCE_END.finditer(draft):
        pieces.append(draft[cursor : m.end()])
        cursor = m.end()
    pieces.append(draft[cursor:])
    for piece in pieces:
        cited = tuple(int(n) for n in _MARKER.findall(piece))
        text = " ".join(_MARKER.sub("", piece).split())
        text = re.sub(r"\s+([.,;:!?])", r"\1", text)
        if text:
            sentences.append(DraftSentence(text, cited))
        elif cited and sentences:  # a lone marker run belongs to the sentence before it
            last = sentences[-1]
            sentences[-1] = DraftSentence(last.text, last.cited + cited)
    return sentences


def complete_prefix(draft: str) -> tuple[str, str]:
    """Split a streaming draft into (finished sentences, the unfinished rest).

    A sentence counts as finished only once something other than a marker or space follows its
    end, so trailing markers ("… entities. [1]") are not cut off from it.
    """
    last = 0
    for m in _SENTENCE_END.finditer(draft):
        rest = draft[m.end() :]
        if rest.strip() and not re.fullmatch(r"\s*(\[\d{0,3}\]?\s*)*", rest):
            last = m.end()
    return draft[:last], draft[last:]


def renumber(used: list[list[int]]) -> tuple[list[list[int]], list[int]]:
    """Map evidence numbers to citation numbers 1..n by first use.

    `used[i]` lists the evidence numbers sentence i cites; returns the same shape with citation
    numbers, plus `order` where `order[k]` is the evidence number of citation k+1.
    """
    order: list[int] = []
    for ids in used:
        for e in ids:
            if e not in order:
                order.append(e)
    return [[order.index(e) + 1 for e in dict.fromkeys(ids)] for ids in used], order


def with_markers(text: str, numbers: list[int]) -> str:
    """'Sentence.' + [1, 2] -> 'Sentence. [1][2]'."""
    return text + (" " + "".join(f"[{n}]" for n in numbers) if numbers else "")
