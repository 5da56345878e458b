"""`qa bench`: pure parts (percentiles, floor formula, synthetic corpus, table verdicts) and one real quick run."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eval.bench import SECTIONS
from eval.bench_report import fmt, render, table_rows, targets
from eval.floor import cpu_flags, floor_ms
from eval.percentiles import median, ratio, summarize
from eval.scale import sentences_per_chunk
from eval.synthetic import article, scale_doc, seed_sentences, vary, write_corpus
from qa.cli import main
from vectorstore.load import load_file

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

CORPUS_PRESENT = (Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc").is_dir()
SENTENCES = [
    "Officials said 59 of the 116 drones were shot down over Kyiv overnight.",
    "The European Union agreed new sanctions on Tehran on Monday, two diplomats said.",
    "Mayor Vitali Klitschko wrote that debris fell in three districts of the capital.",
]


# --- percentiles and the floor -------------------------------------------------------------------------


def test_summarize_uses_nearest_rank_percentiles() -> None:
    s = summarize([float(v) for v in range(100, 0, -1)])  # 1..100, unsorted
    assert (s["n"], s["p50"], s["p95"], s["min"], s["max"], s["mean"]) == (100, 50.0, 95.0, 1.0, 100.0, 50.5)
    assert summarize([7.0])["p95"] == 7.0
    assert summarize([])["p50"] is None


def test_median_is_an_observation_and_ratio_handles_missing_values() -> None:
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.0
    assert median([]) is None
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(None, 2.0) is None and ratio(1.0, 0.0) is None and ratio(1.0, None) is None


def test_floor_formula() -> None:
    assert floor_ms(256, 64, pp_tok_s=512, tg_tok_s=32) == pytest.approx(1000 * (0.5 + 2.0))
    assert floor_ms(0, 10, 100, 10) == pytest.approx(1000.0)
    # Twice the speed halves the floor.
    assert floor_ms(300, 30, 200, 20) == pytest.approx(2 * floor_ms(300, 30, 400, 40))


def test_cpu_flags_read_llama_cpp_system_info() -> None:
    info = "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | AVX512 = 0 |"
    assert cpu_flags(info) == {"avx2": True, "fma": True}
    assert cpu_flags("CPU : SSE3 = 1 | AVX = 1 | AVX2 = 0 |") == {"avx2": False, "fma": False}
    assert cpu_flags("") == {"avx2": False, "fma": False}


# --- synthetic corpus ----------------------------------------------------------------------------------


def test_synthetic_corpus_is_deterministic(tmp_path: Path) -> None:
    a = write_corpus(tmp_path / "a", 12, SENTENCES, seed=3)
    b = write_corpus(tmp_path / "b", 12, SENTENCES, seed=3)
    c = write_corpus(tmp_path / "c", 12, SENTENCES, seed=4)
    assert [p.name for p in a] == [p.name for p in b] == [f"synthetic_{i:05d}.txt" for i in range(12)]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]
    assert len({p.read_bytes() for p in a}) == 12  # every article differs


def test_synthetic_article_reads_like_a_news_file(tmp_path: Path) -> None:
    path = write_corpus(tmp_path, 1, SENTENCES, seed=1)[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    doc = load_file(path, 1_000_000)
    assert doc.title == lines[0] and doc.date  # headline line, then a date the loader understands
    body = [line for line in lines[2:] if line]
    n_sentences = sum(line.count(". ") + 1 for line in body)
    assert 4 <= n_sentences <= 8


def test_vary_redraws_numbers_keeping_their_length() -> None:
    out = vary(SENTENCES[0], random.Random(5))
    assert out == vary(SENTENCES[0], random.Random(5))
    assert [len(n) for n in re.findall(r"\d+", out)] == [2, 3]
    assert out.endswith("overnight.")


def test_seed_sentences_come_from_the_seed_articles() -> None:
    sentences = seed_sentences(SEEDS)
    assert len(sentences) > 50
    seed_text = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in SEEDS.glob("*.txt"))
    assert all(s in seed_text for s in sentences)
    assert article(random.Random(0), sentences) == article(random.Random(0), sentences)


def test_scale_doc_spans_quote_the_text_exactly() -> None:
    doc = scale_doc(random.Random(2), SENTENCES, 7, n_chunks=4, per_chunk=3)
    assert doc.doc_id == "scale_0000007" and len(doc.chunks) == 4
    assert len({c.id for c in doc.chunks}) == 4
    for chunk in doc.chunks:
        assert len(chunk.sentences) == 3
        assert chunk.text == " ".join(doc.text[s:e] for s, e in chunk.sentences)
        assert (chunk.start, chunk.end) == (chunk.sentences[0][0], chunk.sentences[-1][1])
        assert doc.text[chunk.start : chunk.end] == chunk.text
    assert doc.chunks[-1].end <= len(doc.text)


def test_sentences_per_chunk() -> None:
    assert sentences_per_chunk(["x" * 100] * 3, 300) == 3
    assert sentences_per_chunk(["x" * 1000], 300) == 1


# --- the table -----------------------------------------------------------------------------------------


def _result(quick: bool) -> dict[str, Any]:
    spread = {"p50": 800.0, "p95": 2500.0}
    stages = {s: dict(spread) for s in ("retrieve", "evidence", "generate", "verify", "total")}
    stages["first_token"] = {"p50": 900.0, "p95": 1500.0}
    latency = {"p50": 20.0, "p95": 40.0}
    scale = [
        {
            "chunks": 100_000,
            "refresh_s": 9.0,
            "keyword_build_s": 4.0,
            "keyword_load_s": 0.05,
            "latency_ms": latency,
            "embed_only_ms": {"p50": 12.0},
        }
    ]
    corpus = {
        "label": "10,000 synthetic articles",
        "files": 10_000,
        "documents": 10_000,
        "chunks": 30_000,
        "warnings": 0,
        "docs_per_s": 20.0,
        "chunks_per_s": 60.0,
        "ingest_s": 500.0,
        "encode_s": 400.0,
        "ingest_over_encode": 1.25,
    }
    return {
        "quick": quick,
        "machine": {"cores": 2, "load_avg_at_start": [3.0], "cpu_model": "x", "ram_gb": 8},
        "floor": {"pp_tok_s": 500.0, "tg_tok_s": 40.0, "avx2": True, "fma": True},
        "answer": {
            "questions": 10,
            "model_called": 8,
            "stages_ms": stages,
            "prompt_tokens": {"p50": 250.0},
            "answer_tokens": {"p50": 30.0},
            "floor": {"floor_ms": 1250.0, "p50_over_floor": 1.2},
        },
        "cold": {"runs_s": [9.0], "median_s": 9.0},
        "ingest": {"corpora": [corpus]},
        "retrieval": {"note": "random vectors", "embedded": scale, "server": {"error": "no server"}},
        "memory": {"skipped": True},
        "peer": {"error": "RuntimeError: boom"},
    }


def test_table_verdicts() -> None:
    rows = table_rows(_result(quick=False))
    verdict = {r["metric"]: r["status"] for r in targets(rows)}
    assert verdict["total p50 (ms)"] == "PASS" and verdict["total p95 (ms)"] == "PASS"
    assert verdict["first token p50 (ms)"] == "FAIL"
    assert verdict["p50 total (model called) / floor"] == "PASS"
    assert verdict["embedded p95 at 100,000 chunks (ms)"] == "PASS"
    assert verdict["articles ingested (largest corpus)"] == "PASS"
    assert [r["status"] for r in rows if r["section"] == "peer"] == ["ERROR"]
    assert any(r["section"] == "memory" and r["metric"] == "skipped" for r in rows)
    assert any(r["metric"] == "server: error" for r in rows)
    lines = render(rows).splitlines()
    assert lines[0].split() == ["section", "metric", "value", "target", "status"]
    assert len(lines) == len(rows) + 2 and set(lines[1]) == {"-", " "}


def test_size_bound_targets_are_not_applicable_in_quick_mode() -> None:
    result = _result(quick=True)
    result["retrieval"]["embedded"][0]["chunks"] = 1000
    verdict = {r["metric"]: r["status"] for r in targets(table_rows(result))}
    assert verdict["articles ingested (largest corpus)"] == "n/a"
    assert verdict["embedded p95 at 100,000 chunks (ms)"] == "n/a"


def test_fmt() -> None:
    assert (fmt(None), fmt(True), fmt(1234.0), fmt(1234.5), fmt(12.345), fmt(0.1234), fmt(5)) == (
        "-",
        "yes",
        "1,234",
        "1,234",
        "12.35",
        "0.123",
        "5",
    )


# --- the command ---------------------------------------------------------------------------------------


def test_bench_with_every_section_skipped_writes_the_frame(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    args = ["bench", "--out", str(out)] + [a for s in SECTIONS for a in ("--skip", s)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert all(data[s] == {"skipped": True} for s in SECTIONS)
    assert {"platform", "cpu_model", "cores", "ram_gb", "model_file"} <= set(data["machine"])
    assert data["command"] and data["date"].endswith("Z")


@pytest.mark.real
@pytest.mark.timeout(2400)
def test_quick_bench_measures_every_section(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(main, ["bench", "--quick", "--peer-limit", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    for name in SECTIONS:
        if name == "realistic" and not CORPUS_PRESENT:  # it needs ../shared/corpus and says so
            assert "QA_CORPUS_DIR" in data[name]["error"]
            continue
        assert "error" not in data[name] and not data[name].get("skipped"), (name, data[name])
    if CORPUS_PRESENT:
        real = data["realistic"]
        assert real["suite"] == "ci-slice" and real["ingest"]["files"] == 305
        assert real["ingest"]["ingest_over_encode"] > 0 and real["cold"]["median_s"] > 0
        assert real["serve"]["ready_s"] > 0 and real["warm_ms"]["p50"] > 0

    floor = data["floor"]
    assert floor["pp_tok_s"] > floor["tg_tok_s"] > 0 and isinstance(floor["avx2"], bool)
    assert "AVX" in floor["system_info"]

    answer = data["answer"]
    total = answer["stages_ms"]["total"]
    assert answer["questions"] == 5 and 0 < total["p50"] <= total["p95"]
    assert answer["stages_ms"]["first_token"]["p50"] <= total["p95"]
    if answer["model_called"]:
        assert 50 < answer["prompt_tokens"]["p50"] < 2048 and answer["floor"]["floor_ms"] > 0

    assert 0 < data["cold"]["median_s"] < 300

    corpora = {c["label"]: c for c in data["ingest"]["corpora"]}
    assert corpora["seeds"]["documents"] == 5 and corpora["seeds"]["chunks"] > 0
    assert corpora["200 synthetic articles"]["documents"] == 200
    assert all(c["docs_per_s"] > 0 and c["ingest_over_encode"] > 0 for c in corpora.values())

    retrieval = data["retrieval"]
    assert "random" in retrieval["note"]
    for backend in ("embedded", "server"):
        assert [r["chunks"] for r in retrieval[backend]] == [100, 1000], backend
        assert all(0 < r["latency_ms"]["p50"] <= r["latency_ms"]["p95"] for r in retrieval[backend])

    memory = data["memory"]
    assert all(100 < memory[job]["max_rss_mb"] < 8000 for job in ("serve", "ingest"))

    peer = data["peer"]
    assert peer["questions"] == 2 and peer["peer_over_ours_latency"] > 0
    assert 0 <= peer["ours"]["answer_correct"] <= 1 and 0 <= peer["peer"]["answer_correct"] <= 1

    assert {t["status"] for t in data["targets"]} <= {"PASS", "FAIL", "n/a"}
    assert "Results:" in result.output and "status" in result.output


def test_children_get_this_runs_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from eval.bench import QUICK, Bench
    from qa.settings import load_settings

    monkeypatch.setenv("QA_CHROMA_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("QA_ANSWER_MODE", "extractive")
    bench = Bench(load_settings(top_k=7), tmp_path, QUICK, 2, print)
    env = bench.child_env(tmp_path / "elsewhere")
    assert env["QA_DATA_DIR"] == str(tmp_path / "elsewhere") and "QA_CHROMA_URL" not in env
    assert (env["QA_ANSWER_MODE"], env["QA_LLM_BACKEND"], env["QA_TOP_K"]) == ("generative", "llamacpp", "7")
    assert bench.settings.data_dir == tmp_path / "seed-index"
