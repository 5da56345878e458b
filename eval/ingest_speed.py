"""Ingestion throughput of a folder into a fresh embedded store, next to the embedder's own batched speed.

Ingestion runs exactly as `qa ingest` runs it (`wiring.ingest`: real embedder, embedded Chroma),
minus the keyword index, which `qa bench` times on its own. The
same chunk texts are then encoded by the underlying SentenceTransformer alone, so `ingest_over_encode`
says how much ingestion costs beyond embedding (loading, splitting, llama-index nodes, Chroma writes).
It does not generate corpora (`eval.synthetic`) and measures nothing about retrieval.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from eval.percentiles import ratio
from qa import wiring
from vectorstore.ingest import chunk_source
from vectorstore.load import find_files, load_file


def chunk_texts(paths: list[Path], size: int, overlap: int, max_bytes: int) -> list[str]:
    """The chunk texts ingestion embeds for these files and folders."""
    texts: list[str] = []
    for path in find_files(paths):
        texts += [c.text for c in chunk_source(load_file(path, max_bytes), size, overlap)]
    return texts


def encode_s(embedder: Any, texts: list[str], batch_size: int) -> float:
    """Seconds for sentence-transformers' own batched, normalized encode of `texts`."""
    t = time.perf_counter()
    embedder._model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
    return time.perf_counter() - t


def measure_folder(
    folder: Path, data_dir: Path, settings: Any, embedder: Any, label: str, progress_bar: bool = False
) -> dict[str, Any]:
    """Ingest `folder` into a new store under `data_dir`, then time the bare encode of the same chunks."""
    from tqdm import tqdm

    local = settings.model_copy(update={"data_dir": data_dir, "chroma_url": None})
    max_bytes = int(settings.max_file_mb * 1e6)
    bar = (
        tqdm(total=0, unit="chunk", desc=f"Ingesting {label}", leave=False, file=sys.stderr)
        if progress_bar
        else None
    )

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.refresh()

    t = time.perf_counter()
    report = wiring.ingest(local, [folder], progress=progress, embed=embedder, keyword_index=False)
    ingest_s = time.perf_counter() - t
    if bar is not None:
        bar.close()
    texts = chunk_texts([folder], settings.chunk_size, settings.chunk_overlap, max_bytes)
    bare_s = encode_s(embedder, texts, settings.embed_batch_size)
    docs, chunks = len(report.added), report.chunks_written
    return {
        "label": label,
        "files": len(list(find_files([folder]))),
        "documents": docs,
        "chunks": chunks,
        "warnings": len(report.warnings),
        "ingest_s": round(ingest_s, 2),
        "docs_per_s": ratio(docs, ingest_s),
        "chunks_per_s": ratio(chunks, ingest_s),
        "encode_s": round(bare_s, 2),
        "encode_chunks": len(texts),
        "encode_chunks_per_s": ratio(len(texts), bare_s),
        "ingest_over_encode": ratio(ingest_s, bare_s),
    }
