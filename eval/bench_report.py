"""Turn a `qa bench` result into table rows with targets and PASS/FAIL verdicts, and render the table.

Pure functions over the result dict that `eval.bench` writes as JSON, so the printed table and the
JSON's `targets` always agree. It measures nothing, and a missed target is reported, never raised:
deciding what to do about it is the reader's job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Row = dict[str, str]
PASS, FAIL, NA = "PASS", "FAIL", "n/a"


def row(section: str, metric: str, value: Any, target: str = "", ok: bool | None = None) -> Row:
    """One table line; with a target, status is PASS/FAIL, or n/a when the value is missing."""
    status = "" if not target else NA if value is None or ok is None else PASS if ok else FAIL
    return {"section": section, "metric": metric, "value": fmt(value), "target": target, "status": status}


def fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def at_most(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def floor_rows(s: dict[str, Any], _: dict[str, Any]) -> list[Row]:
    return [
        row("floor", "prompt processing (tok/s)", s["pp_tok_s"]),
        row("floor", "generation (tok/s)", s["tg_tok_s"]),
        row("floor", "llama.cpp AVX2 / FMA", f"{fmt(s['avx2'])} / {fmt(s['fma'])}"),
    ]


def answer_rows(s: dict[str, Any], _: dict[str, Any]) -> list[Row]:
    stages, floor = s["stages_ms"], s.get("floor") or {}
    total, first = stages["total"], stages["first_token"]
    rows = [
        row("answer", "questions (model called)", f"{s['questions']} ({s['model_called']})"),
        row("answer", "total p50 (ms)", total["p50"], "≤ 1500", at_most(total["p50"], 1500)),
        row("answer", "total p95 (ms)", total["p95"], "≤ 3000", at_most(total["p95"], 3000)),
        row("answer", "first token p50 (ms)", first["p50"], "≤ 700", at_most(first["p50"], 700)),
    ]
    for name in ("retrieve", "evidence", "generate", "verify"):
        spread = f"{fmt(stages[name]['p50'])} / {fmt(stages[name]['p95'])}"
        rows.append(row("answer", f"{name} p50 / p95 (ms)", spread))
    rows += [
        row(
            "answer",
            "prompt / answer tokens p50",
            f"{fmt(s['prompt_tokens']['p50'])} / {fmt(s['answer_tokens']['p50'])}",
        ),
        row("answer", "floor for those lengths (ms)", floor.get("floor_ms")),
        row(
            "answer",
            "p50 total (model called) / floor",
            floor.get("p50_over_floor"),
            "≤ 1.5×",
            at_most(floor.get("p50_over_floor"), 1.5),
        ),
    ]
    return rows


def cold_rows(s: dict[str, Any], _: dict[str, Any]) -> list[Row]:
    runs = ", ".join(fmt(r) for r in s["runs_s"])
    median = s["median_s"]
    return [row("cold", f"`qa ask` wall time median (s) [{runs}]", median, "≤ 8 s", at_most(median, 8))]


def ingest_rows(s: dict[str, Any], result: dict[str, Any]) -> list[Row]:
    rows = []
    for c in s["corpora"]:
        rows.append(
            row(
                "ingest",
                f"{c['label']}: docs/s · chunks/s ({c['chunks']:,} chunks)",
                f"{fmt(c['docs_per_s'])} · {fmt(c['chunks_per_s'])}",
            )
        )
        seconds = f"{fmt(c['ingest_s'])} s / {fmt(c['encode_s'])} s"
        rows.append(
            row(
                "ingest",
                f"{c['label']}: ingest / bare encode ({seconds})",
                c["ingest_over_encode"],
                "reported",
                c["ingest_over_encode"] is not None,
            )
        )
    big = max(s["corpora"], key=lambda c: c["files"])
    complete = big["documents"] == big["files"] and not big["warnings"]
    ok = None if result.get("quick") else big["files"] >= 10_000 and complete
    rows.append(row("ingest", "articles ingested (largest corpus)", big["documents"], "10,000", ok))
    return rows


def retrieval_rows(s: dict[str, Any], result: dict[str, Any]) -> list[Row]:
    rows = [row("retrieval", "scale-test vectors (see note)", "random")]
    for backend in ("embedded", "server"):
        got = s.get(backend)
        if isinstance(got, dict):
            rows.append(row("retrieval", f"{backend}: error", got.get("error", "skipped")))
            continue
        for r in got or []:
            lat = r["latency_ms"]
            embed = fmt(r["embed_only_ms"]["p50"])
            rows.append(
                row(
                    "retrieval",
                    f"{backend} {r['chunks']:,} chunks p50 / p95 (ms; embedding p50 {embed})",
                    f"{fmt(lat['p50'])} / {fmt(lat['p95'])}",
                )
            )
            rows.append(
                row(
                    "retrieval",
                    f"{backend} {r['chunks']:,} chunks keyword index: build once · load in a new process (s)",
                    f"{fmt(r.get('keyword_build_s', r['refresh_s']))} · {fmt(r.get('keyword_load_s'))}",
                )
            )
    embedded = s.get("embedded")
    scaled = [r for r in embedded if r["chunks"] >= 100_000] if isinstance(embedded, list) else []
    at_scale = scaled[0] if scaled else None
    p95 = at_scale["latency_ms"]["p95"] if at_scale else None
    rows.append(row("retrieval", "embedded p95 at 100,000 chunks (ms)", p95, "≤ 50", at_most(p95, 50)))
    cold = s.get("cold_at_largest")
    if cold:
        big = cold["chunks"] >= 100_000
        rows.append(
            row(
                "retrieval",
                f"cold `qa ask` median at {cold['chunks']:,} chunks (s) [{', '.join(fmt(r) for r in cold['runs_s'])}]",
                cold["median_s"],
                "≤ 8 s",
                at_most(cold["median_s"], 8) if big else None,
            )
        )
    return rows


def memory_rows(s: dict[str, Any], _: dict[str, Any]) -> list[Row]:
    serve, ingest = s["serve"], s["ingest"]
    return [
        row("memory", f"serving peak RSS (MB; answerer + {serve['questions']} answers)", serve["max_rss_mb"]),
        row("memory", f"ingest peak RSS (MB; {ingest['documents']:,} articles)", ingest["max_rss_mb"]),
    ]


def peer_rows(s: dict[str, Any], _: dict[str, Any]) -> list[Row]:
    ours, peer = s["ours"], s["peer"]
    faster = s["peer_over_ours_latency"]
    ok = None if faster is None else faster >= 3 and ours["answer_correct"] >= peer["answer_correct"]
    return [
        row(
            "peer",
            f"ours / peer p50 (ms; {s['questions']} questions)",
            f"{fmt(ours['latency_ms']['p50'])} / {fmt(peer['latency_ms']['p50'])}",
        ),
        row(
            "peer",
            "answer correct ours / peer",
            f"{fmt(ours['answer_correct'])} / {fmt(peer['answer_correct'])}",
        ),
        row("peer", "peer p50 / ours p50 (speed-up)", faster, "≥ 3× at ≥ equal correctness", ok),
    ]


def realistic_rows(s: dict[str, Any], result: dict[str, Any]) -> list[Row]:
    ing, cold, serve, warm = s["ingest"], s["cold"], s["serve"], s["warm_ms"]
    at = f"{ing['chunks']:,} chunks"
    big = ing["chunks"] >= 20_000  # size-bound targets apply to the full realistic index only
    runs = ", ".join(fmt(r) for r in cold["runs_s"])
    return [
        row(
            "realistic",
            f"{s['suite']}: {ing['files']:,} files, {at}: ingest / bare encode "
            f"({fmt(ing['ingest_s'])} s, keyword index {fmt(ing['keyword_index_s'])} s / {fmt(ing['encode_s'])} s)",
            ing["ingest_over_encode"],
            "reported",
            ing["ingest_over_encode"] is not None,
        ),
        row(
            "realistic",
            f"ingest chunks/s (bare encode {fmt(ing['encode_chunks_per_s'])})",
            ing["chunks_per_s"],
        ),
        row(
            "realistic",
            f"relation extraction added to the rest of the ingest ({fmt(ing.get('relations_s'))} s, "
            f"{ing.get('edges', 0):,} edges)",
            ing.get("relations_added"),
            "≤ 0.35",
            at_most(ing["relations_added"], 0.35) if ing.get("relations_added") is not None else None,
        ),
        row(
            "realistic",
            f"cold `qa ask` median at {at} (s) [{runs}]",
            cold["median_s"],
            "≤ 6 s",
            at_most(cold["median_s"], 6) if big else None,
        ),
        row(
            "realistic",
            f"`qa serve` ready at {at} (s)",
            serve["ready_s"],
            "≤ 10 s",
            at_most(serve["ready_s"], 10) if big else None,
        ),
        row(
            "realistic",
            f"warm answer p50 / p95 at {at} (ms)",
            f"{fmt(warm['p50'])} / {fmt(warm['p95'])}",
            "p50 ≤ 1500",
            at_most(warm["p50"], 1500),
        ),
        row(
            "realistic",
            f"serve RSS when ready / peak after {s['serve_peak']['questions']} answers (MB)",
            f"{fmt(serve['rss_mb_ready'])} / {fmt(s['serve_peak']['max_rss_mb'])}",
        ),
    ]


BUILDERS: dict[str, Callable[[dict[str, Any], dict[str, Any]], list[Row]]] = {
    "floor": floor_rows,
    "answer": answer_rows,
    "cold": cold_rows,
    "ingest": ingest_rows,
    "retrieval": retrieval_rows,
    "memory": memory_rows,
    "peer": peer_rows,
    "realistic": realistic_rows,
}


def table_rows(result: dict[str, Any]) -> list[Row]:
    """Every row of the table, section by section; skipped and failed sections get one line each."""
    m = result.get("machine", {})
    load = (m.get("load_avg_at_start") or [None])[0]
    rows: list[Row] = [
        row("machine", f"{m.get('cpu_model', '?')}, {m.get('ram_gb', '?')} GB RAM: cores", m.get("cores")),
        row("machine", "1-min load average at start (above cores: timings pessimistic)", load),
    ]
    for name, build in BUILDERS.items():
        section = result.get(name) or {"skipped": True}
        if section.get("skipped"):
            rows.append(row(name, "skipped", None))
        elif "error" in section:
            rows.append({**row(name, "error", section["error"][:100]), "status": "ERROR"})
        else:
            rows += build(section, result)
    return rows


def targets(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r["target"]]


def footnotes(result: dict[str, Any]) -> list[str]:
    """Lines printed under the table: how scale tests work, and a warning when the CPUs were busy."""
    notes = [f"Note: {result['retrieval']['note']}"] if "note" in result.get("retrieval", {}) else []
    m = result.get("machine", {})
    load, cores = (m.get("load_avg_at_start") or [0.0])[0], m.get("cores") or 1
    if load > cores:
        notes.append(
            f"Warning: the machine was busy (1-min load {load:.1f} on {cores} cores); timings are "
            "pessimistic. Run again on an idle machine for numbers to compare with the targets."
        )
    return notes


def render(rows: list[Row]) -> str:
    """A plain-text table with aligned columns."""
    cols = ["section", "metric", "value", "target", "status"]
    head = {c: c for c in cols}
    width = {c: max(len(r[c]) for r in [head, *rows]) for c in cols}
    lines = [
        "  ".join(r[c].ljust(width[c]) if c != "value" else r[c].rjust(width[c]) for c in cols).rstrip()
        for r in [head, *rows]
    ]
    lines.insert(1, "  ".join("-" * width[c] for c in cols))
    return "\n".join(lines)
