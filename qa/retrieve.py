"""Hybrid retrieval: dense (Chroma through llama-index) and BM25 (llama-index), fused by reciprocal rank.

Dense retrieval alone misses plain keyword matches on this corpus ("Who sanctioned whom?" does not
rank the EU-sanctions passage first); BM25 alone misses paraphrases. The keyword index and term
weights are built from what the store holds, so both retrievers see the same chunks; they are built
once per store version and saved (`keyword.py`), so a new process loads them instead of rebuilding.
Fusion is ours (a few lines): llama-index's fusion retriever dedupes by content hash, which differs between the two copies of a chunk, and discards the
per-retriever scores that abstention uses.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa import keyword
from qa.idf import TermWeights
from vectorstore.errors import StoreError
from vectorstore.store import ChunkStore

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

RRF_K = 60  # the constant from Cormack et al. (2009); damps the weight of top ranks


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    doc_id: str
    text: str
    score: float  # fused reciprocal-rank score
    dense: float  # cosine similarity to the question (0 when only BM25 found it)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    @property
    def date(self) -> str:
        return str(self.meta.get("date", ""))

    @property
    def sentences(self) -> list[list[int]]:
        return list(self.meta.get("sentences", []))


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
    ) -> list[Hit]:
        """The top-k chunks for `query`, fused from dense and keyword rankings."""
        self.refresh()
        assert self._index is not None
        k = top_k or self.top_k
        depth = max(2 * k, 10)  # each retriever's candidates before fusion
        vec = query_vec or self.embed_query(query)
        dense = self.store.nearest(vec, depth)
        chunks = {c.chunk_id: c for c, _ in dense}
        similarity = {c.chunk_id: sim for c, sim in dense}
        fused = fuse([[c.chunk_id for c, _ in dense], self._index.search(query, depth)])
        # Keyword-only hits are fetched (one request): chunk texts are not held in memory.
        chunks.update(self.store.get_chunks([i for i, _ in fused if i not in chunks]))
        # A document's record is written last: chunks without one belong to an interrupted ingest (or
        # removal) and are not answerable yet; citing them would fail on the missing document text.
        known = self.store.known_docs({chunks[i].doc_id for i, _ in fused if i in chunks})
        hits: list[Hit] = []
        for chunk_id, score in fused:
            chunk = chunks.get(chunk_id)
            if chunk is not None and chunk.doc_id in known and len(hits) < k:
                hits.append(
                    Hit(
                        chunk_id,
                        chunk.doc_id,
                        chunk.text,
                        score,
                        float(similarity.get(chunk_id, 0.0)),
                        chunk.metadata,
                    )
                )
        return hits
