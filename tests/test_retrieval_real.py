"""Real tier: hybrid retrieval finds what dense retrieval alone misses, on the seeds."""

from __future__ import annotations

from typing import Any

import pytest

from qa import wiring

pytestmark = pytest.mark.real


@pytest.fixture(scope="module")
def retriever(seed_settings: Any, seed_store: Any) -> Any:
    return wiring.answerer(
        seed_settings.model_copy(update={"answer_mode": "extractive"}), seed_store
    ).retriever


def _dense(retriever: Any, question: str, k: int = 5) -> list[str]:
    from llama_index.core.vector_stores.types import VectorStoreQuery

    vec = retriever.embed_query(question)
    result = retriever.store.vector_store.query(VectorStoreQuery(query_embedding=vec, similarity_top_k=k))
    return [n.get_content() for n in result.nodes]


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        (
            "Who was the US National Security Council spokeswoman who commented on the secret drone deal?",
            "Adrienne Watson",
        ),
        (
            "Who was the White House spokesman who talked about Iranian drones being used to strike Kyiv?",
            "John Kirby",
        ),
        ("According to the White House, what did Russia receive from Iran?", "hundreds of attack drones"),
    ],
)
def test_hybrid_finds_what_dense_misses(retriever: Any, question: str, fact: str) -> None:
    assert not any(fact in text for text in _dense(retriever, question))
    assert any(fact in hit.text for hit in retriever.retrieve(question))


def test_who_sanctioned_whom_ranks_the_eu_passage_first(retriever: Any) -> None:
    top = retriever.retrieve("Who sanctioned whom?")[0]
    assert "EU sanctioned seven individuals and seven entities" in top.text


def test_hits_are_unique_and_at_most_top_k(retriever: Any) -> None:
    hits = retriever.retrieve("Iranian drones", top_k=7)
    assert len(hits) == 7 and len({h.chunk_id for h in hits}) == 7
