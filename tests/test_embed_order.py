"""Ingest embeds each group shortest-first (less padding) and still returns vectors in the chunks' order."""

from __future__ import annotations

import pytest
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from vectorstore.ingest import embed_by_length


class _LengthEmbedder(BaseEmbedding):
    """Embeds a text as [its length]; remembers the batches it was given."""

    _batches: list[list[str]] = PrivateAttr(default_factory=list)

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(len(query))]

    def _get_text_embedding(self, text: str) -> list[float]:
        return [float(len(text))]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        self._batches.append(list(texts))
        return [[float(len(t))] for t in texts]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def test_vectors_come_back_in_input_order_from_length_sorted_batches() -> None:
    texts = ["a" * n for n in (50, 3, 300, 7, 120, 7, 1, 80)]
    embedder = _LengthEmbedder(embed_batch_size=3)
    vectors = embed_by_length(embedder, texts)
    assert vectors == [[float(len(t))] for t in texts]
    flat = [len(t) for batch in embedder._batches for t in batch]
    assert flat == sorted(flat) and len(embedder._batches) == 3


def test_nothing_to_embed_is_no_call() -> None:
    embedder = _LengthEmbedder()
    assert embed_by_length(embedder, []) == [] and embedder._batches == []


@pytest.mark.real
def test_sorting_does_not_change_the_real_vectors() -> None:
    from vectorstore.embedding import load_embedder

    texts = [
        "Iran supplied Shahed drones to Russia, according to Ukrainian officials who examined wreckage.",
        "Kyiv.",
        "The EU sanctioned seven individuals and seven entities.",
        "Short one.",
    ] * 20
    embedder = load_embedder(64)
    sorted_vectors = embed_by_length(embedder, texts)
    plain = embedder.get_text_embedding_batch(texts)
    worst = max(
        abs(a - b) for u, v in zip(sorted_vectors, plain, strict=True) for a, b in zip(u, v, strict=True)
    )
    assert worst < 1e-5
