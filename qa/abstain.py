"""Can the evidence answer the question at all? Decided before any model call.

Three checks, all ours (similarity scores alone cannot tell: unanswerable questions about this
corpus score 0.5-0.6 cosine, like answerable ones): (1) every proper name and number the question
mentions must appear in the evidence ("How many drones did China send?" cannot be answered from
sentences that never mention China); (2) the IDF-weighted share of the question's terms that the
top evidence contains must reach a threshold calibrated on eval/gold.jsonl; (3) a question that
wants a figure, a date or a name needs an evidence sentence holding one (a number or name the
question does not already contain, a date) next to at least one of its key terms: "What is the
population of Kyiv?" is not answered by a casualty count. On the gold set (3) refuses 4 more of
the 17 unanswerable questions and none of the 80 answerable ones.
It does not judge whether a fluent answer is right; verification does that afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qa.condense import own_words
from qa.idf import TermWeights
from qa.terms import content_words, name_in, names, numbers, stem, words_of

_WANTS_FIGURE = re.compile(
    r"\b(how (many|much|old|long|far|big|large|fast)|what (number|percentage|share|amount)|"
    r"what (is|was|are|were) the (population|cost|price|speed|top speed|age|range|death toll|number))\b",
    re.I,
)
_WANTS_DATE = re.compile(
    r"^\s*(when\b|(in|on) what (year|date|day|month)|what (year|date|day|month)\b)", re.I
)
_WANTS_NAME = re.compile(
    r"^\s*(who|whom)\b|^\s*what (is|are|was|were) the names? of\b|"
    r"^\s*which (country|countries|company|companies|person|people|official|officials|minister|leader)\b",
    re.I,
)
_DATE = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|\d{4}|"
    r"last (week|month|year)|(earlier|later) this (week|month|year))\b",
    re.I,
)


def coverage(question: str, evidence: Iterable[str], weights: TermWeights) -> float:
    """IDF-weighted share of the question's content terms present in the evidence texts."""
    present: set[str] = set()
    for text in evidence:
        present |= content_words(text)
    return weights.coverage(content_words(question), present)


def missing_specifics(question: str, evidence: Iterable[str]) -> list[str]:
    """Names and numbers of the question that no evidence sentence mentions."""
    text = " ".join(evidence)
    vocabulary = words_of(text)
    missing = [n for n in sorted(names(question)) if not name_in(n, vocabulary)]
    return missing + sorted(numbers(question) - numbers(text))


def wanted_kind(question: str) -> str:
    """'figure', 'date', 'name' or '' for what the question asks for (its own words, not the context)."""
    own = own_words(question)
    if _WANTS_FIGURE.search(own):
        return "figure"
    if _WANTS_DATE.search(own):
        return "date"
    return "name" if _WANTS_NAME.search(own) else ""


def has_kind(kind: str, sentence: str, question: str) -> bool:
    """Does `sentence` hold an answer of this kind that the question does not already contain?"""
    if kind == "figure":
        return bool(numbers(sentence) - numbers(question))
    if kind == "date":
        return bool(_DATE.search(sentence))
    if kind == "name":
        return bool(names(sentence) - names(question))
    return True


def lacks_answer_kind(question: str, evidence: Iterable[str]) -> str:
    """The kind of answer wanted when no evidence sentence offers one beside a key term ('' if fine)."""
    kind = wanted_kind(question)
    if not kind:
        return ""
    asked_names = names(question)
    key = content_words(question) - asked_names - {stem(n) for n in asked_names}
    for sentence in evidence:
        if has_kind(kind, sentence, question) and (not key or key & content_words(sentence)):
            return ""
    return kind


def should_abstain(question: str, evidence: list[str], weights: TermWeights, min_coverage: float) -> str:
    """A reason to abstain ('' when the evidence may answer)."""
    if not evidence:
        return "nothing relevant was retrieved"
    missing = missing_specifics(question, evidence)
    if missing:
        return f"the documents never mention {', '.join(missing)} in this context"
    kind = lacks_answer_kind(question, evidence)
    if kind:
        return f"no passage gives a {kind} for what was asked"
    share = coverage(question, evidence[:3], weights)
    if share < min_coverage:
        return f"the best passages cover only {share:.0%} of the question's key terms"
    return ""
