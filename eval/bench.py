"""`qa bench`: how fast the system is on this machine, against fixed targets, as a table and a JSON file.

Sections (each can be skipped): the CPU floor of the model (`eval.floor`), warm answer latency over
the gold questions (`eval.latency`), the peer system side by side, cold start of `qa ask`, ingestion
throughput on the seeds and synthetic corpora (`eval.ingest_speed`, `eval.synthetic`), retrieval
latency at 10^3..10^5 chunks embedded and on a `chroma run` server (`eval.scale`), and peak memory of
serving and ingesting (`eval.memory`), and the realistic index: the seeds among the real articles
(`eval.realistic`: ingest over bare encode, cold start, serve start-up, warm answers, RSS). Unlike the scorer in `eval.metrics`, this drives the engine.

Everything happens in a temporary folder with a fresh index of the seeds: the user's own index is
never read or written, and the only network traffic is to 127.0.0.1. Settings come from the caller
(`QA_*`), except that answering is always generative with the llama.cpp backend and the store always
local. It does not judge answer quality (`qa eval` does), compare with earlier runs, or exit non-zero
when a target is missed; a section that fails is recorded as an error and the others still run.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from eval import bench_report

SECTIONS = ("floor", "answer", "cold", "ingest", "retrieval", "memory", "peer", "realistic")
RUN_ORDER = (
    "floor",
    "answer",
    "peer",
    "cold",
    "ingest",
    "retrieval",
    "memory",
    "realistic",
)  # peer reuses the warm model
SERVE_TIMEOUT_S = 900
INGEST_TIMEOUT_S = 3600
PROJECT_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_DIR / "seeds"


@dataclass(frozen=True)
class Sizes:
    gold: int | None  # gold questions for warm latency (None: all)
    cold_runs: int
    articles: tuple[int, ...]  # synthetic corpora; the first is also the memory test's
    chunks: tuple[int, ...]  # retrieval scale points
    queries: int
    memory_questions: int
    realistic_suite: str  # the suite whose files make the realistic index (`eval.realistic`)
    realistic_questions: int


FULL = Sizes(
    gold=None,
    cold_runs=3,
    articles=(1_000, 10_000),
    chunks=(10**3, 10**4, 10**5),
    queries=50,
    memory_questions=5,
    realistic_suite="seeds+distractors",
    realistic_questions=40,
)
QUICK = Sizes(
    gold=5,
    cold_runs=1,
    articles=(50, 200),
    chunks=(10**2, 10**3),
    queries=10,
    memory_questions=2,
    realistic_suite="ci-slice",
    realistic_questions=5,
)


class Bench:
    """What the sections share, built on first use: settings, the seed index, the answerer, corpora."""

    def __init__(
        self, settings: Any, workdir: Path, sizes: Sizes, peer_limit: int, echo: Callable[[str], None]
    ) -> None:
        self.workdir = workdir
        self.sizes = sizes
        self.peer_limit = peer_limit
        self.echo = echo
        self.settings = settings.model_copy(
            update={
                "data_dir": workdir / "seed-index",
                "chroma_url": None,
                "seeds_dir": SEEDS_DIR,
                "answer_mode": "generative",
                "llm_backend": "llamacpp",
            }
        )

    @cached_property
    def store(self) -> Any:
        """A fresh embedded index of the seeds (what the gold questions are about)."""
        from qa import wiring

        store = wiring.store(self.settings)
        wiring.ingest(self.settings, [SEEDS_DIR], chunk_store=store)
        return store

    @cached_property
    def answerer(self) -> Any:
        from qa import wiring

        return wiring.answerer(self.settings, self.store)

    @cached_property
    def gold(self) -> list[Any]:
        from eval.gold import load_gold
        from eval.run import DEFAULT_GOLD

        return load_gold(DEFAULT_GOLD)

    @cached_property
    def sentences(self) -> list[str]:
        from eval.synthetic import seed_sentences

        return seed_sentences(SEEDS_DIR)

    def corpus(self, n: int) -> Path:
        """A folder of `n` synthetic articles, written once per run (seed 0: the same every run)."""
        from eval.synthetic import write_corpus

        folder = self.workdir / f"corpus-{n}"
        if not folder.exists():
            write_corpus(folder, n, self.sentences, seed=0)
        return folder

    def child_env(self, data_dir: Path) -> dict[str, str]:
        """The environment for a `qa` or `python` child: this run's settings as `QA_*`, another data dir."""
        env = dict(os.environ)
        settings = self.settings.model_copy(update={"data_dir": data_dir}).model_dump(mode="json")
        for name, value in settings.items():
            if value is None:
                env.pop(f"QA_{name.upper()}", None)
            else:  # lists and sets as JSON, which is how pydantic-settings reads complex fields
                env[f"QA_{name.upper()}"] = (
                    json.dumps(value) if isinstance(value, list | dict) else str(value)
                )
        return env


