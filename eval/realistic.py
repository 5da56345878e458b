"""`qa bench`'s realistic index: the seeds among the real articles, measured where users live.

Ingests a suite's files (`seeds+distractors`: 2,272 files, ~27k chunks; the `ci-slice` in quick
mode) into a fresh store exactly as `qa ingest` does (embedding, Chroma writes, the keyword index of
the new version, the relation edges), then encodes the same chunk texts with sentence-transformers
alone in the same run, so `ingest_over_encode` compares like with like on the same machine load, and
`relations_added` is what relation extraction adds to the rest of that ingest. Against that index it times
cold `qa ask` (process start to exit), `qa serve` start-up (process start to the first HTTP 200, the
answerer loaded), warm answers over the seed questions, and the peak RSS of a serving process.
Deliberately not judged here: answer quality (`qa eval --suite`).
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eval.child_env import offline_env
from eval.ingest_speed import chunk_texts, encode_s
from eval.percentiles import median, ratio

PROJECT_DIR = Path(__file__).resolve().parent.parent
QA = Path(sys.executable).parent / "qa"
COLD_QUESTION = "Who sanctioned whom?"
COLD_TIMEOUT_S = 300
SERVE_TIMEOUT_S = 600


def cold_ask(env: dict[str, str], runs: int, question: str = COLD_QUESTION) -> dict[str, Any]:
    """Wall time of `qa ask QUESTION` from process start to exit, `runs` times, in `env` (its QA_DATA_DIR)."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(
            [str(QA), "ask", question],
            env=env,
            capture_output=True,
            text=True,
            timeout=COLD_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            cwd=PROJECT_DIR,
        )
        times.append(round(time.perf_counter() - t, 2))
        if proc.returncode != 0:
            raise RuntimeError(f"`qa ask` exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return {"command": shlex.join(["qa", "ask", question]), "runs_s": times, "median_s": median(times)}


def serve_ready(env: dict[str, str], work: Path) -> dict[str, Any]:
    """Seconds from starting `qa serve` to its first HTTP 200 (it loads the answerer first), and its RSS."""
    from eval.load_test import Server, free_port, rss_mb

    server = Server(Path(env["QA_DATA_DIR"]), free_port(), work / "serve.log", env=env)
    try:
        ready_s = server.wait_ready(timeout=SERVE_TIMEOUT_S)
        return {"ready_s": round(ready_s, 2), "rss_mb_ready": rss_mb(server.proc.pid)}
    finally:
        server.stop()


def ingest_timed(settings: Any, files: Sequence[Path], echo: Callable[[str], None]) -> dict[str, Any]:
    """`qa ingest` of `files` into `settings.data_dir` (fresh), split into the store writes and the
    keyword index, next to the bare encode of the same chunk texts."""
    from qa import wiring

    store, embedder = wiring.store(settings), wiring.embedder(settings)
    max_bytes = int(settings.max_file_mb * 1e6)
    t = time.perf_counter()
    report = wiring.ingest(settings, files, chunk_store=store, embed=embedder, keyword_index=False)
    store_s = time.perf_counter() - t
    t = time.perf_counter()
    wiring.save_keyword_index(settings, store)
    keyword_s = time.perf_counter() - t
    echo(f"  ingest {report.summary()}; keyword index {keyword_s:.1f} s")
    texts = chunk_texts(list(files), settings.chunk_size, settings.chunk_overlap, max_bytes)
    bare_s = encode_s(embedder, texts, settings.embed_batch_size)
    total_s = store_s + keyword_s
    relations_s = report.relations_seconds
    echo(f"  bare encode of the same {len(texts)} chunks: {bare_s:.1f} s")
    echo(f"  relation extraction: {relations_s:.1f} s of it, {report.edges_written} edges")
    return {
        "files": len(files),
        "documents": len(report.added),
        "chunks": report.total_chunks,
        "ingest_s": round(total_s, 2),
        "store_s": round(store_s, 2),
        "keyword_index_s": round(keyword_s, 2),
        "chunks_per_s": ratio(report.chunks_written, total_s),
        "encode_s": round(bare_s, 2),
        "encode_chunks_per_s": ratio(len(texts), bare_s),
        "ingest_over_encode": ratio(total_s, bare_s),
        "edges": report.edges_written,
        "relations_s": round(relations_s, 2),
        # what extraction adds to an ingest without it, in the same run
        "relations_added": ratio(relations_s, total_s - relations_s),
    }


def measure(
    settings: Any,
    work: Path,
    suite: str,
    gold: Sequence[Any],
    cold_runs: int,
    memory_questions: int,
    echo: Callable[[str], None],
    child_env: Callable[[Path], dict[str, str]] = offline_env,
) -> dict[str, Any]:
    """Every number of the section, in the order measured (the index is built first, once)."""
    from tqdm import tqdm

    from eval.latency import warm_answers
    from eval.memory import peak_rss
    from eval.suites import SUITES, files
    from qa import wiring

    chosen = files(SUITES[suite], settings.seeds_dir, settings.corpus_dir)
    data_dir = work / f"realistic-{suite}"
    local = settings.model_copy(update={"data_dir": data_dir, "chroma_url": None})
    out: dict[str, Any] = {"suite": suite, "ingest": ingest_timed(local, chosen, echo)}
    env = child_env(data_dir)
    out["cold"] = cold_ask(env, cold_runs)
    echo(f"  cold qa ask: {out['cold']['runs_s']} s")
    out["serve"] = serve_ready(env, work)
    echo(f"  qa serve ready after {out['serve']['ready_s']} s, RSS {out['serve']['rss_mb_ready']} MB")
    answerer = wiring.answerer(local)
    with tqdm(
        total=len(gold), desc="Warm answers (realistic)", unit="q", leave=False, file=sys.stderr
    ) as bar:
        warm = warm_answers(answerer, gold, None, progress=bar.update)
    out["warm_ms"] = warm["stages_ms"]["total"]
    out["serve_peak"] = peak_rss("serve", str(memory_questions), env, SERVE_TIMEOUT_S)
    return out
