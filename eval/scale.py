"""Retrieval latency at 10^3..10^5 chunks, for the embedded store and a `chroma run` server.

Synthetic chunks (`eval.synthetic.scale_doc`: real sentence structure, exact spans) are written
straight into the chunk collection in batches, with seeded random unit vectors instead of embeddings:
HNSW search time does not depend on what the vectors mean, and embedding 10^5 chunks would take
most of an hour on two cores. The store grows size by size; at each size the keyword index is rebuilt
and saved, then loaded as a new process would (both timed), and `HybridRetriever.retrieve` is timed end to end, query embedding included.
Not measured here: answer quality (the vectors are random, so dense hits are meaningless), ingestion
speed (`eval.ingest_speed`), or the Chroma server's own memory.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eval.percentiles import summarize
from eval.synthetic import ScaleDoc, scale_doc
from qa import keyword
from qa.retrieve import HybridRetriever
from vectorstore.ingest import chunk_node
from vectorstore.store import ChunkStore, DocRecord

DIM = 384  # all-MiniLM-L6-v2
BATCH = 5000  # chunks per write
CHUNKS_PER_DOC = 10
WARMUP_QUERIES = 3
NOTE = (
    "Scale tests use seeded random unit vectors, not embeddings: retrieval latency does not depend on "
    "vector content (random high-dimensional vectors are, if anything, harder for HNSW)."
)


def unit_vectors(rng: Any, n: int, dim: int = DIM) -> Any:
    """`n` random vectors of length 1 (numpy float32, shape n x dim)."""
    import numpy as np

    vectors = rng.standard_normal((n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def chunk_metadata(doc: ScaleDoc, chunk: Any) -> dict[str, Any]:
    """The metadata ingestion stores for a chunk, llama-index's bookkeeping keys included."""
    from llama_index.core.vector_stores.utils import node_to_metadata_dict

    node = chunk_node(doc.doc_id, doc.title, doc.date, f"synthetic/{doc.doc_id}.txt", chunk)
    return node_to_metadata_dict(node, remove_text=True, flat_metadata=True)


def put_docs(store: ChunkStore, docs: Sequence[ScaleDoc]) -> None:
    """Records for a batch of synthetic documents, written the way ingestion writes them."""
    records = [
        DocRecord(
            d.doc_id,
            d.title,
            d.date,
            "",
            f"synthetic/{d.doc_id}.txt",
            "synthetic",
            "synthetic/3-sentence chunks",
            len(d.chunks),
        )
        for d in docs
    ]
    store.put_docs(list(zip(records, [d.text for d in docs], strict=True)))


def sentences_per_chunk(sentences: list[str], chunk_chars: int) -> int:
    """How many average sentences fill a chunk of `chunk_chars` (at least one), as ingestion would pack them."""
    mean = sum(len(x) for x in sentences) / max(len(sentences), 1)
    return max(1, round(chunk_chars / max(mean, 1.0)))


def grow(
    store: ChunkStore,
    have: int,
    target: int,
    sentences: list[str],
    per_chunk: int,
    rng: random.Random,
    np_rng: Any,
) -> int:
    """Add chunks `have`..`target` (whole documents of CHUNKS_PER_DOC) in batches of BATCH; the new count."""
    per_batch = BATCH // CHUNKS_PER_DOC
    first, last = have // CHUNKS_PER_DOC, -(-target // CHUNKS_PER_DOC)
    for start in range(first, last, per_batch):
        indexes = range(start, min(start + per_batch, last))
        docs = [scale_doc(rng, sentences, i, CHUNKS_PER_DOC, per_chunk) for i in indexes]
        pairs = [(d, c) for d in docs for c in d.chunks]
        store.chunks.add(
            ids=[c.id for _, c in pairs],
            embeddings=unit_vectors(np_rng, len(pairs)),
            documents=[c.text for _, c in pairs],
            metadatas=[chunk_metadata(d, c) for d, c in pairs],
        )
        put_docs(store, docs)
    return last * CHUNKS_PER_DOC


def keyword_times(store: ChunkStore, folder: Path) -> tuple[float, float]:
    """(seconds to build the keyword index from the store, seconds for a new process to load it saved)."""
    t0 = time.perf_counter()
    index = keyword.build(store, "scale")
    t1 = time.perf_counter()
    keyword.save(index, folder)
    t2 = time.perf_counter()
    keyword.load(folder, "scale")
    return t1 - t0, time.perf_counter() - t2


def query_latency(retriever: HybridRetriever, queries: Sequence[str]) -> list[float]:
    """Milliseconds per `retrieve(query)` (embedding included), after a few untimed warm-up queries."""
    for q in queries[:WARMUP_QUERIES]:
        retriever.retrieve(q)
    out = []
    for q in queries:
        t = time.perf_counter()
        retriever.retrieve(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def embed_latency(retriever: HybridRetriever, queries: Sequence[str]) -> list[float]:
    """Milliseconds per query embedding alone: the part of `retrieve` that no store size changes."""
    out = []
    for q in queries:
        t = time.perf_counter()
        retriever.embed_query(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def measure_store(
    store: ChunkStore,
    embedder: Any,
    sizes: Sequence[int],
    queries: Sequence[str],
    top_k: int,
    sentences: list[str],
    chunk_chars: int,
    seed: int = 0,
    echo: Callable[[str], None] = print,
) -> list[dict[str, Any]]:
    """One row per size (ascending): write time, keyword-index rebuild times, retrieval p50/p95."""
    import numpy as np

    rng, np_rng = random.Random(seed), np.random.default_rng(seed)
    per_chunk = sentences_per_chunk(sentences, chunk_chars)
    rows, have = [], store.count()
    for size in sorted(sizes):
        t = time.perf_counter()
        have = grow(store, have, size, sentences, per_chunk, rng, np_rng)
        write_s = time.perf_counter() - t
        retriever = HybridRetriever(store, embedder, top_k)
        t = time.perf_counter()
        retriever.refresh()
        refresh_s = time.perf_counter() - t
        with tempfile.TemporaryDirectory(prefix="qa-keyword-") as tmp:
            build_s, load_s = keyword_times(store, Path(tmp))
        latency = summarize(query_latency(retriever, queries))
        rows.append(
            {
                "chunks": store.count(),
                "sentences_per_chunk": per_chunk,
                "write_s": round(write_s, 2),
                "refresh_s": round(refresh_s, 2),
                "keyword_build_s": round(build_s, 2),
                "keyword_load_s": round(load_s, 3),
                "latency_ms": latency,
                "embed_only_ms": summarize(embed_latency(retriever, queries)),
            }
        )
        echo(
            f"  {store.count():>7} chunks: write {write_s:.1f} s, keyword index {refresh_s:.1f} s, "
            f"retrieve p50 {latency['p50']} ms, p95 {latency['p95']} ms"
        )
    return rows