# --- sections ---------------------------------------------------------------------------------------


def floor_section(b: Bench, _: dict[str, Any]) -> dict[str, Any]:
    from eval.floor import measure
    from qa import wiring

    llm = wiring.llm(b.settings)
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt")))
    return measure(llm._model, text)  # type: ignore[union-attr]


def answer_section(b: Bench, results: dict[str, Any]) -> dict[str, Any]:
    from tqdm import tqdm

    from eval.latency import warm_answers

    gold = b.gold[: b.sizes.gold]
    floor = results.get("floor") if "pp_tok_s" in results.get("floor", {}) else None
    with tqdm(total=len(gold), desc="Warm answers", unit="q", leave=False, file=sys.stderr) as bar:
        return warm_answers(b.answerer, gold, floor, progress=bar.update)


def peer_section(b: Bench, _: dict[str, Any]) -> dict[str, Any]:
    from eval.latency import side_by_side
    from eval.peer import PeerSystem
    from qa import wiring

    answerer = b.answerer
    embedder = wiring.embedder(b.settings)
    peer = PeerSystem(b.store, embedder, answerer.llm, b.settings.top_k, answerer.model_name)
    return side_by_side(answerer, peer, b.gold[: b.peer_limit])


def cold_section(b: Bench, _: dict[str, Any]) -> dict[str, Any]:
    """Wall time of `qa ask` from process start to exit, against the seed index."""
    from eval.realistic import cold_ask

    b.store  # noqa: B018 - the index must exist before the child opens it
    return cold_ask(b.child_env(b.settings.data_dir), b.sizes.cold_runs)


def ingest_section(b: Bench, _: dict[str, Any]) -> dict[str, Any]:
    from eval.ingest_speed import measure_folder
    from qa import wiring

    embedder = wiring.embedder(b.settings)
    corpora = [measure_folder(SEEDS_DIR, b.workdir / "ingest-seeds", b.settings, embedder, "seeds")]
    for n in b.sizes.articles:
        corpora.append(
            measure_folder(
                b.corpus(n),
                b.workdir / f"ingest-{n}",
                b.settings,
                embedder,
                f"{n:,} synthetic articles",
                progress_bar=n == max(b.sizes.articles),
            )
        )
        last = corpora[-1]
        b.echo(f"  {last['label']}: {last['ingest_s']} s ingest, {last['encode_s']} s bare encode")
    return {"corpora": corpora, "synthetic_seed": 0}


def retrieval_section(b: Bench, _: dict[str, Any]) -> dict[str, Any]:
    from eval.chroma_server import ChromaServer
    from eval.scale import NOTE, measure_store
    from qa import wiring
    from vectorstore.store import open_store

    embedder, top_k = wiring.embedder(b.settings), b.settings.top_k
    queries = [g.question for g in b.gold[: b.sizes.queries]]
    out: dict[str, Any] = {"note": NOTE, "queries": len(queries), "top_k": top_k}
    b.echo("  embedded store:")
    store = open_store(b.workdir / "scale-embedded", None, "scale")
    size, sentences = b.settings.chunk_size, b.sentences
    out["embedded"] = measure_store(
        store, embedder, b.sizes.chunks, queries, top_k, sentences, size, echo=b.echo
    )
    out["cold_at_largest"] = cold_at_scale(b, store)
    try:
        with ChromaServer(b.workdir / "scale-server") as server:
            b.echo(f"  chroma run server at {server.url}:")
            remote = open_store(b.workdir, server.url, "scale")
            out["server"] = measure_store(
                remote, embedder, b.sizes.chunks, queries, top_k, sentences, size, echo=b.echo
            )
    except Exception as exc:  # the embedded numbers stand on their own
        out["server"] = {"error": f"{type(exc).__name__}: {exc}"}
    return out


def cold_at_scale(b: Bench, store: Any) -> dict[str, Any]:
    """Cold `qa ask` over the largest synthetic store, its keyword index saved once as `qa ingest`
    would: start-up must not grow with the corpus (the answer itself is meaningless: random vectors)."""
    from eval.realistic import cold_ask
    from qa import wiring

    data_dir = b.workdir / "scale-embedded"
    local = b.settings.model_copy(update={"data_dir": data_dir, "chroma_url": None, "collection": "scale"})
    store.bump_version()
    wiring.save_keyword_index(local, store)
    env = b.child_env(data_dir)
    env["QA_COLLECTION"] = "scale"
    result = cold_ask(env, b.sizes.cold_runs)
    b.echo(f"  cold qa ask at {store.count():,} chunks: {result['runs_s']} s")
    return {"chunks": store.count(), **result}


