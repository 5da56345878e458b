"""Chroma, embedded or over HTTP, behind llama-index's `ChromaVectorStore`, plus per-document records.

Three collections: `<name>` holds the chunks (text, embedding, span metadata) and is what llama-index
queries; `<name>__docs` holds one record per document (its full text, hash, title, date, author,
chunk count, relation-extractor version), written last when a document is ingested so that an
interrupted ingest is redone; `<name>__edges` holds the relation edges, one record per edge (its
quote as the text, the rest as metadata). Edges sit beside the chunks in the same Chroma, embedded or
server, so they follow their documents wherever the index lives and are written and removed with
them; a SQLite table in the data dir would not be there when the store is a server.
The `__docs` collection's metadata carries a version stamp, renewed after every change (ingest,
removal), so another process can tell cheaply that the store changed (see `qa/keyword.py`).
This module stores and fetches; it does not decide what to ingest (see `ingest.py`).
"""

from __future__ import annotations

import functools
import json
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlparse

from vectorstore.edge import Edge, edge_from
from vectorstore.errors import StoreError
from vectorstore.passage import Passage, chunk_passage

if TYPE_CHECKING:
    from llama_index.core.schema import BaseNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class DocRecord:
    doc_id: str
    title: str
    date: str
    author: str
    source: str
    sha256: str
    chunking: str
    n_chunks: int
    relations: str = ""  # the relation extractor's version that produced this document's edges ("" none)

    def metadata(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "doc_id"}


def _client(path: Path | None, url: str | None) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if url:
        parsed = urlparse(url)
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or 8000,
                ssl=parsed.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:
            raise StoreError(
                f"Cannot reach the Chroma server at {url} ({type(exc).__name__}).",
                "Start it with `chroma run --host 127.0.0.1 --port 8000`, or unset QA_CHROMA_URL "
                "to use the embedded store.",
            ) from None
        return client
    assert path is not None
    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:
        raise StoreError(
            f"Cannot open the index at {path} ({type(exc).__name__}: {exc}).",
            "Check that the folder is writable and not damaged; set QA_DATA_DIR to use another folder.",
        ) from None


def _failures() -> tuple[type[BaseException], ...]:
    """What a store call raises when the store itself fails (not our bug): I/O, SQLite, Chroma, HTTP."""
    import sqlite3

    import httpx
    from chromadb.errors import ChromaError

    return (OSError, sqlite3.Error, ChromaError, httpx.HTTPError)


def _guarded(writing: bool) -> Callable[[F], F]:
    """Run a `ChunkStore` method under `access(writing)`."""

    def wrap(method: F) -> F:
        @functools.wraps(method)
        def call(self: ChunkStore, *args: Any, **kwargs: Any) -> Any:
            with self.access(writing):
                return method(self, *args, **kwargs)

        return call  # type: ignore[return-value]

    return wrap


