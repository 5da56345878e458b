"""Group sentences into chunks: runs of whole sentences up to a size, with sentence overlap.

A chunk never cuts a sentence. It records its span `[start, end)` in the document and the spans of
its sentences, so any sentence can later be quoted verbatim and highlighted. Chunk ids derive from
the document id, the span and the chunk's text: the same text always gives the same ids.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from vectorstore.sentences import Span


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    start: int
    end: int
    sentences: tuple[Span, ...]
    text: str  # the chunk's sentences joined by single spaces (boilerplate between them left out)

    @property
    def id(self) -> str:
        return chunk_id(self.doc_id, self.start, self.end, self.text)


def chunk_id(doc_id: str, start: int, end: int, text: str) -> str:
    """`doc:start-end:hash`: the span locates the chunk, the hash tells an edited file's chunk apart."""
    return f"{doc_id}:{start}-{end}:{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}"


def _groups(sentences: list[Span], size: int, overlap: int) -> list[list[Span]]:
    """Greedy packing of consecutive sentences; each group after the first repeats `overlap` sentences."""
    groups: list[list[Span]] = []
    i = 0
    while i < len(sentences):
        group = [sentences[i]]
        j = i + 1
        while j < len(sentences) and sentences[j][1] - group[0][0] <= size:
            group.append(sentences[j])
            j += 1
        groups.append(group)
        if j >= len(sentences):
            break
        i = max(i + 1, j - overlap)  # always advance, even when one sentence exceeds `size`
    return groups


def chunk_document(doc_id: str, text: str, sentences: list[Span], size: int, overlap: int) -> list[Chunk]:
    """Chunks of `text` made of whole `sentences` (spans into `text`)."""
    chunks = []
    for group in _groups(sentences, size, overlap):
        body = " ".join(" ".join(text[s:e].split()) for s, e in group)
        chunks.append(Chunk(doc_id, group[0][0], group[-1][1], tuple(group), body))
    return chunks
