"""Pick the few sentences that bear on the question from the retrieved chunks, and number them.

Each candidate is a whole sentence of a retrieved chunk, quoted exactly from its document (offsets
come from ingestion). Sentences are ranked by the IDF-weighted share of the question's terms they
contain plus their embedding similarity to the question; the top few become evidence [1]..[n].
Short evidence keeps prompts small: tiny models follow them better and CPUs process them faster.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qa.idf import TermWeights
from qa.terms import content_words

# Text addressed to an AI rather than a reader is never evidence: documents are data, not instructions.
_INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(previous|prior|above|earlier|all|your)\b.{0,30}"
    r"\b(instructions?|prompts?|rules?|guidelines)\b|\byou are now\b|\bsystem prompt\b|\bas an ai\b",
    re.IGNORECASE,
)
LEXICAL_WEIGHT = 0.6  # vs. 0.4 for embedding similarity; set on eval/gold.jsonl (see README)


@dataclass(frozen=True)
class Sentence:
    doc_id: str
    title: str
    date: str
    start: int
    end: int
    text: str  # exactly document_text[start:end]
    chunk_rank: int
    lexical: float = 0.0
    dense: float = 0.0

    @property
    def score(self) -> float:
        return LEXICAL_WEIGHT * self.lexical + (1 - LEXICAL_WEIGHT) * self.dense


@dataclass(frozen=True)
class ChunkHit:
    """What evidence selection needs of a retrieved chunk."""

    doc_id: str
    title: str
    date: str
    sentences: Sequence[Sequence[int]]  # [start, end) spans into the document text


def candidates(hits: Sequence[ChunkHit], doc_text: Callable[[str], str]) -> list[Sentence]:
    """Every sentence of the retrieved chunks, once, quoted exactly from its document (minus injections)."""
    seen: set[tuple[str, int]] = set()
    out: list[Sentence] = []
    for rank, hit in enumerate(hits):
        text = doc_text(hit.doc_id)
        for start, end in hit.sentences:
            if (hit.doc_id, start) in seen or _INJECTION.search(text[start:end]):
                continue
            seen.add((hit.doc_id, start))
            out.append(Sentence(hit.doc_id, hit.title, hit.date, start, end, text[start:end], rank))
    return out


def rank(
    question_terms: set[str], pool: list[Sentence], weights: TermWeights, similarities: Sequence[float]
) -> list[Sentence]:
    """Score and sort candidates, best first (ties keep retrieval order)."""
    scored = [
        Sentence(
            **{
                **s.__dict__,
                "lexical": weights.coverage(question_terms, content_words(s.text)),
                "dense": float(sim),
            }
        )
        for s, sim in zip(pool, similarities, strict=True)
    ]
    return sorted(scored, key=lambda s: (-s.score, s.chunk_rank))


def number(ranked: list[Sentence], k: int) -> dict[int, Sentence]:
    """The top `k` sentences as evidence [1]..[k]."""
    return {i: s for i, s in enumerate(ranked[:k], start=1)}
