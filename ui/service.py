"""What the UI needs from the engine, in one object: the answerer (loaded once), documents, ingestion.

`Service` holds the store and the answerer for one app. A failure to load the answerer at start (empty
index, missing model) is kept and shown to the user; loading is retried on the next question, so that
uploading documents into an empty index makes it answerable without a restart. After every upload or
removal the retriever's keyword index is rebuilt at once. It does not render anything, and checks
no input itself: the question, answer mode and top-k of each request go to the engine as they are,
and the engine serializes model calls itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qa import wiring
from qa.errors import InputError, QAError, StoreError
from qa.result import Event
from qa.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

    from qa.engine import Answerer
    from qa.relations import Group, RelationIndex
    from vectorstore.ingest import IngestReport
    from vectorstore.store import ChunkStore, DocRecord

log = logging.getLogger(__name__)


class Service:
    def __init__(
        self,
        settings: Settings,
        answerer: Answerer | None = None,
        store: ChunkStore | None = None,
        embed: BaseEmbedding | None = None,
    ) -> None:
        self.settings = settings
        self._store = store if store is not None else (answerer.retriever.store if answerer else None)
        self._answerer = answerer
        self._embed = embed  # the embedder to build the answerer with (None: load one in-process)
        self._relations: RelationIndex | None = None
        self._documents: tuple[str, list[DocRecord]] | None = None  # (store version, records)
        self.load_error: QAError | None = None

    # --- components --------------------------------------------------------------------------
    @property
    def store(self) -> ChunkStore:
        if self._store is None:
            self._store = wiring.store(self.settings)
        return self._store

    def load(self) -> Answerer:
        """The answerer, built on first use; raises the `QAError` that prevents building it."""
        if self._answerer is None:
            try:
                self._answerer = wiring.answerer(self.settings, self.store, embed=self._embed)
            except QAError as exc:
                self.load_error = exc
                raise
            self.load_error = None
        return self._answerer

    def try_load(self) -> QAError | None:
        try:
            self.load()
        except QAError as exc:
            log.warning("The answerer is not ready: %s", exc)
            return exc
        return None

    @property
    def model_label(self) -> str:
        if self._answerer is not None and self._answerer.llm is None:
            return "extractive (no model)"
        return wiring.model_label(self.settings)

    @property
    def has_model(self) -> bool:
        """True when a language model is (or will be) available for generative answers."""
        if self._answerer is not None:
            return self._answerer.llm is not None
        return wiring.has_model(self.settings)

    # --- answering ---------------------------------------------------------------------------
    def stream(
        self, question: str, history: Sequence[dict[str, str]], mode: str = "", top_k: int = 0
    ) -> Iterator[Event]:
        """The engine's event stream for one question, with this request's answer mode and top-k
        ('' and 0: the configured ones); the engine checks both."""
        answerer = self.load()
        yield from answerer.stream(
            question, list(history), answer_mode=mode or None, top_k=int(top_k) or None
        )

    def doc_text(self, doc_id: str) -> str:
        """The text the engine cites from (its cached copy when the answerer is loaded)."""
        if self._answerer is not None:
            return self._answerer.doc_text(doc_id)
        return self.store.doc_text(doc_id)

    def relation_groups(self, relation: str | None, entity: str | None) -> list[Group]:
        """The relation groups (the answerer's index when loaded: one copy per process), filtered."""
        from qa.relations import matching

        index = self._answerer.relations if self._answerer is not None else None
        if index is None:
            self._relations = self._relations or wiring.relation_index(self.store)
            index = self._relations
        return matching(index.groups(), relation=relation, entity=entity)

    # --- documents ---------------------------------------------------------------------------
    def documents(self) -> list[DocRecord]:
        """The ingested documents, read once per store version (the page asks for them three times
        at start: the table, the removal list, the header; 2,272 records take ~0.4 s to read)."""
        version = self.store.version()
        if self._documents is None or self._documents[0] != version or not version:
            self._documents = (version, sorted(self.store.doc_records().values(), key=lambda r: r.doc_id))
        return self._documents[1]

    def ingest(
        self, paths: Sequence[Path], progress: Callable[[int, int], None] | None = None
    ) -> tuple[IngestReport, str | None]:
        """Ingest files, then make them answerable at once; also returns `refresh`'s note."""
        embedder = (
            self._answerer.retriever.embedder
            if self._answerer
            else self._embed or wiring.embedder(self.settings)
        )
        report = wiring.ingest(
            self.settings, list(paths), progress=progress, chunk_store=self.store, embed=embedder
        )
        return report, self.refresh()

    def remove(self, doc_id: str) -> str | None:
        """Remove a document; returns `refresh`'s note (e.g. that the index is now empty)."""
        if doc_id not in self.store.doc_records():
            raise InputError(f"Document '{doc_id}' is not in the index.", "Pick one from the list.")
        self.store.delete_doc(doc_id)
        return self.refresh()

    def refresh(self) -> str | None:
        """Rebuild the keyword index after a change; returns a message when the index is now empty."""
        if self._answerer is None:
            error = self.try_load()
            return None if error is None else str(error)
        try:
            self._answerer.refresh()  # also forgets cached texts: a re-upload may change a document
        except StoreError as exc:
            return str(exc)
        return None
