"""Pick the few sentences that bear on the question from the retrieved chunks, and number them.

Each candidate is a whole sentence of a retrieved chunk, quoted exactly from its document (offsets
come from ingestion). Sentences are ranked by the IDF-weighted share of the question's terms they
contain plus their embedding similarity to the question; the top few become evidence [1]..[n].
Short evidence keeps prompts small: tiny models follow them better and CPUs process them faster.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from qa.idf import TermWeights
from qa.terms import content_words
from vectorstore.passage import Passage

# Text addressed to an AI rather than a reader is never evidence: documents are data, not instructions.
_INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(previous|prior|above|earlier|all|your)\b.{0,30}"
    r"\b(instructions?|prompts?|rules?|guidelines)\b|\byou are now\b|\bsystem prompt\b|\bas an ai\b",
    re.IGNORECASE,
)
LEXICAL_WEIGHT = 0.6  # vs. 0.4 for embedding similarity; set on eval/gold.jsonl (see README)


def is_injection(text: str) -> bool:
    """Whether a sentence addresses an AI ("ignore all previous instructions …"): never evidence."""
    return _INJECTION.search(text) is not None


def candidates(chunks: Sequence[Passage], doc_text: Callable[[str], str]) -> list[Passage]:
    """Every sentence of the retrieved chunks, once, quoted exactly from its document (minus injections);
    each keeps its chunk's id and retrieval rank."""
    seen: set[tuple[str, int]] = set()
    out: list[Passage] = []
    for rank, chunk in enumerate(chunks):
        text = doc_text(chunk.doc_id)
        for start, end in chunk.sentences:
            if (chunk.doc_id, start) in seen or is_injection(text[start:end]):
                continue
            seen.add((chunk.doc_id, start))
            sentence = Passage(
                chunk.doc_id, start, end, text[start:end], chunk.title, chunk.date, chunk.chunk_id, rank=rank
            )
            out.append(sentence)
    return out


def rank(
    question_terms: set[str], pool: list[Passage], weights: TermWeights, similarities: Sequence[float]
) -> list[Passage]:
    """Score and sort candidates, best first (ties keep retrieval order)."""
    scored = [
        scored_sentence(s, weights.coverage(question_terms, content_words(s.text)), float(sim))
        for s, sim in zip(pool, similarities, strict=True)
    ]
    return sorted(scored, key=lambda s: (-s.score, s.rank))


def scored_sentence(sentence: Passage, lexical: float, dense: float) -> Passage:
    """The sentence with its two scores and their weighted sum as `score`."""
    score = LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * dense
    return replace(sentence, lexical=lexical, dense=dense, score=score)


def number(ranked: list[Passage], k: int) -> dict[int, Passage]:
    """The top `k` sentences as evidence [1]..[k]."""
    return {i: s for i, s in enumerate(ranked[:k], start=1)}
