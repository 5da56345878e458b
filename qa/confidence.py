"""Which of the question's own words the answering passage leaves out, when it leaves out too many.

An answer whose passage passes every rule can still be about something else: the rules check names,
dates, the answer's type and the verb, not the rest of what was asked ("How many Grammy nominations
did Green Day receive?" answered from "Kanye West leads with 10 nominations"). The share of the
question's other content words (IDF-weighted, names excluded: the names rule has checked those)
that the passage contains tells many of these apart. Over the tune rounds, answers whose passage held
less than `CONFIDENT_COVERAGE` of them were right 64% of the time, the rest 87%; on the held-out
rounds (gold_fresh15 and gold_fresh16) 34% against 81%, though not on the suites' held-out halves,
whose questions carry context words a passage need not repeat (README, twelfth rerun). So the reader
is told which words are missing and asked to check the quote. Our own code: no library scores whether
a cited passage covers the question. Deliberately not a refusal rule: refusing below the threshold
would have refused 10 right answers with the 19 wrong ones on the held-out rounds. Not here: the
rules (`passages.py`).
"""

from __future__ import annotations

from collections.abc import Sequence

from qa.idf import TermWeights
from qa.passages import Parse, predicate_ok
from qa.question import Question
from qa.terms import content_words, stem, words_of

CONFIDENT_COVERAGE = 0.6  # set on the tune rounds (flagged answers right 64%, the rest 87%)
SHOWN = 6  # missing words named at most (a long question's context words can be many)


def unmatched(
    q: Question, passage: str, parses: Sequence[Parse], weights: TermWeights
) -> tuple[str, ...]:
    """The question's words (as asked, in order) missing from `passage` (parsed as `parses`) when the
    passage covers less than `CONFIDENT_COVERAGE` of the question's non-name terms; () when it covers
    enough."""
    plain = plain_terms(q)
    present = said(q, passage, parses)
    if not plain or weights.coverage(set(plain), present) >= CONFIDENT_COVERAGE:
        return ()
    missing = plain - present
    out: list[str] = []
    for word in q.text.split():
        word = word.strip("?!.,;:\"'“”‘’()")
        if word and content_words(word) & missing and word not in out:
            out.append(word)
    return tuple(out[:SHOWN])


def said(q: Question, passage: str, parses: Sequence[Parse]) -> set[str]:
    """The passage's words as stems, with their lemmas ("shot" says "shoot") and, when it states the
    question's predicate or a synonym ("sold" for "supplied"), the predicate's own words."""
    present = content_words(passage) | {stem(lemma) for p in parses for lemma in p.lemmas}
    if q.predicate and predicate_ok(q.predicate, list(parses), passage):
        present |= {stem(lemma) for lemma in q.predicate}
    return present


def plain_terms(q: Question) -> frozenset[str]:
    """The question's key terms that are not part of a name it gives."""
    in_names: set[str] = set().union(*(words_of(name) for name in q.names))  # stems, like key_terms
    return frozenset(q.key_terms - in_names)
