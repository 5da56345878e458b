"""The one passage type: a span of one document, from the store through retrieval, evidence and citation.

A chunk read from the store, a retrieved chunk with its fused score, an evidence sentence with its
ranking scores and the quote a citation shows are all a `Passage`: the same document id, span, text
and document fields, with the scores of whichever step produced it. Steps make new passages with
`dataclasses.replace`; nothing mutates one. It holds no logic beyond building itself from stored
metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Passage:
    doc_id: str
    start: int  # [start, end) into the document text
    end: int
    text: (
        str  # a sentence: exactly the document text at [start, end); a chunk: its whitespace-normalized text
    )
    title: str = ""
    date: str = ""
    chunk_id: str = ""  # the chunk this passage is, or was found in
    sentences: tuple[tuple[int, int], ...] = ()  # a chunk's sentence spans into the document text
    metadata: Mapping[str, Any] = field(default_factory=dict)  # everything the store keeps with a chunk
    score: float = 0.0  # the producing step's score: fused rank score (retrieval), weighted score (evidence)
    dense: float = 0.0  # cosine similarity to the question (0 when only the keyword index found it)
    lexical: float = 0.0  # IDF-weighted share of the question's terms it contains (evidence only)
    rank: int = 0  # retrieval rank of its chunk (ties in evidence ranking keep retrieval order)


def chunk_passage(chunk_id: str, text: str, meta: Mapping[str, Any]) -> Passage:
    """A stored chunk (its cleaned metadata as `store.clean_metadata` returns it) as a passage."""
    return Passage(
        doc_id=str(meta["doc_id"]),
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", 0)),
        text=text,
        title=str(meta.get("title", "")),
        date=str(meta.get("date", "")),
        chunk_id=chunk_id,
        sentences=tuple((int(s), int(e)) for s, e in meta.get("sentences", [])),
        metadata=dict(meta),
    )
