"""Can the evidence answer the question at all? Decided before any model call.

Two checks, both ours (similarity scores alone cannot tell: unanswerable questions about this
corpus score 0.5-0.6 cosine, like answerable ones): (1) the IDF-weighted share of the question's
terms that the top evidence contains must reach a threshold calibrated on eval/gold.jsonl, and
(2) every proper name and number the question mentions must appear in the evidence ("How many
drones did China send?" cannot be answered from sentences that never mention China).
It does not judge whether a fluent answer is right; verification does that afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable

from qa.idf import TermWeights
from qa.terms import content_words, name_in, names, numbers, words_of


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


def should_abstain(question: str, evidence: list[str], weights: TermWeights, min_coverage: float) -> str:
    """A reason to abstain ('' when the evidence may answer)."""
    if not evidence:
        return "nothing relevant was retrieved"
    missing = missing_specifics(question, evidence)
    if missing:
        return f"the documents never mention {', '.join(missing)} in this context"
    share = coverage(question, evidence[:3], weights)
    if share < min_coverage:
        return f"the best passages cover only {share:.0%} of the question's key terms"
    return ""
