"""Faults: ingest killed mid-write, Chroma server restarted, model server misbehaving, bad model file,
read-only and full data folders. Every failure must be a clear `QAError` (CLI: a message and exit 1,
never a traceback), bounded in time, and must leave what was already ingested intact.

Real processes throughout: `qa ingest` subprocesses killed with SIGKILL (`eval.kill_ingest`), a real
`chroma run` server, a tiny HTTP server in a thread speaking the OpenAI streaming protocol (badly, on
purpose), `setpriv` to run as user nobody, and a real tmpfs mount to run out of space.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eval.chroma_server import ChromaServer, free_port
from qa import wiring
from qa.cli import main
from qa.errors import ModelError, StoreError

pytestmark = pytest.mark.real
ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
QA = Path(sys.executable).parent / "qa"
QUESTION = "Who sanctioned whom?"
# The model's path (QA_RELATIONS off, and no answer phrase: those are answered without the model).
MODEL_QUESTION = "What sanctions did the EU impose over Iran's drone transfers?"


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(QA_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False", **extra)
    return env


def _qa(args: list[str], env: dict[str, str], timeout: float = 600, prefix: list[str] | None = None) -> Any:
    return subprocess.run(
        [*(prefix or []), str(QA), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _inspect(data_dir: Path) -> dict[str, Any]:
    """Chunk/record counts, consistency and a checksum of the collections' contents, from a fresh process."""
    done = subprocess.run(
        [sys.executable, "-m", "eval.kill_ingest", "--inspect", str(data_dir)],
        cwd=ROOT,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _files_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _synthetic_article(path: Path, sentences: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    places = ["Valmora", "Kestrava", "Norhaven", "Dunmere", "Sorvik"]
    lines = ["Synthetic harbour ledger"]
    for i in range(sentences):
        lines.append(
            f"On day {i} the harbour office of {rng.choice(places)} logged {rng.randint(2, 900)} "
            f"crates of {rng.choice(['salt', 'tin', 'rope', 'grain'])} from {rng.choice(places)}."
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- SIGKILL during ingest ------------------------------------------------------------------------
def test_ingest_killed_at_random_points_is_completed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "kill.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "eval.kill_ingest",
            "--trials",
            "3",
            "--extra-docs",
            "20",
            "--seed",
            "1",
            "--out",
            str(out),
            "--workdir",
            str(tmp_path),
            "--max-minutes",
            "25",
            "--ingest-timeout",
            "600",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=2400,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["trials_run"] == 3 and report["failed"] == 0 and report["passed"] == 3
    for trial in report["trials"]:
        check = trial["check"]
        assert check["chunks"] == report["clean"][trial["kind"]]["chunks"]
        assert check["duplicate_ids"] == check["orphaned_chunks"] == 0
        assert check["records_with_wrong_n_chunks"] == [] and check["stale_or_missing_records"] == []
        assert check["missing_ids"] == check["unexpected_ids"] == 0
        assert check["dense_found"] == check["chunks"]
    assert sum(report["landed_in"].values()) == 3 and "landed in" in done.stdout


def test_chunks_of_an_interrupted_document_are_not_cited(
    tmp_path: Path, seed_settings: Any, seed_store: Any
) -> None:
    """Between a document's chunks and its record (written last), the chunks are not answerable yet."""
    data = tmp_path / "data"
    shutil.copytree(seed_settings.data_dir / "chroma", data / "chroma")
    settings = seed_settings.model_copy(update={"data_dir": data, "answer_mode": "extractive"})
    store = wiring.store(settings)
    store.docs.delete(ids=["000_0e5bc8f3e6e9b2e9"])  # as a kill just before its record was written
    answerer = wiring.answerer(settings, store)
    answer = answerer.answer(QUESTION)  # used to fail: "Document '000_…' is not in the index"
    assert all(c.doc_id != "000_0e5bc8f3e6e9b2e9" for c in answer.citations)
    assert all(r.doc_id != "000_0e5bc8f3e6e9b2e9" for r in answer.retrieved)
    # nor are its relation edges (written before the record, like the chunks)
    assert answer.mode == "relations"
    assert all(g.edges[0].doc_id != "000_0e5bc8f3e6e9b2e9" for g in wiring.relation_index(store).groups())


# --- Chroma server stopped and restarted --------------------------------------------------------
def test_chroma_server_restart_mid_session(tmp_path: Path, seed_settings: Any) -> None:
    from vectorstore.ingest import ingest

    server = ChromaServer(tmp_path / "server").start()
    try:
        settings = seed_settings.model_copy(
            update={"chroma_url": server.url, "answer_mode": "extractive", "data_dir": tmp_path / "unused"}
        )
        store = wiring.store(settings)
        ingest([SEEDS], store, wiring.embedder(settings), chunk_size=300, chunk_overlap=0, max_bytes=10**7)
        answerer = wiring.answerer(settings, store)
        first = answerer.answer(QUESTION)
        assert any("seven individuals" in c.quote for c in first.citations)

        server.stop()
        for attempt in (
            lambda: answerer.answer("Where were the drones shipped across?"),
            lambda: answerer.answer(QUESTION),
            answerer.refresh,
        ):
            started = time.monotonic()
            with pytest.raises(StoreError) as err:
                attempt()
            assert time.monotonic() - started < 30
            message = str(err.value)
            assert f"Chroma server at {server.url}" in message and "chroma run" in message
            assert f"--port {server.port}" in message and "QA_CHROMA_URL" in message
            assert err.value.__cause__ is None and err.value.__suppress_context__  # no raw httpx chain

        server.start()  # same port, same folder
        again = answerer.answer(QUESTION)  # the same answerer object, not rebuilt
        assert again.answer == first.answer and again.citations == first.citations
        other = answerer.answer("Where were the drones shipped across?")
        assert any("Caspian" in c.quote for c in other.citations)
    finally:
        server.stop()


# --- OpenAI-compatible backend misbehaving --------------------------------------------------------
LLM_TIMEOUT = 2.0
SLOW_S = 8.0  # longer than LLM_TIMEOUT; the handler gives up early when the test ends


def _chunk(text: str) -> str:
    return json.dumps(
        {
            "id": "c1",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "local",
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": text}, "finish_reason": None}],
        }
    )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _FakeOpenAI

    def log_message(self, *args: Any) -> None:
        pass

    def _raw(self, status: int, body: bytes, ctype: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _part(self, data: str) -> None:
        raw = data.encode()
        self.wfile.write(f"{len(raw):x}\r\n".encode() + raw + b"\r\n")
        self.wfile.flush()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        srv = self.server
        srv.requests.append((time.monotonic(), self.path, json.loads(body or b"{}")))
        mode = srv.mode
        if mode == "slow":  # nothing at all until long after the client's timeout
            srv.stop.wait(SLOW_S)
        if mode == "http500":
            return self._raw(500, b'{"error": {"message": "model crashed", "type": "server_error"}}')
        if mode == "not_a_stream":  # 200 with a body that is not JSON, let alone an event stream
            return self._raw(200, b"{this is not json at all")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if mode == "invalid_json":
            self._part("data: {not json\n\n")
            self._part("data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        self._part(f"data: {_chunk('The EU sanctioned')}\n\n")
        if mode == "truncated":  # the connection drops mid-stream (no terminating chunk, no [DONE])
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if mode == "stall":  # the stream starts, then stops short of the end for longer than the timeout
            srv.stop.wait(SLOW_S)
        self._part(f"data: {_chunk(' seven individuals and seven entities [1].')}\n\n")
        self._part("data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")


class _FakeOpenAI(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "ok"
        self.requests: list[tuple[float, str, dict[str, Any]]] = []
        self.stop = threading.Event()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up on a deliberately broken reply is expected here

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


@pytest.fixture(scope="module")
def fake_openai() -> Iterator[_FakeOpenAI]:
    server = _FakeOpenAI()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture(scope="module")
def openai_answerer(fake_openai: _FakeOpenAI, seed_settings: Any, seed_store: Any) -> Any:
    settings = seed_settings.model_copy(
        update={
            "llm_backend": "openai",
            "openai_base_url": fake_openai.url,
            "llm_timeout": LLM_TIMEOUT,
            "relations": False,  # the model's path: this question would be answered from the edges
        }
    )
    return wiring.answerer(settings, seed_store)


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        ("slow", r"failed: APITimeoutError"),
        ("stall", r"failed: ReadTimeout"),
        ("http500", r"failed: InternalServerError: Error code: 500"),
        ("invalid_json", r"failed: JSONDecodeError"),
        ("not_a_stream", r"sent no reply \(not an OpenAI-compatible stream\?\)"),
        ("truncated", r"failed: RemoteProtocolError: peer closed connection"),
    ],
)
def test_misbehaving_openai_server_is_a_clear_model_error(
    fake_openai: _FakeOpenAI, openai_answerer: Any, mode: str, says: str
) -> None:
    fake_openai.mode = mode
    sent = len(fake_openai.requests)
    started = time.monotonic()
    with pytest.raises(ModelError) as err:
        openai_answerer.answer(MODEL_QUESTION)
    ended = time.monotonic()
    assert len(fake_openai.requests) == sent + 1  # one request, no retries
    asked_at, path, body = fake_openai.requests[-1]
    assert path == "/v1/chat/completions" and body["stream"] is True
    assert ended - asked_at < LLM_TIMEOUT + 1.5  # the model call gives up within the timeout
    assert ended - started < LLM_TIMEOUT + 10  # the whole question too (retrieval included)
    message = str(err.value)
    assert f"openai:local@{fake_openai.url}" in message and re.search(says, message), message
    assert "QA_OPENAI_BASE_URL" in message and err.value.__cause__ is None


def test_openai_server_unreachable_then_back(
    fake_openai: _FakeOpenAI, openai_answerer: Any, seed_settings: Any, seed_store: Any
) -> None:
    dead = seed_settings.model_copy(
        update={
            "llm_backend": "openai",
            "openai_base_url": f"http://127.0.0.1:{free_port()}/v1",
            "llm_timeout": LLM_TIMEOUT,
            "relations": False,
        }
    )
    started = time.monotonic()
    with pytest.raises(ModelError, match=r"failed: APIConnectionError"):
        wiring.answerer(dead, seed_store).answer(MODEL_QUESTION)
    assert time.monotonic() - started < LLM_TIMEOUT + 10
    # After all the failures above the answerer still works (no lock or connection left stuck).
    fake_openai.mode = "ok"
    answer = openai_answerer.answer(MODEL_QUESTION)
    assert answer.mode == "generative" and "seven individuals" in answer.answer


# --- model file that is not a GGUF, through `qa ask` ----------------------------------------------
def test_ask_with_a_non_gguf_model_names_the_file(
    tmp_path: Path, seed_settings: Any, seed_store: Any
) -> None:
    bad = tmp_path / "downloaded-model.gguf"
    bad.write_bytes(b"<html><body>404 Not Found</body></html>\n" * 50_000)
    env = {"QA_DATA_DIR": str(seed_settings.data_dir), "QA_MODEL_PATH": str(bad)}
    runner = CliRunner()
    result = runner.invoke(main, ["ask", QUESTION], env=env)
    assert result.exit_code == 1, result.output
    assert f"Error: {bad} is not a GGUF model file." in result.output
    assert "QA_MODEL_PATH" in result.output and "Traceback" not in result.output
    # Extractive answers do not need the model, so they still work with the same settings.
    result = runner.invoke(main, ["ask", "--json", QUESTION], env={**env, "QA_ANSWER_MODE": "extractive"})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["citations"]


# --- data folder read-only (as user nobody) -------------------------------------------------------
def _as_nobody() -> list[str]:
    """A command prefix running as user nobody, able to read (never write) root's files; or skip."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv is not installed")
    base = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    # Python may live under /root (mode 0700): then nobody also needs CAP_DAC_READ_SEARCH to *read* it.
    # That capability never grants writing, so permissions on the data folder still apply.
    for prefix in (base, [*base, "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]):
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", "import os, chromadb; print(os.geteuid())"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if probe.returncode == 0 and probe.stdout.strip() == "65534":
            return prefix
    pytest.skip(f"cannot run the project's Python as user nobody here: {probe.stderr.strip()[-200:]}")


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder user nobody can reach (pytest's own tmp folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="qa_ro_"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_read_only_data_dir_as_nobody(shared_tmp: Path, seed_settings: Any, seed_store: Any) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to switch to user nobody")
    nobody = _as_nobody()
    data = shared_tmp / "data"
    shutil.copytree(seed_settings.data_dir / "chroma", data / "chroma")
    articles = shared_tmp / "articles"
    shutil.copytree(SEEDS, articles)
    _synthetic_article(articles / "ledger.txt", 40)  # something new, so ingest must write
    for path in [shared_tmp, *shared_tmp.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # owned by root: nobody may read, not write
    before = _inspect(data)
    files_before = _files_digest(data)

    done = _qa(["ingest", "-q", str(articles)], _env(data, HOME="/nonexistent"), timeout=600, prefix=nobody)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output and str(data / "chroma") in output
    assert re.search(r"readonly|read-only|not writable|could not be written|cannot open", output, re.I), (
        output
    )
    assert _files_digest(data) == files_before  # not a byte changed
    after = _inspect(data)
    assert (after["chunks"], after["records"], after["content_sha256"]) == (
        before["chunks"],
        before["records"],
        before["content_sha256"],
    )


# --- out of space (a real tmpfs) ------------------------------------------------------------------
@pytest.fixture
def tiny_fs() -> Iterator[Path]:
    mount_point = Path(tempfile.mkdtemp(prefix="qa_tmpfs_"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m,mode=0755", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if mounted.returncode != 0:
        mount_point.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        for flags in ([], ["-l"]):
            if subprocess.run(["umount", *flags, str(mount_point)], timeout=60, check=False).returncode == 0:
                break
        shutil.rmtree(mount_point, ignore_errors=True)


def _fill(path: Path, leave: int) -> None:
    """Fill the file system holding `path` until it is full, then give back `leave` bytes."""
    block = b"\0" * (1 << 20)
    with path.open("wb") as fh:
        for _ in range(64):  # the tmpfs is 24 MB: bounded
            try:
                fh.write(block)
                fh.flush()
            except OSError:
                break
    size = path.stat().st_size
    os.truncate(path, max(0, size - leave))


def test_out_of_space_is_a_clear_error_and_keeps_the_index(tiny_fs: Path, tmp_path: Path) -> None:
    data = tiny_fs / "data"
    env = _env(data, QA_ANSWER_MODE="extractive")
    first = _qa(["ingest", "-q", str(SEEDS)], env)
    assert first.returncode == 0, first.stderr
    listed_before = json.loads(_qa(["sources", "--json"], env).stdout)
    assert len(listed_before) == 5

    extra = tmp_path / "extra"
    extra.mkdir()
    _synthetic_article(extra / "ledger.txt", 1500)  # ~100 KB: hundreds of chunks to write
    filler = tiny_fs / "filler"
    _fill(filler, leave=256_000)  # room to open the index, not to write the new chunks
    full = _qa(["ingest", "-q", str(extra)], env)
    output = full.stdout + full.stderr
    assert full.returncode == 1, output
    assert "Traceback" not in output and str(data / "chroma") in output
    assert re.search(r"disk full|disk is full|no space", output, re.I), output

    filler.unlink()
    listed_after = json.loads(_qa(["sources", "--json"], env).stdout)
    assert listed_after == listed_before  # every document still listed, same chunks
    for doc, question in [
        ("000_0e5bc8f3e6e9b2e9", QUESTION),
        ("003_fef7078a1548e2c8", "How many people lost power in Odessa?"),
    ]:
        asked = _qa(["ask", "--json", question], env)
        assert asked.returncode == 0, asked.stderr
        answer = json.loads(asked.stdout)
        assert any(c["doc_id"] == doc for c in answer["citations"]), answer
        for c in answer["citations"]:
            text = (SEEDS / f"{c['doc_id']}.txt").read_text(encoding="utf-8")
            assert text[c["start"] : c["end"]] == c["quote"]
    again = _qa(["ingest", "-q", str(extra)], env)  # with space again, the new file goes in
    assert again.returncode == 0 and "1 added" in again.stdout, again.stdout + again.stderr
    check = _inspect(data)
    assert check["orphaned_chunks"] == 0 and check["records_with_wrong_n_chunks"] == []
    assert check["records"] == 6
