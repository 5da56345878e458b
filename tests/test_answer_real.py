"""Real tier: the bundled GGUF answering over the seeds, in-process and through an OpenAI-compatible server."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from eval.chroma_server import free_port
from qa import wiring
from qa.errors import ModelError

pytestmark = pytest.mark.real
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EU_DOC = "000_0e5bc8f3e6e9b2e9"


def _contract(answer: Any) -> None:
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)} == {c.n for c in answer.citations}
    for c in answer.citations:
        assert (SEEDS / f"{c.doc_id}.txt").read_bytes().decode("utf-8")[c.start : c.end] == c.quote


@pytest.fixture(scope="module")
def bundled(seed_settings: Any, seed_store: Any) -> Any:
    return wiring.answerer(seed_settings, seed_store)


def test_who_sanctioned_whom(bundled: Any) -> None:
    a = bundled.answer("Who sanctioned whom?")
    assert not a.abstained
    text = a.answer.lower()
    assert "eu" in text and "seven individuals" in text and "seven entities" in text
    assert any(c.doc_id == EU_DOC and "seven individuals" in c.quote for c in a.citations)
    _contract(a)


def test_an_answer_names_the_question_words_its_quote_leaves_out(bundled: Any) -> None:
    flagged = bundled.answer("How many people lost power in Odessa after the drone attack?")
    assert not flagged.abstained and "1.5 million" in flagged.answer
    assert "lost" in flagged.unmatched  # the quote says "left ... without power"
    assert flagged.to_json()["unmatched"] == flagged.unmatched
    # "shot down" says "shoot down": the lemma counts, so this answer is not flagged
    covered = bundled.answer("How many of the Shahed drones launched overnight did Ukraine shoot down?")
    assert "59" in covered.answer and covered.unmatched == []
    assert bundled.answer("Who won the 2022 World Cup?").unmatched == []  # a refusal has nothing to check


def test_unanswerable_question_abstains(bundled: Any) -> None:
    a = bundled.answer("Who won the 2022 World Cup?")
    assert a.abstained and a.mode == "abstain" and not a.citations and a.retrieved


def test_answers_are_reproducible(bundled: Any) -> None:
    """Same question, same answer, once the model has answered before: the very first generation of a
    process computes the fixed instructions from scratch, later ones reuse llama.cpp's cached prefix,
    and the two paths can differ in the last float (one word, seen once: "sent" vs "shipped")."""
    bundled.answer("How many Iranian drones did Ukraine shoot down?")  # the prefix is cached from here
    q = "Where were the Iranian drones shipped across?"
    first, second = bundled.answer(q), bundled.answer(q)
    assert first.answer == second.answer and "Caspian Sea" in first.answer
    _contract(first)


def test_streaming_yields_tokens_before_the_end(bundled: Any) -> None:
    from qa.result import Final, Token

    events = list(bundled.stream("What did Lloyd Austin say about Iranian drones?"))
    assert sum(isinstance(e, Token) for e in events) > 3 and isinstance(events[-1], Final)


@pytest.mark.parametrize("content", [b"", b"NOTAGGUF" * 1000, b"GGUF\x03\x00"])
def test_bad_model_files_are_refused_naming_the_file(
    tmp_path: Path, seed_settings: Any, content: bytes
) -> None:
    bad = tmp_path / "model.gguf"
    bad.write_bytes(content)
    with pytest.raises(ModelError, match=r"model\.gguf"):
        wiring.llm(seed_settings.model_copy(update={"model_path": bad}))
    with pytest.raises(ModelError, match=r"missing\.gguf"):
        wiring.llm(seed_settings.model_copy(update={"model_path": tmp_path / "missing.gguf"}))


@pytest.fixture(scope="module")
def openai_server(seed_settings: Any) -> Any:
    """llama-cpp-python's own OpenAI-compatible server with the bundled model, on 127.0.0.1."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            wiring.model_file(seed_settings),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "2048",
            "--seed",
            "42",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/models", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("llama_cpp.server did not start")
    yield url
    proc.terminate()
    proc.wait(10)


def test_openai_compatible_backend(openai_server: str, seed_settings: Any, seed_store: Any) -> None:
    settings = seed_settings.model_copy(
        update={"llm_backend": "openai", "openai_base_url": openai_server, "openai_model": "local"}
    )
    answerer = wiring.answerer(settings, seed_store)
    a = answerer.answer(
        "How were the Iranian drones shipped to Russia?"
    )  # no answer phrase: the model is asked
    assert a.model.startswith("openai:") and "Caspian Sea" in a.answer
    assert a.timings_ms["generate"] > 0
    _contract(a)


def test_unreachable_openai_server_is_a_clear_error(seed_settings: Any, seed_store: Any) -> None:
    settings = seed_settings.model_copy(
        update={
            "llm_backend": "openai",
            "openai_base_url": f"http://127.0.0.1:{free_port()}/v1",
            "llm_timeout": 5,
            "relations": False,  # the model's path (the question would be answered from the edges)
        }
    )
    answerer = wiring.answerer(settings, seed_store)
    started = time.time()
    with pytest.raises(ModelError, match="failed"):
        answerer.answer("What sanctions did the EU impose over Iran's drone transfers?")
    assert time.time() - started < 10
