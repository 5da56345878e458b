"""All wiring in one place: settings in, built components out (store, embedder, retriever, LLM, answerer).

The edges (CLI, UI, eval) call these; nothing else reads `Settings`. Heavy imports happen here,
lazily, so a command pays only for what it uses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from llama_index.core.llms import LLM

    from qa.engine import Answerer
    from qa.errors import ModelError
    from qa.relations import RelationIndex
    from vectorstore.embed_client import ChildEmbedder
    from vectorstore.ingest import IngestReport
    from vectorstore.store import ChunkStore


def store(settings: Settings) -> ChunkStore:
    from vectorstore.store import open_store

    return open_store(settings.data_dir, settings.chroma_url, settings.collection)


def keyword_dir(settings: Settings) -> Path:
    """Where this store's keyword indexes are saved: in the data dir, one folder per collection (and
    per server, so two Chroma servers never share a folder)."""
    where = settings.chroma_url or "embedded"
    tag = hashlib.sha1(where.encode()).hexdigest()[:8]
    return settings.data_dir / "keyword" / f"{settings.collection}-{tag}"


def ingest(
    settings: Settings,
    paths: Sequence[Path],
    *,
    prune: bool = False,
    progress: Callable[[int, int], None] | None = None,
    chunk_store: ChunkStore | None = None,
    embed: BaseEmbedding | None = None,
    keyword_index: bool = True,
) -> IngestReport:
    """Ingest files into the store, then (unless `keyword_index` is False, for benchmarks that time
    the two steps apart) build and save the keyword index of the new version once, so no later
    process pays for it."""
    from vectorstore.ingest import ingest as run_ingest

    chunk_store = chunk_store or store(settings)
    report = run_ingest(
        paths,
        chunk_store,
        embed or embedder(settings),
        chunk_size=settings.chunk_size,
        chunk_overlap=settings.chunk_overlap,
        max_bytes=int(settings.max_file_mb * 1e6),
        prune=prune,
        progress=progress,
        nlp=nlp() if settings.relations else None,
    )
    if report.total_chunks and keyword_index:
        save_keyword_index(settings, chunk_store)
    return report


def save_keyword_index(settings: Settings, chunk_store: ChunkStore) -> None:
    """Build and save the keyword index of the store's current version (a no-op when saved already)."""
    from qa import keyword

    keyword.load_or_build(chunk_store, keyword_dir(settings))


def nlp() -> Any:
    """The shared spaCy pipeline (loaded once per process)."""
    from vectorstore.nlp import pipeline

    return pipeline()


def embedder(settings: Settings) -> BaseEmbedding:
    from vectorstore.embedding import load_embedder

    return load_embedder(settings.embed_batch_size)


def embedder_in_child(settings: Settings) -> ChildEmbedder:
    """The same embedder, run in a child process started first (for one-shot commands; see embed_worker)."""
    from vectorstore.embed_worker import spawn

    proc = spawn(settings.embed_batch_size)  # before any heavy import, so the two overlap
    from vectorstore.embed_client import ChildEmbedder

    return ChildEmbedder(proc, settings.embed_batch_size)


def model_file(settings: Settings) -> str:
    """The GGUF the llamacpp backend loads (QA_MODEL_PATH, else the preset)."""
    from qa.llm import check_gguf, preset_path

    return str(check_gguf(settings.model_path or preset_path(settings.model)))


def has_model(settings: Settings) -> bool:
    """True when the settings ask for a language model (generative answers with some backend)."""
    return settings.answer_mode != "extractive" and settings.llm_backend != "none"


def model_label(settings: Settings) -> str:
    if not has_model(settings):
        return "extractive (no model)"
    if settings.llm_backend == "openai":
        return f"openai:{settings.openai_model}@{settings.openai_base_url}"
    if settings.llm_backend == "scripted":
        return "scripted"
    return settings.model_path.name if settings.model_path else settings.model


def _llamacpp(settings: Settings) -> LLM:
    from qa import llm as backends

    return backends.llamacpp(
        model_file(settings), settings.n_ctx, settings.n_threads, settings.max_new_tokens, settings.seed
    )


def _openai(settings: Settings) -> LLM:
    from qa import llm as backends

    return backends.openai_like(
        settings.openai_base_url,
        settings.openai_model,
        settings.openai_api_key,
        settings.llm_timeout,
        settings.max_new_tokens,
    )


def _scripted(settings: Settings) -> LLM:
    from qa import llm as backends

    return backends.scripted(settings.scripted_reply)


# QA_LLM_BACKEND -> the factory of its model ("none" has no model: see `has_model`).
BACKENDS: dict[str, Callable[[Settings], LLM]] = {
    "llamacpp": _llamacpp,
    "openai": _openai,
    "scripted": _scripted,
}


def llm(settings: Settings) -> LLM | None:
    """The configured language model, or None when answers are extractive."""
    return BACKENDS[settings.llm_backend](settings) if has_model(settings) else None


_CONFIGURED: Any = object()  # `answerer(llm=...)` default: build the model the settings name


def _configured_model(settings: Settings) -> tuple[LLM | None, ModelError | None]:
    """The configured model, or why there is none (extractive answers still work without it)."""
    from qa.errors import ModelError

    try:
        return llm(settings), None
    except ModelError as exc:  # generative answers report this error when asked for
        return None, exc


def answerer(
    settings: Settings,
    chunk_store: ChunkStore | None = None,
    embed: BaseEmbedding | None = None,
    llm: LLM | None = _CONFIGURED,
) -> Answerer:
    """The answering object used by the CLI, the UI and the eval harness; `llm` replaces the
    configured model (None: no model), the seam tests use."""
    from qa.engine import Answerer
    from qa.retrieve import HybridRetriever

    chunk_store = chunk_store or store(settings)
    retriever = HybridRetriever(
        chunk_store, embed or embedder(settings), settings.top_k, index_dir=keyword_dir(settings)
    )
    retriever.refresh()  # fails early with "run qa ingest first" on an empty index
    model, model_error = (llm, None) if llm is not _CONFIGURED else _configured_model(settings)
    return Answerer(
        retriever,
        model,
        llm_error=model_error,
        model_name=model_label(settings),
        max_evidence=settings.max_evidence,
        min_key_coverage=settings.min_key_coverage,
        answer_mode=settings.answer_mode,
        max_question_chars=settings.max_question_chars,
        doc_text=chunk_store.doc_text,
        nlp=nlp(),
        rules_off=frozenset(settings.rules_off),
        strict_roles=settings.strict_roles,
        split_parts="parts" not in settings.rules_off,
        relations=relation_index(chunk_store) if settings.relations else None,
        relation_lines=settings.relation_lines,
    )


def relation_index(chunk_store: ChunkStore) -> RelationIndex:
    """The store's relation edges, grouped once per store version."""
    from qa.relations import RelationIndex

    return RelationIndex(chunk_store.all_edges, chunk_store.version, chunk_store.known_docs)