class ChunkStore:
    """The chunk collection (through llama-index) and the document records beside it."""

    def __init__(self, client: Any, name: str, where: str) -> None:
        self.where = where  # the path or URL, for error messages
        self.client = client
        try:
            self.chunks = client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"})
            self.docs = client.get_or_create_collection(f"{name}__docs")
            self.edges = client.get_or_create_collection(f"{name}__edges")
        except Exception as exc:
            raise StoreError(
                f"The index at {where} cannot be used ({type(exc).__name__}: {exc}).",
                "Remove the damaged index folder and run `qa ingest` again.",
            ) from None

    @contextmanager
    def access(self, writing: bool = False) -> Iterator[None]:
        """Turn a failing store call (server gone, disk full, read-only folder) into a `StoreError`."""
        try:
            yield
        except StoreError:
            raise
        except _failures() as exc:
            import httpx

            detail = f"{type(exc).__name__}: {str(exc)[:300]}"
            if self.where.startswith(("http://", "https://")) and isinstance(
                exc, httpx.TransportError | ConnectionError
            ):
                raise StoreError(
                    f"Lost the connection to the Chroma server at {self.where} ({detail}).",
                    f"Check that the server is running (`chroma run --port {urlparse(self.where).port or 8000} "
                    "--path FOLDER`), then try again; or unset QA_CHROMA_URL to use the embedded store.",
                ) from None
            if writing:
                raise StoreError(
                    f"The index at {self.where} could not be written (disk full or read-only?) ({detail}).",
                    "Free some disk space or make the folder writable, then run `qa ingest` again; "
                    "documents ingested before are kept.",
                ) from None
            raise StoreError(
                f"The index at {self.where} could not be read ({detail}).",
                "Check that the index is reachable and not damaged; if it is damaged, remove it and "
                "run `qa ingest` again.",
            ) from None

    @property
    def vector_store(self) -> ChromaVectorStore:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self.chunks)

    # --- documents -----------------------------------------------------------------------
    @_guarded(writing=False)
    def doc_records(self) -> dict[str, DocRecord]:
        got = self.docs.get(include=["metadatas"])
        fields = [k for k in DocRecord.__dataclass_fields__ if k != "doc_id"]
        return {
            i: DocRecord(doc_id=i, **{k: m[k] for k in fields if k in m})
            for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)
        }

    @_guarded(writing=False)
    def doc_text(self, doc_id: str) -> str:
        got = self.docs.get(ids=[doc_id], include=["documents"])
        if not got["ids"]:
            raise StoreError(
                f"Document '{doc_id}' is not in the index.", "Run `qa sources` to list documents."
            )
        return str(got["documents"][0])

    @_guarded(writing=False)
    def known_docs(self, doc_ids: set[str]) -> set[str]:
        """Which of `doc_ids` have a record (a document is ingested once its record is written)."""
        return set(self.docs.get(ids=sorted(doc_ids), include=[])["ids"]) if doc_ids else set()

    @_guarded(writing=True)
    def put_docs(self, docs: Sequence[tuple[DocRecord, str]]) -> None:
        """Write document records with their full text, one request for all of them."""
        if docs:
            # The record collection needs some vector; a constant one-dimensional vector will do.
            self.docs.upsert(
                ids=[r.doc_id for r, _ in docs],
                embeddings=[[1.0]] * len(docs),
                documents=[text for _, text in docs],
                metadatas=[r.metadata() for r, _ in docs],
            )

    @_guarded(writing=True)
    def delete_doc(self, doc_id: str) -> None:
        """Remove a document: its record first (so it reads as 'not ingested'), then its chunks and edges."""
        self.docs.delete(ids=[doc_id])
        self.chunks.delete(where={"doc_id": doc_id})
        self.edges.delete(where={"doc_id": doc_id})
        self.bump_version()

    # --- relation edges ------------------------------------------------------------------
    @_guarded(writing=True)
    def replace_edges(self, doc_ids: Sequence[str], edges: Sequence[Edge]) -> None:
        """The edges of `doc_ids` become `edges`: old ones removed, new ones written (before the records
        of these documents, so an interrupted ingest redoes them)."""
        self.delete_edges_of(doc_ids)
        for at in range(0, len(edges), 2000):
            part = edges[at : at + 2000]
            self.edges.upsert(
                ids=[e.id for e in part],
                embeddings=[[1.0]] * len(part),
                documents=[e.quote for e in part],
                metadatas=[e.metadata() for e in part],
            )

    @_guarded(writing=False)
    def all_edges(self, relation: str | None = None, batch: int = 5000) -> list[Edge]:
        """Every stored edge (of one relation if given), in document and sentence order."""
        where = {"relation": relation} if relation else None
        edges: list[Edge] = []
        offset = 0
        while True:
            got = self.edges.get(where=where, include=["documents", "metadatas"], limit=batch, offset=offset)
            metas = got["metadatas"] or []
            edges += [edge_from(str(q), m) for q, m in zip(got["documents"] or [], metas, strict=True)]
            if len(got["ids"]) < batch:
                break
            offset += batch
        return sorted(edges, key=lambda e: (e.doc_id, e.start, e.relation, e.subject, e.object))

    @_guarded(writing=False)
    def edge_doc_ids(self) -> set[str]:
        """The documents that have edges stored."""
        return {e.doc_id for e in self.all_edges()}

    @_guarded(writing=True)
    def delete_edges_of(self, doc_ids: Sequence[str]) -> None:
        if doc_ids:
            self.edges.delete(where={"doc_id": {"$in": list(doc_ids)}})

    # --- version stamp -------------------------------------------------------------------
    @_guarded(writing=False)
    def version(self) -> str:
        """The stamp of the store's current content ('' for a store written before stamps existed).

        Read afresh from the server or disk each call (the collection object caches its metadata)."""
        meta = self.client.get_collection(self.docs.name).metadata or {}
        return str(meta.get("version", ""))

    @_guarded(writing=True)
    def bump_version(self) -> str:
        """Record that the content changed; returns the new stamp."""
        stamp = uuid.uuid4().hex
        self.docs.modify(metadata={"version": stamp})
        return stamp

    # --- chunks --------------------------------------------------------------------------
    @_guarded(writing=False)
    def get_chunks(self, ids: Sequence[str]) -> dict[str, Passage]:
        """The chunks with these ids that exist, by id (one request)."""
        if not ids:
            return {}
        got = self.chunks.get(ids=list(ids), include=["documents", "metadatas"])
        return {
            cid: chunk_passage(cid, str(text), clean_metadata(meta))
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }

    @_guarded(writing=False)
    def nearest(self, vector: Sequence[float], k: int) -> list[Passage]:
        """The `k` chunks closest to `vector`, best first, with their cosine similarity as `dense`."""
        from llama_index.core.vector_stores.types import VectorStoreQuery

        result = self.vector_store.query(VectorStoreQuery(query_embedding=list(vector), similarity_top_k=k))
        out: list[Passage] = []
        for node, sim in zip(result.nodes or [], result.similarities or [], strict=False):
            chunk = chunk_passage(node.node_id, node.get_content(), clean_metadata(node.metadata))
            out.append(replace(chunk, dense=float(sim)))
        return out

    def iter_texts(self, batch: int = 5000) -> Iterator[tuple[list[str], list[str]]]:
        """(ids, texts) of every chunk in batches, without metadata (what the keyword index needs)."""
        offset = 0
        while True:
            with self.access():  # a generator: guard each request, not the call that creates it
                got = self.chunks.get(include=["documents"], limit=batch, offset=offset)
            if got["ids"]:
                yield list(got["ids"]), [str(t) for t in got["documents"]]
            if len(got["ids"]) < batch:
                return
            offset += batch

    @_guarded(writing=False)
    def chunk_ids_by_doc(self, doc_ids: Sequence[str]) -> dict[str, set[str]]:
        """The stored chunk ids of each of `doc_ids`, one request for all of them."""
        out: dict[str, set[str]] = {d: set() for d in doc_ids}
        if doc_ids:
            got = self.chunks.get(where={"doc_id": {"$in": list(doc_ids)}}, include=["metadatas"])
            for chunk_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
                out.setdefault(str(meta["doc_id"]), set()).add(chunk_id)
        return out

    @_guarded(writing=True)
    def add_chunks(self, nodes: Sequence[BaseNode]) -> None:
        if nodes:
            self.vector_store.add(list(nodes))

    @_guarded(writing=True)
    def delete_chunks(self, ids: list[str]) -> None:
        if ids:
            self.chunks.delete(ids=ids)

    @_guarded(writing=False)
    def count(self) -> int:
        return int(self.chunks.count())

    @_guarded(writing=False)
    def all_chunks(self, batch: int = 5000) -> list[Passage]:
        """Every chunk with its text and metadata."""
        out: list[Passage] = []
        offset = 0
        while True:
            got = self.chunks.get(include=["documents", "metadatas"], limit=batch, offset=offset)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                out.append(chunk_passage(cid, str(text), clean_metadata(meta)))
            if len(got["ids"]) < batch:
                return out
            offset += batch


def clean_metadata(meta: Any) -> dict[str, Any]:
    """Our metadata without llama-index's bookkeeping keys; `sentences` decoded from JSON."""
    out = {
        k: v
        for k, v in dict(meta).items()
        if not k.startswith("_") and k not in {"document_id", "doc_id_", "ref_doc_id"}
    }
    if isinstance(out.get("sentences"), str):
        out["sentences"] = json.loads(out["sentences"])
    return out


def open_store(data_dir: Path, chroma_url: str | None, collection: str) -> ChunkStore:
    """The store named by settings: a Chroma server when `chroma_url` is set, else embedded under `data_dir`."""
    path = data_dir / "chroma"
    client = _client(None if chroma_url else path, chroma_url)
    return ChunkStore(client, collection, chroma_url or str(path))
