"""Real tier: the persisted keyword index (bm25s) over a real embedded Chroma with the real embedder.

It must rank exactly as llama-index's in-memory BM25Retriever did, be built once per store version
(at ingest), be loaded, not rebuilt, by a new process, and notice a store another process changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from qa import keyword, wiring
from qa.retrieve import HybridRetriever

pytestmark = pytest.mark.real
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
QUERIES = [
    "Who sanctioned whom?",
    "How many Shahed drones were shot down?",
    "What did the Kremlin say about the talks",
    "population of Kyiv",
    "zzzz qqqq",  # no known term
]


@pytest.fixture
def setup(tmp_path: Path, seed_settings: Any) -> Any:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    settings = seed_settings.model_copy(update={"data_dir": tmp_path / "data"})
    store = wiring.store(settings)
    wiring.ingest(settings, [corpus], chunk_store=store)
    return settings, store, corpus


def test_ranks_exactly_as_llama_index_bm25(setup: Any) -> None:
    from llama_index.core.schema import TextNode
    from llama_index.retrievers.bm25 import BM25Retriever

    settings, store, _ = setup
    chunks = store.all_chunks()
    theirs = BM25Retriever.from_defaults(nodes=[TextNode(id_=c.chunk_id, text=c.text) for c in chunks])
    saved = keyword.load(wiring.keyword_dir(settings), store.version())
    assert saved is not None and saved.count == len(chunks)
    for query in QUERIES[:4]:
        theirs.similarity_top_k = 10
        assert saved.search(query, 10) == [n.node.node_id for n in theirs.retrieve(query)], query
    assert len(saved.search(QUERIES[4], 10)) <= 10  # unknown terms: no crash


def test_a_new_process_loads_the_saved_index_instead_of_reading_every_chunk(
    setup: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, store, _ = setup

    def no_rebuild(*_: Any) -> Any:
        raise AssertionError("the keyword index was rebuilt although ingest saved it")

    monkeypatch.setattr(keyword, "build", no_rebuild)
    retriever = HybridRetriever(
        wiring.store(settings), wiring.embedder(settings), 5, wiring.keyword_dir(settings)
    )
    hits = retriever.retrieve("Who sanctioned whom?")
    assert hits and any("sanction" in h.text for h in hits)
    assert retriever.weights.n == store.count()


def test_a_store_changed_by_another_process_is_noticed(setup: Any) -> None:
    settings, store, corpus = setup
    retriever = HybridRetriever(
        wiring.store(settings), wiring.embedder(settings), 5, wiring.keyword_dir(settings)
    )
    retriever.refresh()
    before = retriever._index
    assert before is not None and retriever.retrieve("Alabuga kindergarten orchestra")[0].doc_id != "extra"
    (corpus / "extra.txt").write_text(
        "Alabuga kindergarten orchestra plays\n\nThe Alabuga kindergarten orchestra played Bach on Sunday, "
        "the mayor said.\n",
        encoding="utf-8",
    )
    wiring.ingest(settings, [corpus], chunk_store=wiring.store(settings))  # "another process"
    hits = retriever.retrieve("Alabuga kindergarten orchestra")
    assert retriever._index is not before and retriever._index.version == store.version()
    assert hits[0].doc_id == "extra"
    folders = [p.name for p in wiring.keyword_dir(settings).iterdir()]
    assert folders == [f"v{keyword.FORMAT}-{store.version()}"]  # the old version's folder is gone


def test_removal_renews_the_version_and_a_half_written_index_is_rebuilt(setup: Any) -> None:
    settings, store, _ = setup
    folder = wiring.keyword_dir(settings)
    old = store.version()
    store.delete_doc("004_2697c384f7114541")
    assert store.version() != old
    assert keyword.load(folder, store.version()) is None  # nobody built this version yet
    index = keyword.load_or_build(store, folder)
    assert "004_2697c384f7114541" not in {c.split(":")[0] for c in index.ids} and index.count == store.count()
    (folder / f"v{keyword.FORMAT}-{store.version()}" / "manifest.json").unlink()  # killed mid-save
    assert keyword.load(folder, store.version()) is None
    assert keyword.load_or_build(store, folder).count == store.count()
