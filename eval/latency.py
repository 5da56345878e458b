"""Warm answer latency of our engine over gold questions, and the peer system timed side by side.

`warm_answers` times `Answerer.answer` per stage (from `answer.timings_ms`) after one untimed warm-up
question, and counts the tokens behind each answer: the prompt is the engine's own plan for the
question (`Answerer.plan`, run again outside the timed call) in the model's chat template, and the
answer tokens are those of the model's draft. `side_by_side` times ours and llama-index's
`CitationQueryEngine` on the same questions and scores both with `eval.metrics.answer_correct`.
It changes nothing in the engine and judges no answer beyond that one correctness check.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from eval.floor import floor_ms
from eval.gold import GoldItem
from eval.metrics import answer_correct
from eval.percentiles import ratio, summarize

STAGES = ("retrieve", "evidence", "generate", "verify", "first_token", "total")


def model_prompt(answerer: Any, standalone: str) -> str | None:
    """The exact prompt text the engine sends the model for `standalone`, or None when it calls none."""
    from llama_index.core.llms import ChatMessage

    plan = answerer.plan(standalone)
    if not plan.calls_model:
        return None
    chat = [ChatMessage(role=r, content=c) for r, c in plan.messages]
    return str(answerer.llm.messages_to_prompt(chat))


def n_tokens(llama: Any, text: str, bos: bool) -> int:
    return len(llama.tokenize(text.encode("utf-8"), add_bos=bos, special=True)) if text else 0


def answer_row(answerer: Any, item: GoldItem) -> dict[str, Any]:
    """Time one answer, then count its prompt and answer tokens (untimed)."""
    answer = answerer.answer(item.question, item.messages())
    prompt_text = model_prompt(answerer, answer.standalone_question)
    llama = answerer.llm._model if answerer.llm is not None else None
    return {
        "id": item.id,
        "mode": answer.mode,
        "model_called": prompt_text is not None,
        "timings_ms": dict(answer.timings_ms),
        "prompt_tokens": n_tokens(llama, prompt_text, bos=True) if llama and prompt_text else 0,
        "answer_tokens": n_tokens(llama, answer.draft or "", bos=False) if llama else 0,
    }


def warm_answers(
    answerer: Any,
    gold: Sequence[GoldItem],
    floor: dict[str, Any] | None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Per-stage p50/p95 over `gold`, token counts, and the comparison with the CPU floor."""
    answerer.answer(gold[0].question, gold[0].messages())  # warm-up: caches, lazy imports, prompt prefix
    rows = []
    for item in gold:
        rows.append(answer_row(answerer, item))
        if progress:
            progress(1)
    called = [r for r in rows if r["model_called"]]
    out: dict[str, Any] = {
        "questions": len(rows),
        "model_called": len(called),
        "modes": {m: sum(r["mode"] == m for r in rows) for m in sorted({r["mode"] for r in rows})},
        "stages_ms": {s: summarize([r["timings_ms"][s] for r in rows]) for s in STAGES},
        "total_ms_model_called": summarize([r["timings_ms"]["total"] for r in called]),
        "prompt_tokens": summarize([r["prompt_tokens"] for r in called]),
        "answer_tokens": summarize([r["answer_tokens"] for r in called]),
        "rows": rows,
    }
    out["floor"] = floor_comparison(out, floor)
    return out


def floor_comparison(out: dict[str, Any], floor: dict[str, Any] | None) -> dict[str, Any] | None:
    """The floor for the p50 prompt and answer lengths, and p50 total (model-called questions) over it."""
    p_tokens, a_tokens = out["prompt_tokens"]["p50"], out["answer_tokens"]["p50"]
    if not floor or not floor.get("pp_tok_s") or p_tokens is None or a_tokens is None:
        return None
    ms = floor_ms(p_tokens, a_tokens, floor["pp_tok_s"], floor["tg_tok_s"])
    p50 = out["total_ms_model_called"]["p50"]
    return {
        "prompt_tokens": p_tokens,
        "answer_tokens": a_tokens,
        "floor_ms": round(ms, 1),
        "p50_total_ms": p50,
        "p50_over_floor": ratio(p50, ms),
    }


System = Callable[[str, Any], dict[str, Any]]


def timed(system: System, gold: Sequence[GoldItem]) -> list[tuple[float, dict[str, Any]]]:
    """(wall ms, response) per item, after one untimed warm-up call."""
    system(gold[0].question, gold[0].messages())
    out = []
    for item in gold:
        t = time.perf_counter()
        response = system(item.question, item.messages())
        out.append(((time.perf_counter() - t) * 1000, response))
    return out


def side_by_side(answerer: Any, peer: Any, gold: Sequence[GoldItem]) -> dict[str, Any]:
    """p50 latency and answer correctness of ours and the peer on `gold` (ours first, then the peer)."""
    ours = timed(lambda q, h: answerer.answer(q, h).to_json(), gold)
    theirs = timed(peer.answer, gold)
    result: dict[str, Any] = {"questions": len(gold)}
    for name, runs in (("ours", ours), ("peer", theirs)):
        correct = [answer_correct(item, response) for item, (_, response) in zip(gold, runs, strict=True)]
        result[name] = {
            "latency_ms": summarize([ms for ms, _ in runs]),
            "answer_correct": round(sum(correct) / len(correct), 3),
        }
    ours_s, peer_s = result["ours"], result["peer"]
    result["peer_over_ours_latency"] = ratio(peer_s["latency_ms"]["p50"], ours_s["latency_ms"]["p50"])
    result["ours_over_peer_correct"] = ratio(ours_s["answer_correct"], peer_s["answer_correct"])
    result["rows"] = [
        {
            "id": item.id,
            "ours_ms": round(o[0], 1),
            "peer_ms": round(p[0], 1),
            "ours_correct": answer_correct(item, o[1]),
            "peer_correct": answer_correct(item, p[1]),
        }
        for item, o, p in zip(gold, ours, theirs, strict=True)
    ]
    return result