def memory_section(b: Bench, _: dict[str, Any]) -> dict[str, Any]:
    from eval.memory import peak_rss

    b.store  # noqa: B018 - the serving child answers from the seed index
    n_questions = str(b.sizes.memory_questions)
    serve = peak_rss("serve", n_questions, b.child_env(b.settings.data_dir), SERVE_TIMEOUT_S)
    corpus = b.corpus(b.sizes.articles[0])
    ingest = peak_rss("ingest", str(corpus), b.child_env(b.workdir / "memory-ingest"), INGEST_TIMEOUT_S)
    return {
        "serve": serve,
        "ingest": ingest,
        "measure": "peak RSS (VmHWM) of a fresh child process; its ru_maxrss includes the parent's peak",
    }


def realistic_section(b: Bench, _: dict[str, Any]) -> dict[str, Any]:
    from eval.realistic import measure

    gold = b.gold[:: max(1, len(b.gold) // b.sizes.realistic_questions)][: b.sizes.realistic_questions]
    return measure(
        b.settings,
        b.workdir,
        b.sizes.realistic_suite,
        gold,
        b.sizes.cold_runs,
        b.sizes.memory_questions,
        b.echo,
        child_env=b.child_env,
    )


RUNNERS: dict[str, Callable[[Bench, dict[str, Any]], dict[str, Any]]] = {
    "floor": floor_section,
    "answer": answer_section,
    "peer": peer_section,
    "cold": cold_section,
    "ingest": ingest_section,
    "retrieval": retrieval_section,
    "memory": memory_section,
    "realistic": realistic_section,
}


# --- machine and output -------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except (OSError, ValueError):
        pass
    return None


def machine(settings: Any) -> dict[str, Any]:
    from qa import wiring

    try:
        model_file = wiring.model_file(settings)
        model_bytes: int | None = Path(model_file).stat().st_size
    except Exception as exc:
        model_file, model_bytes = f"unavailable ({exc})", None
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_model": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "ram_gb": ram_gb(),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
        "model": wiring.model_label(settings),
        "model_file": model_file,
        "model_bytes": model_bytes,
    }


SETTINGS_SHOWN = (
    "model",
    "model_path",
    "n_ctx",
    "n_threads",
    "max_new_tokens",
    "top_k",
    "max_evidence",
    "min_key_coverage",
    "chunk_size",
    "chunk_overlap",
    "embed_batch_size",
)


def write_json(out: Path, result: dict[str, Any]) -> None:
    import json

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    tmp.replace(out)


def run_section(name: str, b: Bench, result: dict[str, Any]) -> dict[str, Any]:
    """One section's result; an exception becomes {"error": ...} so the other sections still run."""
    b.echo(f"[bench] {name} ...")
    started = time.perf_counter()
    try:
        section = RUNNERS[name](b, result)
    except Exception as exc:
        b.echo(f"[bench] {name} failed: {type(exc).__name__}: {exc}")
        section = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc(limit=8)}
    section["seconds"] = round(time.perf_counter() - started, 1)
    section["load_avg_after"] = [
        round(x, 2) for x in os.getloadavg()
    ]  # other work on the machine skews timings
    b.echo(f"[bench] {name} done in {section['seconds']} s")
    return section


def run_bench(
    settings: Any,
    out: Path,
    *,
    quick: bool = False,
    peer_limit: int = 20,
    skip: Iterable[str] = (),
    echo: Callable[[str], None] = print,
    argv: list[str] | None = None,
) -> dict[str, Any]:
    """Run every section not in `skip`, print the table, write `out`; return the result dict."""
    skip = set(skip)
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
        b = Bench(settings, Path(tmp), QUICK if quick else FULL, peer_limit, echo)
        result: dict[str, Any] = {
            "command": shlex.join(argv if argv is not None else sys.argv),
            "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "quick": quick,
            "machine": machine(b.settings),
            "settings": {k: getattr(b.settings, k) for k in SETTINGS_SHOWN},
            "sizes": b.sizes.__dict__,
            **{name: {"skipped": True} for name in SECTIONS},
        }
        for name in RUN_ORDER:
            if name not in skip:
                result[name] = run_section(name, b, result)
                write_json(out, result)  # a long run interrupted later keeps what it measured
    rows = bench_report.table_rows(result)
    result["targets"] = bench_report.targets(rows)
    write_json(out, result)
    echo(bench_report.render(rows))
    for line in bench_report.footnotes(result):
        echo(line)
    echo(f"Results: {out}")
    return result
