"""Split a question that asks two things into its parts, each to be answered from its own passage.

"How much did Biden ask for in April 2022, and how much was in the bill approved in April 2024?" asks
for two figures that no single passage holds; judged as one question, either no passage passes (a
false refusal) or one figure is given and the other silently dropped. A question is split where a
coordinator (", and", ", but", ";") or a sentence end is followed by a clause with its own wh-word,
and the part before it has one too. A part that leans on the first ("how many of them were
foreigners", "what did he admit") or states no context of its own inherits the first part's names,
dates and sources ("Dmitry Medvedev: in February 2023 he said ..."). Our own code: no library splits
questions. Deliberately not here: ellipsis without a wh-word ("… by Morrison in March and by Marles
in April"), and questions that only ask whether sources agree ("Do the figures agree?").
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import TYPE_CHECKING

from qa.question import Question

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

WH = frozenset({"what", "which", "who", "whom", "whose", "when", "where", "how"})
_JOINS = frozenset({"and", "but"})
_LEANING = frozenset({"he", "she", "they", "them", "him", "her", "his", "their", "its", "it", "this", "that"})
_WH_REACH = 4  # the wh-word opens its part: "and in what year", "and how many", "and which US-made tank"
MAX_PARTS = 3  # each part costs a search; text past the third part stays in it (a pasted wall of questions)


def split_points(doc: Doc) -> list[int]:
    """Token indices where a new part starts (the first token after the coordinator or sentence end)."""
    points: list[int] = []
    for t in doc:
        if t.i == 0 or t.i + 1 >= len(doc):
            continue
        after_clause_end = t.lower_ in _JOINS and t.nbor(-1).text == ","
        if not (after_clause_end or t.text == ";" or (t.text == "?" and t.i + 1 < len(doc) - 1)):
            continue
        start = t.i + 1
        prev = points[-1] if points else 0
        if _opens_with_wh(doc, start) and _has_wh(doc, prev, t.i):
            points.append(start)
            if len(points) == MAX_PARTS - 1:
                break
    return points


def _opens_with_wh(doc: Doc, start: int) -> bool:
    """A wh-word within the first few words of the segment (past a preposition or date: "and in
    July 2023 he said ... if what operation" does not count; "and in what year" does)."""
    return any(_is_wh(t) for t in doc[start : start + _WH_REACH])


def _has_wh(doc: Doc, start: int, end: int) -> bool:
    return any(_is_wh(t) for t in doc[start:end])


def _is_wh(token: Token) -> bool:
    """A question word, not a relative pronoun ("a drone, which Varadkar said ..." is no new part)."""
    if token.lower_ not in WH:
        return False
    before = token.nbor(-1) if token.i > 0 else None
    return not (before is not None and before.text == "," and token.dep_ in {"nsubj", "dobj", "nsubjpass"})


def texts(doc: Doc) -> list[str]:
    """The question's parts as text (one part: the question itself)."""
    points = split_points(doc)
    if not points:
        return [doc.text]
    bounds = [0, *points, len(doc)]
    out = []
    for begin, end in pairwise(bounds):
        span = doc[begin:end]
        while len(span) and (span[-1].lower_ in _JOINS or span[-1].text in {",", ";"}):
            span = span[:-1]
        text = span.text.rstrip(" ?") + "?"
        out.append(text[0].upper() + text[1:])
    return out


def leans_on_first(doc: Doc, part: Question) -> bool:
    """Does a later part lean on the first ("how many of them", "what did he admit") or state no
    names of its own?"""
    return any(t.lower_ in _LEANING and t.pos_ == "PRON" for t in doc) or not part.names


def with_context(part: Question, first: Question) -> Question:
    """A later part with the first part's names, and its stated dates and sources when it has none."""
    return replace(
        part,
        names=part.names + tuple(n for n in first.names if n not in part.names),
        context_dates=part.context_dates or first.context_dates,
        context_names=part.context_names or first.context_names,
    )
