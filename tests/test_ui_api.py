"""The UI's API through `gradio_client`, against one app on a free loopback port over a copy of the seeds.

The app loads the bundled model (as `qa serve` does); questions use the extractive mode for speed
(real retrieval and citations, no model call) except one that uses the model. Also: uploads are vetted
(unit tests of `ui.uploads`), feedback lines, and the streamed chat turn that the browser shows.
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import pytest

from qa.errors import InputError

ZORBANIA = (
    "Zorbania sanctions update\n"
    "The Zorbanian parliament fined the Quux Corporation 42 million euros on Tuesday.\n"
)
ANSWER_TIMEOUT_S = 600


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(
    seed_settings: Any, seed_store: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """The app over a private copy of the seeded index: {url, settings, client, store}."""
    from gradio_client import Client

    from qa import wiring
    from ui.app import build_app

    data_dir = tmp_path_factory.mktemp("ui_api_data")
    assert seed_store.count() > 0
    shutil.copytree(seed_settings.data_dir / "chroma", data_dir / "chroma")
    settings = seed_settings.model_copy(update={"data_dir": data_dir})
    app = build_app(settings)
    port = free_port()
    app.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        yield {
            "url": url,
            "settings": settings,
            "client": Client(url, verbose=False),
            "store": wiring.store(settings),
        }
    finally:
        app.close()


def _ask(served: dict[str, Any], question: str, mode: str = "extractive", **kw: Any) -> dict[str, Any]:
    result = served["client"].predict(question, api_name="/ask", mode=mode, **kw)
    assert isinstance(result, dict), result
    return result


def _assert_quotes_match(served: dict[str, Any], answer: dict[str, Any]) -> None:
    for c in answer["citations"]:
        assert served["store"].doc_text(c["doc_id"])[c["start"] : c["end"]] == c["quote"]


# --- through the running app -------------------------------------------------------------------
@pytest.mark.real
def test_ask_returns_a_cited_answer(served: dict[str, Any]) -> None:
    answer = _ask(served, "Who sanctioned whom?")
    assert not answer["abstained"] and answer["mode"] == "relations"  # answered from the edges
    assert answer["citations"] and "[1]" in answer["answer"]
    _assert_quotes_match(served, answer)
    assert any("seven individuals" in c["quote"] for c in answer["citations"])


@pytest.mark.real
def test_out_of_scope_question_abstains(served: dict[str, Any]) -> None:
    answer = _ask(served, "Who won the 2022 World Cup?")
    assert answer["abstained"] and answer["citations"] == []
    assert answer["answer"].startswith("The documents don't say")


@pytest.mark.real
def test_uploaded_article_is_answerable_at_once(served: dict[str, Any], tmp_path: Path) -> None:
    from gradio_client import handle_file

    path = tmp_path / "zorbania_update.txt"
    path.write_text(ZORBANIA, encoding="utf-8")
    status, table, _choices, _header, _files = served["client"].predict(
        [handle_file(str(path))], api_name="/upload"
    )
    assert "1 added" in status and "zorbania_update" in status
    assert "zorbania_update" in json.dumps(table)
    assert (served["settings"].data_dir / "uploads" / "zorbania_update.txt").read_text() == ZORBANIA
    answer = _ask(served, "How much did the Zorbanian parliament fine the Quux Corporation?")
    assert not answer["abstained"]
    assert answer["citations"][0]["doc_id"] == "zorbania_update"
    assert "42 million euros" in answer["citations"][0]["quote"]
    _assert_quotes_match(served, answer)


@pytest.mark.real
def test_removed_document_is_gone(served: dict[str, Any], tmp_path: Path) -> None:
    from gradio_client import handle_file

    path = tmp_path / "short_lived.md"
    path.write_text("# Blorvik harbour news\nThe Blorvik harbour reopened after the storm on Monday.\n")
    served["client"].predict([handle_file(str(path))], api_name="/upload")
    assert "short_lived" in served["store"].doc_records()
    status, table, *_ = served["client"].predict("short_lived", api_name="/remove")
    assert "Removed: short_lived" in status and "short_lived" not in json.dumps(table)
    assert "short_lived" not in served["store"].doc_records()
    answer = _ask(served, "When did the Blorvik harbour reopen?")
    assert all(c["doc_id"] != "short_lived" for c in answer["citations"])


@pytest.mark.real
def test_feedback_appends_a_line(served: dict[str, Any]) -> None:
    answer = _ask(served, "Where were the drones shipped across?")
    path = served["settings"].data_dir / "feedback.jsonl"
    before = path.read_text().splitlines() if path.exists() else []
    confirmation = served["client"].predict("down", answer, api_name="/feedback")
    assert "down" in confirmation
    lines = path.read_text().splitlines()
    assert len(lines) == len(before) + 1
    entry = json.loads(lines[-1])
    assert set(entry) == {"ts", "question", "answer", "citations", "rating"}
    assert entry["rating"] == "down" and entry["question"] == "Where were the drones shipped across?"
    assert entry["answer"] == answer["answer"]
    assert entry["citations"][0]["quote"] == answer["citations"][0]["quote"]


@pytest.mark.real
def test_bad_requests_get_readable_errors_and_the_app_keeps_working(
    served: dict[str, Any], tmp_path: Path
) -> None:
    from gradio_client import handle_file
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="The question is empty") as empty:
        served["client"].predict("   ", api_name="/ask")
    assert "Traceback" not in str(empty.value) and 'File "' not in str(empty.value)
    with pytest.raises(AppError, match="Unknown answer mode"):
        served["client"].predict("Who sanctioned whom?", api_name="/ask", mode="telepathic")
    with pytest.raises(AppError, match="Unknown rating"):
        served["client"].predict("sideways", {"question": "q", "answer": "a"}, api_name="/feedback")
    with pytest.raises(AppError, match=r"not in the index|not in the list of choices"):
        served["client"].predict("no_such_doc", api_name="/remove")
    bad = tmp_path / "payload.exe"
    bad.write_bytes(b"MZ not an article")
    with pytest.raises(AppError, match=r"(?i)invalid file type|unsupported file type"):
        served["client"].predict([handle_file(str(bad))], api_name="/upload")
    assert "payload" not in served["store"].doc_records()
    assert not (served["settings"].data_dir / "uploads" / "payload.exe").exists()
    assert _ask(served, "Who sanctioned whom?")["citations"]  # still answering


@pytest.mark.real
def test_two_clients_asking_at_once_both_get_answers(served: dict[str, Any]) -> None:
    from gradio_client import Client

    other = Client(served["url"], verbose=False)
    jobs = [
        served["client"].submit("Who sanctioned whom?", api_name="/ask", mode="extractive"),
        other.submit("Where were the drones shipped across?", api_name="/ask", mode="extractive"),
    ]
    try:
        results = [job.result(timeout=ANSWER_TIMEOUT_S) for job in jobs]
    except FutureTimeout:
        pytest.fail("a queued question never got its answer")
    assert any("seven individuals" in c["quote"] for c in results[0]["citations"])
    assert any("Caspian" in c["quote"] for c in results[1]["citations"])


@pytest.mark.real
def test_generative_answer_with_the_bundled_model(served: dict[str, Any]) -> None:
    answer = _ask(served, "Where were the drones shipped across?", mode="generative")
    assert answer["model"] == "gemma3-270m"  # the default preset
    assert answer["mode"] in {"generative", "extractive"}  # extractive when the draft fails verification
    assert answer["citations"] and "Caspian" in answer["answer"]
    _assert_quotes_match(served, answer)


@pytest.mark.real
def test_chat_turn_streams_the_draft_then_the_verified_answer(scripted: Any, seed_settings: Any) -> None:
    """The chat handler with a scripted model: dimmed draft bubbles first, then chips and sources."""
    from ui.app import Handlers
    from ui.service import Service

    answerer = scripted("The EU sanctioned seven individuals and seven entities [1]. Kittens are purple [2].")
    handlers = Handlers(Service(seed_settings, answerer))
    _, turns = handlers.stage("What sanctions did the EU impose over Iran's drone transfers?", [])
    updates = list(handlers.respond(turns, 5, "generative"))
    assert any("msg bot drafting" in chat for chat, _, _ in updates[:-1])
    chat, sources, final_turns = updates[-1]
    assert "drafting" not in chat and 'class="msg bot answer"' in chat
    assert 'href="#src-0-1"' in chat and 'id="src-0-1"' in sources
    assert "<mark>" in sources and "seven individuals" in sources
    assert final_turns[-1]["record"]["citations"]


@pytest.mark.real
@pytest.mark.filterwarnings("ignore:The index is empty")  # gr.Warning outside a request is a warning
def test_chat_turn_shows_engine_errors_as_a_message(seed_settings: Any, tmp_path: Path) -> None:
    from ui.app import Handlers
    from ui.service import Service

    empty = seed_settings.model_copy(update={"data_dir": tmp_path, "answer_mode": "extractive"})
    handlers = Handlers(Service(empty))
    _, turns = handlers.stage("What sanctions did the EU impose over Iran's drone transfers?", [])
    chat, _, final_turns = list(handlers.respond(turns, 5, "extractive"))[-1]
    assert 'class="msg bot error"' in chat and "The index is empty" in chat
    assert "Traceback" not in chat and not final_turns[-1]["answer"]


# --- upload vetting and feedback records (no server) --------------------------------------------
def test_safe_names_refuse_paths_and_types() -> None:
    from ui.uploads import safe_name

    assert safe_name("My Report (final).TXT") == "My Report _final.txt"
    assert safe_name("notes.md") == "notes.md"
    for bad in [
        "../../etc/passwd.txt",
        "..\\evil.txt",
        "/abs/path.md",
        "..",
        ".hidden.txt",
        "run.sh",
        "archive.txt.exe",
        "noext",
        "a\x00.txt",
        "???.txt",
    ]:
        with pytest.raises(InputError):
            safe_name(bad)


def test_stage_copies_only_acceptable_files_inside_the_uploads_folder(tmp_path: Path) -> None:
    from ui.uploads import stage

    src = tmp_path / "incoming"
    src.mkdir()
    good, big, empty = src / "a", src / "b", src / "c"
    good.write_text("An article.")
    big.write_bytes(b"x" * 2000)
    empty.write_bytes(b"")
    dest = tmp_path / "data" / "uploads"
    staged = stage(
        [
            (good, "article.txt"),
            (good, "../../escape.txt"),
            (good, "page.html.py"),
            (big, "big.md"),
            (empty, "empty.txt"),
        ],
        dest,
        max_bytes=1000,
    )
    assert staged.accepted == [(dest / "article.txt").resolve()]
    assert len(staged.refused) == 4
    assert any("not a plain file name" in r for r in staged.refused)
    assert any("limit" in r for r in staged.refused) and any("empty" in r for r in staged.refused)
    assert sorted(p.name for p in dest.iterdir()) == ["article.txt"]
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "data" / "escape.txt").exists()


def test_feedback_record_appends_json_lines(tmp_path: Path) -> None:
    from ui import feedback

    path = tmp_path / "sub" / "feedback.jsonl"
    feedback.record(
        path,
        "Q?",
        "A [1].",
        [{"n": 1, "doc_id": "d", "quote": "A.", "start": 0, "end": 2, "support": 1.0}],
        "up",
    )
    feedback.record(path, "Q2?", "B.", [], "down")
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["rating"] for r in rows] == ["up", "down"]
    assert rows[0]["citations"] == [{"n": 1, "doc_id": "d", "quote": "A.", "start": 0, "end": 2}]
    with pytest.raises(InputError):
        feedback.record(path, "Q?", "A.", [], "meh")
    with pytest.raises(InputError):
        feedback.record(path, "Q?", "  ", [], "up")
