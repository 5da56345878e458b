"""Real tier: ingestion into a real Chroma (embedded and `chroma run`) with the real embedder."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from eval.chroma_server import ChromaServer
from qa import wiring
from qa.errors import InputError, StoreError
from vectorstore.ingest import ingest
from vectorstore.store import ChunkStore, open_store

pytestmark = pytest.mark.real
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _ingest(store: ChunkStore, settings: Any, *paths: Path, prune: bool = False) -> Any:
    return ingest(
        list(paths),
        store,
        wiring.embedder(settings),
        chunk_size=600,
        chunk_overlap=1,
        max_bytes=1_000_000,
        prune=prune,
    )


def _check_store(store: ChunkStore, folder: Path) -> None:
    """Each record's chunks exist, none is orphaned or duplicated, and spans quote the file exactly."""
    records = store.doc_records()
    chunks = store.all_chunks()
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    assert {c.doc_id for c in chunks} == set(records)
    for doc_id, record in records.items():
        mine = [c for c in chunks if c.doc_id == doc_id]
        assert len(mine) == record.n_chunks
        raw = (folder / Path(record.source).name).read_bytes().decode("utf-8")
        for c in mine:
            assert c.text == " ".join(" ".join(raw[s:e].split()) for s, e in c.metadata["sentences"])


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


def test_ingest_reingest_modify_prune(corpus: Path, tmp_path: Path, seed_settings: Any) -> None:
    store = open_store(tmp_path / "data", None, "news")
    first = _ingest(store, seed_settings, corpus)
    assert len(first.added) == 5 and first.total_chunks == first.chunks_written > 0
    _check_store(store, corpus)
    titles = {r.doc_id: r.title for r in store.doc_records().values()}
    assert (
        titles["000_0e5bc8f3e6e9b2e9"]
        == "Russia pounds Ukrainian capital with Iranian drones in latest bombardment"
    )

    again = _ingest(store, seed_settings, corpus)  # unchanged files write nothing
    assert (
        len(again.unchanged) == 5 and again.chunks_written == 0 and again.total_chunks == first.total_chunks
    )

    target = corpus / "000_0e5bc8f3e6e9b2e9.txt"
    target.write_text(
        target.read_text(encoding="utf-8").replace("59 of the 116", "60 of the 117"), encoding="utf-8"
    )
    changed = _ingest(store, seed_settings, corpus)
    assert changed.updated == ["000_0e5bc8f3e6e9b2e9"]
    texts = " ".join(c.text for c in store.all_chunks())
    assert "60 of the 117" in texts and "59 of the 116" not in texts  # no stale chunk left behind
    _check_store(store, corpus)

    (corpus / "004_2697c384f7114541.txt").unlink()
    pruned = _ingest(store, seed_settings, corpus, prune=True)
    assert pruned.removed == ["004_2697c384f7114541"]
    assert "004_2697c384f7114541" not in store.doc_records()
    assert all(c.doc_id != "004_2697c384f7114541" for c in store.all_chunks())


def test_interrupted_ingest_is_completed_by_the_next(
    corpus: Path, tmp_path: Path, seed_settings: Any
) -> None:
    store = open_store(tmp_path / "data", None, "news")
    _ingest(store, seed_settings, corpus)
    clean_count = store.count()
    # Simulate a kill after new chunks were written but before stale ones and the record: drop the record.
    store.docs.delete(ids=["001_a95f361025911933"])
    target = corpus / "001_a95f361025911933.txt"
    target.write_text(
        target.read_text(encoding="utf-8") + "\nA new closing line was added.\n", encoding="utf-8"
    )
    _ingest(store, seed_settings, corpus)
    _check_store(store, corpus)
    assert store.count() >= clean_count


def test_bad_inputs_are_skipped_with_warnings(tmp_path: Path, seed_settings: Any) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    (folder / "blank.md").write_text("   \n\n  ")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG" * 100)
    (folder / "latin1.txt").write_bytes(
        "Caf\xe9 news headline\nThe caf\xe9 reopened on Monday.".encode("latin-1")
    )
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    (folder / "huge.txt").write_text("word " * 300_000)
    (folder / "good.html").write_text(
        "<title>Good</title><p>The ministry confirmed the delivery on Friday.</p>"
    )
    store = open_store(tmp_path / "data", None, "news")
    report = _ingest(store, seed_settings, folder)
    warnings = "\n".join(report.warnings)
    for name in ["empty.txt", "blank.md", "binary.txt", "notes.pdf", "huge.txt", "latin1.txt"]:
        assert name in warnings
    assert sorted(report.added) == ["good", "latin1"]  # latin1 decoded with replacement, and said so
    assert "�" in store.doc_text("latin1")


def test_missing_path_is_an_error_and_writes_nothing(tmp_path: Path, seed_settings: Any) -> None:
    store = open_store(tmp_path / "data", None, "news")
    with pytest.raises(InputError, match="no such file"):
        _ingest(store, seed_settings, SEEDS, tmp_path / "missing")
    assert store.count() == 0


def test_chroma_server_mode(tmp_path: Path, seed_settings: Any) -> None:
    server = ChromaServer(tmp_path / "server").start()
    try:
        store = open_store(tmp_path / "unused", server.url, "news")
        report = _ingest(store, seed_settings, SEEDS)
        assert len(report.added) == 5 and store.count() == report.total_chunks
        assert len(_ingest(store, seed_settings, SEEDS).unchanged) == 5
        _check_store(store, SEEDS)
        settings = seed_settings.model_copy(update={"chroma_url": server.url, "answer_mode": "extractive"})
        answer = wiring.answerer(settings).answer("Who sanctioned whom?")
        assert any("EU sanctioned seven individuals" in c.quote for c in answer.citations)
    finally:
        server.stop()


def test_unreachable_server_names_the_url(tmp_path: Path) -> None:
    from eval.chroma_server import free_port

    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError, match=url.replace(".", r"\.")):
        open_store(tmp_path, url, "news")
