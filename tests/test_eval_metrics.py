"""Metrics on hand-made responses with known values: correctness, F1, MRR, citations (ALCE), gates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from eval.gold import GoldItem
from eval.metrics import (
    aggregate,
    answer_correct,
    citation_precision,
    citation_recall,
    citation_validity,
    classify_failure,
    percentile,
    reciprocal_rank,
    regression,
    retrieval_hit,
    right_if_flagged,
    score_item,
    source_precision,
    source_recall,
    split_sentences,
    token_f1,
)

DOC = "Russia launched 116 drones overnight. Ukraine shot down 59 of them. Four people were killed in Kyiv."
OTHER = "Farmers in Kansas harvested record amounts of wheat this autumn."
DOCS = {"d1": DOC, "d2": OTHER}
S1, S2 = "Russia launched 116 drones overnight.", "Ukraine shot down 59 of them."


def gold(**overrides: Any) -> GoldItem:
    fields: dict[str, Any] = {
        "id": "q1",
        "question": "How many drones were shot down?",
        "answer": "Ukraine shot down 59 of 116 drones.",
        "must_include": (("59",), ("116", "one hundred sixteen")),
        "sources": ("d1",),
        "answerable": True,
    }
    return GoldItem(**(fields | overrides))


UNANSWERABLE = gold(id="q2", answer="", must_include=(), sources=(), answerable=False)


def cite(n: int, quote: str, doc: str = "d1") -> dict[str, Any]:
    start = DOCS[doc].index(quote)
    return {
        "n": n,
        "doc_id": doc,
        "title": doc,
        "quote": quote,
        "start": start,
        "end": start + len(quote),
        "support": 1.0,
        "date": "",
    }


def response(answer: str, citations: Sequence[dict[str, Any]] = (), **overrides: Any) -> dict[str, Any]:
    base = {
        "question": "q",
        "standalone_question": "q",
        "answer": answer,
        "abstained": False,
        "mode": "generative",
        "citations": list(citations),
        "retrieved": [{"doc_id": "d1", "chunk_id": "d1#0", "score": 1.0, "text": DOC}],
        "timings_ms": {
            "retrieve": 10.0,
            "generate": 100.0,
            "verify": 5.0,
            "first_token": 40.0,
            "total": 120.0,
        },
        "model": "test",
    }
    return base | overrides


REFUSAL = response("I cannot answer that from the documents.", abstained=True, mode="abstain")
GOOD = response(f"{S1} [1] {S2} [2]", [cite(1, S1), cite(2, S2)])


# --- sentences and answers ------------------------------------------------------------------------


def test_split_sentences_keeps_markers_with_their_sentence() -> None:
    assert split_sentences("Russia launched drones.[1][2] U.S. officials said so [3]. Done!") == [
        "Russia launched drones.[1][2]",
        "U.S. officials said so [3].",
        "Done!",
    ]


def test_answer_correct_accepts_any_alternative_case_insensitively() -> None:
    assert answer_correct(gold(), response("Ukraine shot down 59 [1] of One Hundred Sixteen drones."))
    assert not answer_correct(gold(), response("Ukraine shot down 59 drones."))  # fact 116 missing
    # Substring matching, as the gold contract says, but a number never matches inside a longer number.
    assert answer_correct(gold(must_include=(("shahed",), ("9",))), response("Shaheds flew on December 9th."))
    assert not answer_correct(gold(must_include=(("59",),)), response("Ukraine shot down 159 drones."))
    assert not answer_correct(gold(must_include=(("2,500",),)), response("Its range is 12,500 km."))


def test_answer_correct_for_unanswerable_means_abstaining() -> None:
    assert answer_correct(UNANSWERABLE, REFUSAL)
    assert not answer_correct(UNANSWERABLE, GOOD)
    assert not answer_correct(gold(), REFUSAL)


def test_flagged_and_unflagged_answers_are_scored_apart() -> None:
    flagged = GOOD | {"unmatched": ["shot"]}
    assert right_if_flagged(gold(), flagged, True) == 1.0 and right_if_flagged(gold(), flagged, False) is None
    assert right_if_flagged(gold(), GOOD, False) == 1.0 and right_if_flagged(gold(), GOOD, True) is None
    assert right_if_flagged(UNANSWERABLE, flagged, True) == 0.0  # answering it is never right
    assert right_if_flagged(gold(), REFUSAL, True) is None and right_if_flagged(gold(), REFUSAL, False) is None
    summary = aggregate([{"scores": score_item(gold(), r, DOCS)} for r in (flagged, GOOD, GOOD)])
    assert summary["right_when_flagged"] == 1.0 and summary["right_when_unflagged"] == 1.0


def test_token_f1_known_value() -> None:
    # gold tokens: ukraine shot down 59 of 116 drones (7); prediction: ukraine shot down 59 drones (5)
    assert token_f1(gold(), response("Ukraine shot down 59 drones [1].")) == pytest.approx(
        2 * (5 / 5) * (5 / 7) / (1 + 5 / 7)
    )
    assert token_f1(UNANSWERABLE, REFUSAL) == 1.0 and token_f1(UNANSWERABLE, GOOD) == 0.0


# --- retrieval -----------------------------------------------------------------------------------


def test_reciprocal_rank_is_over_distinct_documents() -> None:
    chunks = [{"doc_id": d, "chunk_id": f"{d}#{i}", "score": 1.0, "text": ""} for i, d in enumerate("aabc")]
    hit = response("x", retrieved=chunks)
    assert reciprocal_rank(gold(sources=("c",)), hit) == pytest.approx(1 / 3)  # docs a, b, c: rank 3, not 4
    assert reciprocal_rank(gold(sources=("z",)), hit) == 0.0
    assert retrieval_hit(gold(sources=("b",)), hit) is True
    assert reciprocal_rank(UNANSWERABLE, hit) is None and retrieval_hit(UNANSWERABLE, hit) is None


# --- citations -----------------------------------------------------------------------------------


def test_citation_validity_checks_quote_against_its_span() -> None:
    shifted = cite(2, S2) | {"start": 0, "end": len(S2)}  # span points at the first sentence
    assert citation_validity(GOOD, DOCS) == 1.0
    assert citation_validity(response(f"{S1} [1] {S2} [2]", [cite(1, S1), shifted]), DOCS) == 0.5
    assert (
        citation_validity(response(f"{S1} [1] {S2} [3]", [cite(1, S1)]), DOCS) == 0.5
    )  # [3] resolves to nothing
    assert citation_validity(REFUSAL, DOCS) == 1.0
    assert citation_validity(response("No markers at all."), DOCS) == 0.0


def test_alce_recall_sentence_without_citation_scores_zero() -> None:
    assert citation_recall(GOOD) == 1.0
    assert citation_recall(response(f"{S1} [1] {S2}", [cite(1, S1)])) == 0.5
    assert citation_recall(REFUSAL) is None


def test_alce_recall_wrong_quote_scores_zero() -> None:
    assert citation_recall(response(f"{S2} [1]", [cite(1, S1)])) == 0.0


def test_alce_unnecessary_citation_lowers_precision() -> None:
    needed_and_not = response(f"{S1} [1][2]", [cite(1, S1), cite(2, OTHER, "d2")])
    assert citation_recall(needed_and_not) == 1.0  # the joint citations support the sentence
    assert citation_precision(needed_and_not) == 0.5  # [2] alone does not, and [1] still does without it
    assert citation_precision(GOOD) == 1.0


def test_alce_citations_of_unsupported_sentence_are_not_precise() -> None:
    assert citation_precision(response(f"{S2} [1]", [cite(1, OTHER, "d2")])) == 0.0


def test_source_precision_and_recall() -> None:
    mixed = response(f"{S1} [1][2]", [cite(1, S1), cite(2, OTHER, "d2")])
    assert source_precision(gold(), mixed) == 0.5 and source_recall(gold(sources=("d1", "d3")), mixed) == 0.5
    assert source_precision(gold(), REFUSAL) is None and source_recall(UNANSWERABLE, mixed) is None


# --- failure classes -----------------------------------------------------------------------------


def failure(item: GoldItem, resp: dict[str, Any]) -> str | None:
    return classify_failure(item, resp, score_item(item, resp, DOCS))


def test_each_failure_class() -> None:
    correct = response(f"{S2} [1] {S1} [2]", [cite(1, S2), cite(2, S1)])
    assert failure(gold(), correct) is None
    assert failure(UNANSWERABLE, REFUSAL) is None
    assert failure(UNANSWERABLE, correct) == "answered the unanswerable"
    assert failure(gold(), REFUSAL) == "wrong refusal"
    assert failure(gold(), REFUSAL | {"retrieved": []}) == "retrieval miss"
    assert failure(gold(), response(f"{S1} [1]", [cite(1, S1)], retrieved=[])) == "retrieval miss"
    assert failure(gold(), response(f"{S1} [1]", [cite(1, S1)])) == "generation miss"
    assert failure(gold(), response(f"{S2} [1] {S1}", [cite(1, S2)])) == "unsupported claim"
    broken = cite(2, S1) | {"start": 5}
    assert failure(gold(), response(f"{S2} [1] {S1} [2]", [cite(1, S2), broken])) == "bad citation"


# --- aggregate and regression gate ---------------------------------------------------------------


def test_aggregate_known_values_and_nearest_rank_percentiles() -> None:
    pairs = [(gold(), GOOD), (gold(id="q3"), response(f"{S1} [1]", [cite(1, S1)])), (UNANSWERABLE, REFUSAL)]
    rows = []
    for i, (item, resp) in enumerate(pairs):
        resp = resp | {
            "timings_ms": {"total": 100.0 * (i + 1), "first_token": 0.0 if i == 2 else 10.0 * (i + 1)}
        }
        scores = score_item(item, resp, DOCS)
        rows.append({"id": item.id, "scores": scores, "failure": classify_failure(item, resp, scores)})
    summary = aggregate(rows)
    assert summary["n"] == 3
    assert summary["answer_correct"] == pytest.approx(0.6667)
    assert summary["abstain_correct"] == 1.0 and summary["false_abstain"] == 0.0
    assert summary["citation_recall"] == 1.0  # the refusal is not counted
    assert summary["latency_ms_p50"] == 200.0 and summary["latency_ms_p95"] == 300.0
    assert summary["first_token_ms_p50"] == 10.0  # the refusal's 0 is left out; nearest rank of [10, 20]
    assert summary["failures"] == {"generation miss": 1}
    assert aggregate(rows) == summary  # deterministic


def test_percentile_nearest_rank() -> None:
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 95) == 4.0
    assert percentile([], 50) is None


BASELINE = {
    "answer_correct": 0.8,
    "citation_validity": 1.0,
    "citation_recall": 0.9,
    "citation_precision": 0.9,
    "abstain_correct": 0.9,
    "false_abstain": 0.1,
    "latency_ms_p50": 1000.0,
}


def test_regression_passes_within_tolerance() -> None:
    within = BASELINE | {"answer_correct": 0.78, "false_abstain": 0.15, "latency_ms_p50": 1500.0}
    assert regression(within, BASELINE) == []


def test_regression_triggers_on_drops_and_rises() -> None:
    worse = BASELINE | {"answer_correct": 0.77, "false_abstain": 0.16, "latency_ms_p50": 1501.0}
    failures = regression(worse, BASELINE)
    assert len(failures) == 3
    assert failures[0].startswith("answer_correct fell from 0.8000 to 0.7700")
    assert any(f.startswith("false_abstain rose") for f in failures)
    assert any(f.startswith("latency_ms_p50 rose") for f in failures)


def test_regression_custom_tolerance_and_missing_metric() -> None:
    assert regression(BASELINE | {"citation_recall": 0.8}, BASELINE, {"citation_recall": 0.1}) == []
    assert regression(BASELINE | {"citation_recall": None}, BASELINE) == [
        "citation_recall: missing from this run (baseline 0.9000)"
    ]


# --- the report built from these rows (lives here: the harness has one test file per scoring module) --


def test_report_is_self_contained_and_escaped(tmp_path: Any) -> None:
    pytest.importorskip("matplotlib")
    from eval.report import write_report

    hostile = response("<script>alert(1)</script> 59 [1]", [cite(1, S2)])
    pairs = {
        "ours": [(gold(), GOOD), (UNANSWERABLE, REFUSAL), (gold(id="q9"), REFUSAL)],
        "<b>peer</b>": [(gold(), hostile)],
    }
    rows_by_system: dict[str, list[dict[str, Any]]] = {}
    for system, items in pairs.items():
        for item, resp in items:
            scores = score_item(item, resp, DOCS)
            row = {"id": item.id, "gold": item.to_dict(), "response": resp, "scores": scores}
            rows_by_system.setdefault(system, []).append(
                row | {"failure": classify_failure(item, resp, scores)}
            )
    summaries = {system: aggregate(rows) for system, rows in rows_by_system.items()}
    paths = write_report(tmp_path, summaries, rows_by_system, {"model": "<i>m</i>", "k": 5})
    page = paths["html"].read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;peer&lt;/b&gt;" in page
    assert page.count('src="data:image/png;base64,') == 2 and "http" not in page
    ours = page[page.index("Questions: ours") :]
    assert ours.index("<td>q9</td>") < ours.index("<td>q1</td>")  # the failure (wrong refusal) comes first
    markdown = paths["markdown"].read_text(encoding="utf-8")
    assert "| answer_correct |" in markdown and "<script>" not in markdown
