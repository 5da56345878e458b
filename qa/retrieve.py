"""Hybrid retrieval: dense (Chroma through llama-index) and BM25 (llama-index), fused by reciprocal rank.

Dense retrieval alone misses plain keyword matches on this corpus ("Who sanctioned whom?" does not
rank the EU-sanctions passage first); BM25 alone misses paraphrases. The keyword index and term
weights are built from what the store holds, so both retrievers always see the same chunks, and are
rebuilt when the store's chunk count changes. Fusion is ours (a few lines): llama-index's fusion
retriever dedupes by content hash, which differs between the two copies of a chunk, and discards the
per-retriever scores that abstention uses.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qa.idf import TermWeights
from vectorstore.errors import StoreError
from vectorstore.store import ChunkStore, StoredChunk, clean_metadata

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


def keyword_index(chunks: list[StoredChunk]) -> Any:
    """llama-index's BM25 over the chunk texts; how many results it returns is set per query."""
    from llama_index.core.schema import BaseNode, TextNode
    from llama_index.retrievers.bm25 import BM25Retriever

    nodes: list[BaseNode] = [TextNode(id_=c.chunk_id, text=c.text) for c in chunks]
    return BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=min(10, len(nodes)))


class HybridRetriever:
    def __init__(self, store: ChunkStore, embedder: BaseEmbedding, top_k: int) -> None:
        self.store = store
        self.embedder = embedder
        self.top_k = top_k
        self._lock = threading.Lock()
        self._bm25_lock = threading.Lock()  # its result size is set per query
        self._count = -1
        self._chunks: dict[str, StoredChunk] = {}
        self._bm25: Any = None
        self.weights = TermWeights([])

    def refresh(self, force: bool = False) -> None:
        """(Re)build the keyword index and term weights when the store changed."""
        with self._lock:
            count = self.store.count()
            if count == self._count and not force:
                return
            if count == 0:
                raise StoreError(
                    "The index is empty.", "Run `qa ingest` first (or upload documents in the UI)."
                )
            chunks = self.store.all_chunks()
            self._bm25 = keyword_index(chunks)
            self._chunks = {c.chunk_id: c for c in chunks}
            self.weights = TermWeights(c.text for c in chunks)
            self._count = count

    def embed_query(self, query: str) -> list[float]:
        return list(self.embedder.get_query_embedding(query))

    def retrieve(
        self, query: str, query_vec: list[float] | None = None, top_k: int | None = None
    ) -> list[Hit]:
        """The top-k chunks for `query`, fused from dense and keyword rankings."""
        from llama_index.core.vector_stores.types import VectorStoreQuery

        self.refresh()
        k = top_k or self.top_k
        depth = max(2 * k, 10)  # each retriever's candidates before fusion
        vec = query_vec or self.embed_query(query)
        with self.store.access():  # a Chroma server that went away is a StoreError, not an httpx one
            result = self.store.vector_store.query(
                VectorStoreQuery(query_embedding=vec, similarity_top_k=depth)
            )
        dense_ids = list(result.ids or [])
        dense = dict(zip(dense_ids, result.similarities or [], strict=False))
        keyword_ids = self._keyword(query, depth)
        fused = [
            (i, score, self._chunks.get(i) or self._fetch(i)) for i, score in fuse([dense_ids, keyword_ids])
        ]
        # A document's record is written last: chunks without one belong to an interrupted ingest (or
        # removal) and are not answerable yet; citing them would fail on the missing document text.
        known = self.store.known_docs({chunk.doc_id for _, _, chunk in fused if chunk is not None})
        hits: list[Hit] = []
        for chunk_id, score, chunk in fused:
            if chunk is not None and chunk.doc_id in known and len(hits) < k:
                hits.append(
                    Hit(
                        chunk_id,
                        chunk.doc_id,
                        chunk.text,
                        score,
                        float(dense.get(chunk_id, 0.0)),
                        chunk.metadata,
                    )
                )
        return hits

    def _keyword(self, query: str, depth: int) -> list[str]:
        """BM25's top `depth` ids. Asking for no more than needed matters: llama-index rebuilds a node
        from stored JSON for every result (100 results cost more than the whole dense search)."""
        if self._bm25 is None:
            return []
        with self._bm25_lock:
            self._bm25.similarity_top_k = min(depth, self._count)
            return [n.node.node_id for n in self._bm25.retrieve(query)]

    def _fetch(self, chunk_id: str) -> StoredChunk | None:
        """A chunk written after the keyword index was built (another process ingested)."""
        with self.store.access():
            got = self.store.chunks.get(ids=[chunk_id], include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        meta = clean_metadata(got["metadatas"][0])
        return StoredChunk(chunk_id, str(meta["doc_id"]), str(got["documents"][0]), meta)
