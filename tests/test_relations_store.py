"""Real tier: relation edges follow their documents in a real Chroma (embedded and `chroma run`) through
ingest, change, prune, a killed ingest and an extractor upgrade; the CLI and the chat answer from them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eval.chroma_server import ChromaServer
from qa import wiring
from qa.cli import main
from vectorstore import relations
from vectorstore.ingest import IngestReport, ingest
from vectorstore.store import ChunkStore, open_store

pytestmark = pytest.mark.real
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FIRST = "000_0e5bc8f3e6e9b2e9"


@pytest.fixture(scope="module")
def embedder(seed_settings: Any) -> Any:
    return wiring.embedder(seed_settings)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


def _ingest(
    store: ChunkStore, embedder: Any, *paths: Path, prune: bool = False, nlp: bool = True
) -> IngestReport:
    return ingest(
        list(paths),
        store,
        embedder,
        chunk_size=300,
        chunk_overlap=0,
        max_bytes=1_000_000,
        prune=prune,
        nlp=wiring.nlp() if nlp else None,
    )


def _check_edges(store: ChunkStore) -> None:
    """Every edge belongs to an ingested document, quotes it exactly at its span, and is stored once."""
    records = store.doc_records()
    edges = store.all_edges()
    assert len({e.id for e in edges}) == len(edges)
    for e in edges:
        assert e.doc_id in records
        assert store.doc_text(e.doc_id)[e.start : e.end] == e.quote


def test_edges_follow_ingest_change_and_prune(corpus: Path, tmp_path: Path, embedder: Any) -> None:
    store = open_store(tmp_path / "data", None, "news")
    first = _ingest(store, embedder, corpus)
    assert first.edges_written > 20 and len(store.all_edges()) == first.edges_written
    assert {r.relations for r in store.doc_records().values()} == {relations.version()}
    _check_edges(store)
    sold = [e for e in store.all_edges("supply") if "two thousand drones" in e.quote]
    assert sold and sold[0].subject == "Iran" and sold[0].object == "Russia"

    again = _ingest(store, embedder, corpus)  # unchanged: nothing re-extracted
    assert again.edges_written == 0 and len(store.all_edges()) == first.edges_written

    target = corpus / f"{FIRST}.txt"
    target.write_text(
        target.read_text(encoding="utf-8").replace("two thousand drones", "three thousand drones"),
        encoding="utf-8",
    )
    changed = _ingest(store, embedder, corpus)
    assert changed.updated == [FIRST]
    quotes = " ".join(e.quote for e in store.all_edges() if e.doc_id == FIRST)
    assert "three thousand drones" in quotes and "two thousand drones" not in quotes  # no stale edge
    _check_edges(store)

    target.unlink()
    pruned = _ingest(store, embedder, corpus, prune=True)
    assert pruned.removed == [FIRST]
    assert all(e.doc_id != FIRST for e in store.all_edges())


def test_a_killed_ingest_leaves_edges_the_next_one_completes(
    corpus: Path, tmp_path: Path, embedder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after a group's edges were written but before its records: the next run redoes the group,
    replacing (never duplicating) its edges."""
    store = open_store(tmp_path / "data", None, "news")

    def killed(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(ChunkStore, "put_docs", killed)
        with pytest.raises(KeyboardInterrupt):
            _ingest(store, embedder, corpus)
    assert store.all_edges() and not store.doc_records()  # edges written, records not
    done = _ingest(store, embedder, corpus)
    assert len(done.added) == 5
    assert len(store.all_edges()) == done.edges_written
    _check_edges(store)


def test_an_extractor_upgrade_re_extracts_without_re_embedding(
    corpus: Path, tmp_path: Path, embedder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(tmp_path / "data", None, "news")
    first = _ingest(store, embedder, corpus)
    monkeypatch.setattr(relations, "version", lambda: "a-newer-one")
    upgraded = _ingest(store, embedder, corpus)
    assert upgraded.chunks_written == 0 and upgraded.edges_written == first.edges_written
    assert {r.relations for r in store.doc_records().values()} == {"a-newer-one"}
    _check_edges(store)


def test_without_the_pipeline_a_changed_document_drops_its_edges(
    corpus: Path, tmp_path: Path, embedder: Any
) -> None:
    store = open_store(tmp_path / "data", None, "news")
    _ingest(store, embedder, corpus)
    target = corpus / f"{FIRST}.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nA closing line.\n", encoding="utf-8")
    _ingest(store, embedder, corpus, nlp=False)
    assert all(e.doc_id != FIRST for e in store.all_edges())  # old offsets would be wrong
    assert store.doc_records()[FIRST].relations == ""
    _ingest(store, embedder, corpus)  # with the pipeline again: extracted
    assert any(e.doc_id == FIRST for e in store.all_edges())
    _check_edges(store)


def test_edges_in_a_chroma_server(tmp_path: Path, embedder: Any, seed_settings: Any) -> None:
    server = ChromaServer(tmp_path / "server").start()
    try:
        store = open_store(tmp_path / "unused", server.url, "news")
        report = _ingest(store, embedder, SEEDS)
        assert report.edges_written and len(store.all_edges()) == report.edges_written
        _check_edges(store)
        settings = seed_settings.model_copy(update={"chroma_url": server.url, "answer_mode": "extractive"})
        answer = wiring.answerer(settings, store, embed=embedder).answer("Who sanctioned whom?")
        assert answer.mode == "relations"
    finally:
        server.stop()


# --- the seeds index shared by the suite (ingested with the pipeline, as `qa ingest` does) ---------


@pytest.fixture
def env(seed_settings: Any, seed_store: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("QA_DATA_DIR", str(seed_settings.data_dir))
    yield


def test_cli_relations_lists_grouped_cited_edges(env: None, seed_store: Any) -> None:
    result = CliRunner().invoke(main, ["relations", "--relation", "sanction", "--json"])
    assert result.exit_code == 0, result.output
    groups = json.loads(result.output)
    assert groups[0]["subject"] == "EU" and groups[0]["object"] == "seven individuals and seven entities"
    for g in groups:
        for c in g["citations"]:
            assert seed_store.doc_text(c["doc_id"])[c["start"] : c["end"]] == c["quote"]
    text = CliRunner().invoke(main, ["relations", "--entity", "Tehran"])
    assert text.exit_code == 0 and "Iran" in text.output and "groups" in text.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["relations", "--relation", "hugged"], "Unknown relation 'hugged'"),
        (["relations", "--entity", "  "], "The entity is empty"),
    ],
)
def test_cli_relations_bad_input_exits_1(env: None, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and message in result.output


def test_chat_answers_who_sanctioned_whom_from_the_edges(seed_settings: Any, seed_store: Any) -> None:
    settings = seed_settings.model_copy(update={"answer_mode": "extractive"})
    answerer = wiring.answerer(settings, seed_store, llm=None)
    answer = answerer.answer("Who sanctioned whom?")
    assert answer.mode == "relations" and not answer.abstained
    lines = answer.answer.split("\n")
    assert lines[0].startswith("EU sanctioned seven individuals and seven entities [1]")
    assert all(line.rstrip().endswith("]") or line.rstrip().endswith("].") for line in lines)
    for c in answer.citations:
        assert seed_store.doc_text(c.doc_id)[c.start : c.end] == c.quote
    follow = answerer.answer("Who supplied drones to Russia?")
    assert follow.mode == "relations" and follow.answer.startswith("Iran sold more than two thousand drones")
    ordinary = answerer.answer("How many Iranian drones did Ukraine shoot down?")
    assert ordinary.mode != "relations"
