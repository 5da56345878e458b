"""Hybrid retrieval: dense (Chroma through llama-index) and BM25 (llama-index), fused by reciprocal rank.

Dense retrieval alone misses plain keyword matches on this corpus ("Who sanctioned whom?" does not
rank the EU-sanctions passage first); BM25 alone misses paraphrases. The keyword index and term
weights are built from what the store holds, so both retrievers see the same chunks; they are built
once per store version and saved (`keyword.py`), so a new process loads them instead of rebuilding.
Four pieces, each a method: the dense retriever (the store's nearest chunks), the keyword retriever
(the saved BM25 index), the fusion, and the filter that keeps only documents with a record. Fusion
is ours (a few lines): llama-index's fusion retriever dedupes by content hash, which differs between
the two copies of a chunk, and discards the per-retriever scores. Chroma stays behind `ChunkStore`.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from qa import keyword
from qa.idf import TermWeights
from vectorstore.errors import StoreError
from vectorstore.passage import Passage
from vectorstore.store import ChunkStore

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

RRF_K = 60  # the constant from Cormack et al. (2009); damps the weight of top ranks


def fuse(rankings: list[list[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal rank fusion of ranked id lists; each id once, best first, ties by first appearance."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(dict.fromkeys(ranking)):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank + 1)
    return sorted(scores.items(), key=lambda kv: -kv[1])


class HybridRetriever:
    def __init__(
        self, store: ChunkStore, embedder: BaseEmbedding, top_k: int, index_dir: Path | None = None
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.top_k = top_k
        self.index_dir = index_dir  # where keyword indexes are saved; None keeps them in memory only
        self._lock = threading.Lock()
        self._index: keyword.KeywordIndex | None = None

    @property
    def weights(self) -> TermWeights:
        return self._index.weights if self._index is not None else TermWeights([])

    def refresh(self, force: bool = False) -> None:
        """Load the keyword index of the store's current version (one cheap stamp read when unchanged).

        A version is stamped after each completed change, so an index built by another process (an
        ingest, the UI) is picked up here; `force` reloads even when the stamp is the same."""
        with self._lock:
            if self._index is not None and not force and self.store.version() == self._index.version:
                return
            if self.store.count() == 0:
                raise StoreError(
                    "The index is empty.", "Run `qa ingest` first (or upload documents in the UI)."
                )
            self._index = keyword.load_or_build(self.store, self.index_dir)

    def embed_query(self, query: str) -> list[float]:
        return list(self.embedder.get_query_embedding(query))

    def retrieve(
        self, query: str, query_vec: list[float] | None = None, top_k: int | None = None
    ) -> list[Passage]:
        """The top-k chunks for `query`, fused from dense and keyword rankings (`score`: fused)."""
        self.refresh()
        k = top_k or self.top_k
        depth = max(2 * k, 10)  # each retriever's candidates before fusion
        dense = self.dense(query_vec or self.embed_query(query), depth)
        fused = fuse([[c.chunk_id for c in dense], self.keyword(query, depth)])
        chunks = {c.chunk_id: c for c in dense}
        # Keyword-only hits are fetched (one request): chunk texts are not held in memory.
        chunks.update(self.store.get_chunks([i for i, _ in fused if i not in chunks]))
        ranked = [replace(chunks[i], score=score) for i, score in fused if i in chunks]
        return self.answerable(ranked)[:k]

    def dense(self, query_vec: list[float], depth: int) -> list[Passage]:
        """The dense retriever: nearest chunks by embedding (`dense`: cosine similarity)."""
        return self.store.nearest(query_vec, depth)

    def keyword(self, query: str, depth: int) -> list[str]:
        """The keyword retriever: chunk ids by BM25 over the saved index of the store's version."""
        assert self._index is not None
        return self._index.search(query, depth)

    def answerable(self, passages: list[Passage]) -> list[Passage]:
        """Passages whose document has a record. The record is written last: chunks without one belong
        to an interrupted ingest (or removal) and citing them would fail on the missing document text."""
        known = self.store.known_docs({p.doc_id for p in passages})
        return [p for p in passages if p.doc_id in known]
