"""Bring files into the store: incremental, idempotent, and safe to interrupt.

A content hash per document decides: unchanged files write nothing; a changed file gets its new
chunks written, then its stale chunks removed, then its record (hash last), so a killed ingest is
simply completed by the next one. Memory stays bounded: documents are embedded in groups. A
completed ingest that changed anything renews the store's version stamp, last.
It does not parse files (`load.py`) or split them (`sentences.py`, `chunking.py`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vectorstore import relations
from vectorstore.chunking import Chunk, chunk_document
from vectorstore.edge import Edge
from vectorstore.errors import InputError
from vectorstore.load import SUPPORTED, SourceDocument, find_files, load_file
from vectorstore.sentences import split_sentences
from vectorstore.store import ChunkStore, DocRecord

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from llama_index.core.schema import TextNode
    from spacy.language import Language

GROUP_CHUNKS = 512  # chunks embedded and written together: bounds memory on huge corpora


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    chunks_written: int = 0
    total_chunks: int = 0
    edges_written: int = 0
    relations_seconds: float = 0.0  # of `seconds`, spent extracting relation edges
    seconds: float = 0.0

    def summary(self) -> str:
        edges = f"{self.edges_written} relation edges extracted; " if self.edges_written else ""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed; {self.chunks_written} chunks written, {self.total_chunks} in "
            f"the index; {edges}{self.seconds:.1f} s"
        )


def chunk_source(doc: SourceDocument, size: int, overlap: int) -> list[Chunk]:
    return chunk_document(doc.doc_id, doc.text, split_sentences(doc.text, doc.skip), size, overlap)


def _extract(docs: list[SourceDocument], nlp: Language, report: IngestReport) -> list[Edge]:
    """The relation edges of `docs` (their sentences outside boilerplate), timed into the report."""
    started = time.perf_counter()
    work = [
        relations.Article(d.doc_id, d.text, split_sentences(d.text, d.skip), d.date, d.title) for d in docs
    ]
    edges = relations.extract_many(work, nlp)
    report.relations_seconds += time.perf_counter() - started
    report.edges_written += len(edges)
    return edges


def chunk_node(
    doc_id: str, title: str, date: str, source: str, chunk: Chunk, vector: list[float] | None = None
) -> TextNode:
    """A chunk as the llama-index node the store keeps: text, spans and document fields as metadata."""
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    meta: dict[str, Any] = {
        "doc_id": doc_id,
        "title": title,
        "date": date,
        "source": source,
        "start": chunk.start,
        "end": chunk.end,
        "sentences": json.dumps([list(s) for s in chunk.sentences]),
    }
    node = TextNode(
        id_=chunk.id,
        text=chunk.text,
        metadata=meta,
        embedding=vector,
        excluded_embed_metadata_keys=list(meta),
        excluded_llm_metadata_keys=list(meta),
    )
    node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=doc_id)
    return node


def _nodes(doc: SourceDocument, chunks: list[Chunk], vectors: list[list[float]]) -> list[TextNode]:
    return [
        chunk_node(doc.doc_id, doc.title, doc.date, doc.source, c, v)
        for c, v in zip(chunks, vectors, strict=True)
    ]


def _write(
    store: ChunkStore,
    group: list[tuple[SourceDocument, list[Chunk], list[list[float]]]],
    chunking: str,
    edges: list[Edge],
    extractor: str,
) -> None:
    """A group of documents: all new chunks first, stale ones second, their edges third, the records
    (with hashes and the extractor's version) last.

    Batched per group, not per document: each Chroma write commits, and three commits per document
    made ingest several times slower than embedding the same chunks.
    """
    existing = store.chunk_ids_by_doc([doc.doc_id for doc, _, _ in group])
    nodes: list[TextNode] = []
    stale: list[str] = []
    for doc, chunks, vectors in group:
        have = existing.get(doc.doc_id, set())
        fresh = [(c, v) for c, v in zip(chunks, vectors, strict=True) if c.id not in have]
        nodes += _nodes(doc, [c for c, _ in fresh], [v for _, v in fresh])
        stale += sorted(have - {c.id for c in chunks})
    store.add_chunks(nodes)
    store.delete_chunks(stale)
    store.replace_edges([doc.doc_id for doc, _, _ in group], edges)
    store.put_docs([(_record(doc, chunking, len(chunks), extractor), doc.text) for doc, chunks, _ in group])


def _record(doc: SourceDocument, chunking: str, n_chunks: int, extractor: str) -> DocRecord:
    return DocRecord(
        doc.doc_id, doc.title, doc.date, doc.author, doc.source, doc.sha256, chunking, n_chunks, extractor
    )


def _load_all(paths: Iterable[Path], max_bytes: int, report: IngestReport) -> list[SourceDocument]:
    files = list(find_files(paths))  # a missing path fails here, before anything is written
    docs: dict[str, SourceDocument] = {}
    for path in files:
        if path.suffix.lower() not in SUPPORTED:
            report.warnings.append(f"{path}: skipped, unsupported file type (use .txt, .md or .html).")
            continue
        try:
            doc = load_file(path, max_bytes)
        except InputError as exc:
            report.warnings.append(f"{exc} Skipped.")
            continue
        if doc.doc_id in docs:
            report.warnings.append(
                f"{path}: skipped, its id '{doc.doc_id}' is already used by {docs[doc.doc_id].source}."
            )
            continue
        report.warnings.extend(doc.warnings)
        docs[doc.doc_id] = doc
    return list(docs.values())


def ingest(
    paths: Iterable[Path],
    store: ChunkStore,
    embedder: BaseEmbedding,
    *,
    chunk_size: int,
    chunk_overlap: int,
    max_bytes: int,
    prune: bool = False,
    progress: Callable[[int, int], None] | None = None,
    nlp: Language | None = None,
) -> IngestReport:
    """Ingest files and folders; with `prune`, remove documents whose files are gone; with `nlp`,
    extract relation edges too (without it, unchanged documents keep their edges and changed ones
    lose them until an ingest with a pipeline extracts them again)."""
    started = time.perf_counter()
    report = IngestReport()
    docs = _load_all(paths, max_bytes, report)
    records = store.doc_records()
    chunking = f"sentences/{chunk_size}/{chunk_overlap}"
    extractor = relations.version() if nlp is not None else ""
    todo: list[tuple[SourceDocument, list[Chunk]]] = []
    stale_edges: list[SourceDocument] = []  # unchanged documents whose edges an older extractor made
    for doc in docs:
        old = records.get(doc.doc_id)
        if old and old.sha256 == doc.sha256 and old.chunking == chunking:
            report.unchanged.append(doc.doc_id)
            if nlp is not None and old.relations != extractor:
                stale_edges.append(doc)
            continue
        (report.updated if old else report.added).append(doc.doc_id)
        todo.append((doc, chunk_source(doc, chunk_size, chunk_overlap)))
    total = sum(len(c) for _, c in todo)
    done = 0
    for group in _groups(todo):
        texts = [c.text for _, chunks in group for c in chunks]
        vectors = embed_by_length(embedder, texts)
        at, batch = 0, []
        for doc, chunks in group:
            batch.append((doc, chunks, vectors[at : at + len(chunks)]))
            at += len(chunks)
        # without a pipeline a changed document loses its old edges (their offsets would be wrong)
        # and its record says "no edges", so the next ingest with a pipeline extracts them
        edges = _extract([doc for doc, _ in group], nlp, report) if nlp is not None else []
        _write(store, batch, chunking, edges, extractor)
        done += len(texts)
        report.chunks_written += len(texts)
        if progress:
            progress(done, total)
    for at in range(0, len(stale_edges), 64):
        part = stale_edges[at : at + 64]
        assert nlp is not None  # stale_edges is only filled when there is a pipeline
        store.replace_edges([d.doc_id for d in part], _extract(part, nlp, report))
        store.put_docs([(replace(records[d.doc_id], relations=extractor), d.text) for d in part])
    if prune:
        report.removed = prune_missing(store, keep={d.doc_id for d in docs})
    if todo or report.removed or stale_edges:
        store.bump_version()  # after the last write: other processes now reload their keyword index
    report.total_chunks = store.count()
    report.seconds = time.perf_counter() - started
    return report


def embed_by_length(embedder: BaseEmbedding, texts: list[str]) -> list[list[float]]:
    """Vectors for `texts`, in their order, embedded shortest first.

    llama-index cuts a list into batches of `embed_batch_size` in the order given, and each batch is
    padded to its longest text; sorted by length, neighbours pad alike (what sentence-transformers
    does inside one `encode` call). Articles alternate short and long chunks, so this matters.
    """
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = embedder.get_text_embedding_batch([texts[i] for i in order]) if texts else []
    out: list[list[float]] = [[] for _ in texts]
    for vector, i in zip(vectors, order, strict=True):
        out[i] = vector
    return out


def _groups(
    todo: list[tuple[SourceDocument, list[Chunk]]],
) -> Iterable[list[tuple[SourceDocument, list[Chunk]]]]:
    group: list[tuple[SourceDocument, list[Chunk]]] = []
    size = 0
    for item in todo:
        group.append(item)
        size += len(item[1])
        if size >= GROUP_CHUNKS:
            yield group
            group, size = [], 0
    if group:
        yield group


def prune_missing(store: ChunkStore, keep: set[str]) -> list[str]:
    """Remove documents whose source file no longer exists, and chunks that belong to no document."""
    removed = []
    records = store.doc_records()
    for doc_id, record in records.items():
        if doc_id not in keep and not Path(record.source).exists():
            store.delete_doc(doc_id)
            removed.append(doc_id)
    known = set(records) - set(removed)
    orphans = [c.chunk_id for c in store.all_chunks() if c.doc_id not in known]
    store.delete_chunks(orphans)
    store.delete_edges_of(sorted(store.edge_doc_ids() - known))
    return removed
