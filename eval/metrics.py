"""Per-question scores of one system response against one gold item, their failure class and summary.

All functions are pure: (gold item, `qa ask --json` response dict, document texts) in, numbers out.
A metric that does not apply to an item (e.g. retrieval for an unanswerable question, citation
recall of a refusal) is `None` and is left out of that metric's average, never counted as 0 or 1.

Conventions, stated once:
- Retrieval is ranked over distinct documents: the retrieved chunks are reduced to their documents in
  first-seen order, so several chunks of one wrong document push the right one down only once.
  `retrieval_hit` looks at everything the system returned (k = its own retrieval depth).
- Citation recall and precision follow ALCE (Gao et al., 2023) at sentence level with
  `eval.support.supports` as the judge: a sentence's recall is 1 iff it cites something and the
  concatenation of its cited quotes supports it; a citation is precise iff its sentence is supported
  by the joint citations and the citation is not irrelevant (irrelevant = it alone does not support
  the sentence and the others still do). As in ALCE's code, citations of an unsupported sentence are
  not precise, and precision is over all citations of the answer.
- Latency percentiles use the nearest-rank method (always an observed value).

Deliberately not done here: running the system, loading files, or deciding pass/fail of a run
beyond `regression` (the runner and CI do that).
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from eval.gold import GoldItem
from eval.support import STRAIGHTEN, supports

Response = Mapping[str, Any]

_MARKER = re.compile(r"\[(\d+)\]")
# A sentence ends at . ! or ? (plus closing quotes/brackets), then its [n] markers, then space or the end.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)]*(?:\s*\[\d+\])*(?=\s|$)")
# Periods that do not end a sentence: initials and short abbreviations ("U.S.", "Mr.", "Jan.").
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|Rep|Jr|Sr|No|vs|etc|Jan|Feb|Mar|Apr"
    r"|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Ltd|Corp|Co))\.$"
)

HEADLINE = (
    "answer_correct",
    "citation_validity",
    "citation_recall",
    "citation_precision",
    "abstain_correct",
    "edge_precision",  # relation edges against eval/gold_edges.jsonl (suites that index the seeds)
    "edge_recall",
)
DEFAULT_DROP = 0.02  # absolute drop allowed in a headline metric
DEFAULT_LATENCY_RISE = 0.5  # relative rise allowed in latency_ms_p50
DEFAULT_FALSE_ABSTAIN_RISE = 0.05  # absolute rise allowed in false_abstain

FAILURES = (
    "retrieval miss",
    "generation miss",
    "unsupported claim",
    "bad citation",
    "wrong refusal",
    "answered the unanswerable",
)


# --- text helpers -----------------------------------------------------------------------------------


def strip_markers(text: str) -> str:
    """The answer without `[n]` markers, whitespace collapsed (and no space left before punctuation)."""
    text = _MARKER.sub("", text)
    return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s+", " ", text)).strip()


def split_sentences(answer: str) -> list[str]:
    """Split an answer into sentences, each keeping its own markers ("... 2023.[1][2] Next" -> 2 parts)."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(answer):
        if _ABBREVIATION.search(answer[start : match.start() + 1]) and match.group().startswith("."):
            continue  # "U.S. officials": the period belongs to an abbreviation
        sentences.append(answer[start : match.end()].strip())
        start = match.end()
    sentences.append(answer[start:].strip())
    return [s for s in sentences if strip_markers(s)]


def markers(text: str) -> list[int]:
    """Every `[n]` in `text`, in order, repeats included."""
    return [int(n) for n in _MARKER.findall(text)]


def _citations_by_n(response: Response) -> dict[int, Mapping[str, Any]]:
    by_n: dict[int, Mapping[str, Any]] = {}
    for citation in response.get("citations") or []:
        by_n.setdefault(int(citation["n"]), citation)  # a repeated n keeps its first citation
    return by_n


def _abstained(response: Response) -> bool:
    return bool(response.get("abstained")) or response.get("mode") == "abstain"


# --- answer quality ---------------------------------------------------------------------------------


def answer_correct(gold: GoldItem, response: Response) -> bool:
    """Every required fact (any of its alternatives) appears in the answer; unanswerable: it abstained."""
    if not gold.answerable:
        return _abstained(response)
    if _abstained(response):
        return False
    text = _normalise_for_match(strip_markers(response.get("answer", "")))
    return all(any(_contains(text, _normalise_for_match(alt)) for alt in fact) for fact in gold.must_include)


def _normalise_for_match(text: str) -> str:
    text = text.translate(STRAIGHTEN)
    return re.sub(r"\s+", " ", text).strip().lower()


def _contains(text: str, phrase: str) -> bool:
    """Case-insensitive substring, except that a number may not be part of a longer number.

    Plain substring as the gold contract says ("Shahed" is in "Shaheds", "9" in "9th", "2.1" in "USD2.1"),
    but "59" is not in "159" or "0.59", and "2,500" is not in "12,500": those would be wrong facts.
    """
    if not phrase:
        return True
    left = r"(?<!\d)(?<!\d[.,])" if phrase[0].isdigit() else ""
    right = r"(?!\d)(?![.,]\d)" if phrase[-1].isdigit() else ""
    return re.search(left + re.escape(phrase) + right, text) is not None


def token_f1(gold: GoldItem, response: Response) -> float:
    """SQuAD token F1 of the marker-free answer against the gold answer; refusals score by correctness."""
    if not gold.answerable or _abstained(response):
        return 1.0 if (not gold.answerable and _abstained(response)) else 0.0
    pred = _squad_tokens(strip_markers(response.get("answer", "")))
    truth = _squad_tokens(gold.answer)
    if not pred or not truth:
        return float(pred == truth)
    common = sum((Counter(pred) & Counter(truth)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(truth)
    return 2 * precision * recall / (precision + recall)


def _squad_tokens(text: str) -> list[str]:
    """SQuAD normalisation: lowercase, drop punctuation and articles, split on whitespace."""
    text = "".join(ch for ch in text.lower() if ch not in string.punctuation and ch not in "‘’“”")
    return re.sub(r"\b(a|an|the)\b", " ", text).split()


# --- retrieval --------------------------------------------------------------------------------------


def _ranked_docs(response: Response) -> list[str]:
    """Distinct retrieved document ids in first-seen order."""
    return list(dict.fromkeys(r["doc_id"] for r in response.get("retrieved") or []))


def retrieval_hit(gold: GoldItem, response: Response) -> bool | None:
    """Some retrieved chunk comes from a gold source; None when the item has no sources."""
    if not gold.sources:
        return None
    return any(doc in gold.sources for doc in _ranked_docs(response))


def reciprocal_rank(gold: GoldItem, response: Response) -> float | None:
    """1/rank of the first gold document among distinct retrieved docs; 0 if none, None if no sources."""
    if not gold.sources:
        return None
    for rank, doc in enumerate(_ranked_docs(response), start=1):
        if doc in gold.sources:
            return 1.0 / rank
    return 0.0


# --- citations --------------------------------------------------------------------------------------


def citation_validity(response: Response, doc_texts: Mapping[str, str]) -> float:
    """Share of `[n]` markers that resolve to a citation whose quote is exactly its document span.

    No markers: 1.0 for a refusal (nothing was claimed), 0.0 for an answer (nothing can be checked).
    """
    found = markers(response.get("answer", ""))
    if not found:
        return 1.0 if _abstained(response) else 0.0
    by_n = _citations_by_n(response)
    return sum(_quote_matches_span(by_n.get(n), doc_texts) for n in found) / len(found)


def _quote_matches_span(citation: Mapping[str, Any] | None, doc_texts: Mapping[str, str]) -> bool:
    if citation is None or citation.get("doc_id") not in doc_texts:
        return False
    start, end = citation.get("start"), citation.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end:
        return False
    return bool(citation.get("quote")) and doc_texts[citation["doc_id"]][start:end] == citation["quote"]


def _sentence_citations(response: Response) -> list[tuple[str, list[str]]]:
    """(marker-free sentence, quotes of its distinct cited numbers); an unknown number cites ""."""
    by_n = _citations_by_n(response)
    pairs = []
    for sentence in split_sentences(response.get("answer", "")):
        numbers = list(dict.fromkeys(markers(sentence)))
        pairs.append((strip_markers(sentence), [str((by_n.get(n) or {}).get("quote", "")) for n in numbers]))
    return pairs


def citation_recall(response: Response) -> float | None:
    """ALCE citation recall: mean over sentences of 'cites something and its joint quotes support it'."""
    pairs = _sentence_citations(response)
    if _abstained(response) or not pairs:
        return None
    return sum(bool(quotes) and supports(s, " ".join(quotes)) for s, quotes in pairs) / len(pairs)


def citation_precision(response: Response) -> float | None:
    """ALCE citation precision: share of all (sentence, citation) pairs that are not irrelevant."""
    pairs = _sentence_citations(response)
    if _abstained(response) or not pairs:
        return None
    total = sum(len(quotes) for _, quotes in pairs)
    if total == 0:
        return 0.0  # an answer that cites nothing has no precise citation (ALCE scores it 0)
    return sum(_precise_citations(s, quotes) for s, quotes in pairs) / total


def _precise_citations(sentence: str, quotes: list[str]) -> int:
    """How many of one sentence's citations are precise under the ALCE rule."""
    if not supports(sentence, " ".join(quotes)):
        return 0
    precise = 0
    for i, quote in enumerate(quotes):
        others = quotes[:i] + quotes[i + 1 :]
        irrelevant = not supports(sentence, quote) and bool(others) and supports(sentence, " ".join(others))
        precise += not irrelevant
    return precise


def _cited_docs(response: Response) -> set[str]:
    return {str(c["doc_id"]) for c in response.get("citations") or []}


def source_precision(gold: GoldItem, response: Response) -> float | None:
    """Share of cited documents that are gold sources; None when nothing is cited or there are no sources."""
    cited = _cited_docs(response)
    if not gold.sources or not cited:
        return None
    return len(cited & set(gold.sources)) / len(cited)


def source_recall(gold: GoldItem, response: Response) -> float | None:
    """Share of gold sources that are cited; None when the item has no sources."""
    if not gold.sources:
        return None
    return len(_cited_docs(response) & set(gold.sources)) / len(set(gold.sources))


# --- abstention -------------------------------------------------------------------------------------


def abstain_correct(gold: GoldItem, response: Response) -> float | None:
    """1.0 if an unanswerable item was refused, 0.0 if answered; None for answerable items."""
    return None if gold.answerable else float(_abstained(response))


def false_abstain(gold: GoldItem, response: Response) -> float | None:
    """1.0 if an answerable item was refused, 0.0 if answered; None for unanswerable items."""
    return float(_abstained(response)) if gold.answerable else None


def right_if_flagged(gold: GoldItem, response: Response, flagged: bool) -> float | None:
    """For an answer flagged "check the quote" (`flagged`) or not (`not flagged`): 1.0 if it is right;
    None for refusals and the other group. The two means show whether the flag picks out wrong answers."""
    if _abstained(response) or bool(response.get("unmatched")) != flagged:
        return None
    return float(gold.answerable and answer_correct(gold, response))


# --- one item ---------------------------------------------------------------------------------------


def score_item(gold: GoldItem, response: Response, doc_texts: Mapping[str, str]) -> dict[str, Any]:
    """Every per-item metric plus the latencies, in one flat dict (None = not applicable)."""
    timings = response.get("timings_ms") or {}
    return {
        "answer_correct": float(answer_correct(gold, response)),
        "token_f1": token_f1(gold, response),
        "retrieval_hit": _as_float(retrieval_hit(gold, response)),
        "reciprocal_rank": reciprocal_rank(gold, response),
        "citation_validity": citation_validity(response, doc_texts),
        "citation_recall": citation_recall(response),
        "citation_precision": citation_precision(response),
        "source_precision": source_precision(gold, response),
        "source_recall": source_recall(gold, response),
        "abstain_correct": abstain_correct(gold, response),
        "false_abstain": false_abstain(gold, response),
        "right_flagged": right_if_flagged(gold, response, True),
        "right_unflagged": right_if_flagged(gold, response, False),
        "abstained": _abstained(response),
        "latency_ms": _as_float(timings.get("total")),
        "first_token_ms": _as_float(timings.get("first_token")),
    }


def _as_float(value: Any) -> float | None:
    return None if value is None else float(value)


def classify_failure(gold: GoldItem, response: Response, scores: Mapping[str, Any]) -> str | None:
    """The single most upstream reason an item failed, or None when it is correct and well cited.

    Order: a refusal or a wrong answer whose sources were never retrieved is a retrieval miss; then a
    refusal is a wrong refusal; then broken markers/spans are a bad citation; then a sentence its
    citations do not support is an unsupported claim; then a wrong answer is a generation miss.
    Irrelevant extra citations lower citation_precision but are not a failure on their own.
    """
    if not gold.answerable:
        return None if _abstained(response) else "answered the unanswerable"
    correct = bool(scores.get("answer_correct"))
    if not correct and scores.get("retrieval_hit") == 0.0:
        return "retrieval miss"
    if _abstained(response):
        return "wrong refusal"
    if (scores.get("citation_validity") or 0.0) < 1.0:
        return "bad citation"
    recall = scores.get("citation_recall")
    if recall is not None and recall < 1.0:
        return "unsupported claim"
    return None if correct else "generation miss"


# --- a whole run ------------------------------------------------------------------------------------

_MEANS = {
    "answer_correct": "answer_correct",
    "token_f1": "token_f1",
    "retrieval_hit_at_k": "retrieval_hit",
    "retrieval_mrr": "reciprocal_rank",
    "citation_validity": "citation_validity",
    "citation_recall": "citation_recall",
    "citation_precision": "citation_precision",
    "source_precision": "source_precision",
    "source_recall": "source_recall",
    "abstain_correct": "abstain_correct",
    "false_abstain": "false_abstain",
    "right_when_flagged": "right_flagged",
    "right_when_unflagged": "right_unflagged",
}


def aggregate(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Summary of scored rows ({"scores": ..., "failure": ...}): means, latency percentiles, failure counts.

    Each mean is over the rows where the metric applies (None when none do); floats rounded to 4 places.
    """
    scores = [row["scores"] for row in rows]
    summary: dict[str, Any] = {"n": len(rows)}
    for key, metric in _MEANS.items():
        summary[key] = _round(_mean(s.get(metric) for s in scores))
    latencies = [s["latency_ms"] for s in scores if s.get("latency_ms") is not None]
    first_tokens = [s["first_token_ms"] for s in scores if (s.get("first_token_ms") or 0) > 0]
    summary["latency_ms_p50"] = _round(percentile(latencies, 50))
    summary["latency_ms_p95"] = _round(percentile(latencies, 95))
    # Refusals and extractive answers report no first token (0): they would fake a fast stream.
    summary["first_token_ms_p50"] = _round(percentile(first_tokens, 50))
    summary["failures"] = dict(sorted(Counter(r.get("failure") for r in rows if r.get("failure")).items()))
    return summary


def _mean(values: Iterable[float | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least p% of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return float(ordered[rank - 1])


# --- regression gate --------------------------------------------------------------------------------


def regression(
    summary: Mapping[str, Any], baseline: Mapping[str, Any], tolerances: Mapping[str, float] | None = None
) -> list[str]:
    """Human-readable regressions of `summary` against `baseline` (an empty list means the gate passes).

    Headline metrics may drop by their tolerance (absolute, default 0.02); latency_ms_p50 may rise by its
    tolerance (relative, default 0.5 = +50%); false_abstain may rise by its tolerance (absolute, 0.05).
    A metric the baseline lacks is not gated; one the run lacks but the baseline has is a failure.
    """
    tol = dict(tolerances or {})
    failures: list[str] = []
    for metric in HEADLINE:
        failures += _check(metric, summary, baseline, tol.get(metric, DEFAULT_DROP), lower_is_worse=True)
    failures += _check(
        "false_abstain", summary, baseline, tol.get("false_abstain", DEFAULT_FALSE_ABSTAIN_RISE)
    )
    failures += _check_latency(summary, baseline, tol.get("latency_ms_p50", DEFAULT_LATENCY_RISE))
    return failures


def _check(
    metric: str,
    summary: Mapping[str, Any],
    baseline: Mapping[str, Any],
    tolerance: float,
    lower_is_worse: bool = False,
) -> list[str]:
    base, now = baseline.get(metric), summary.get(metric)
    if base is None:
        return []
    if now is None:
        return [f"{metric}: missing from this run (baseline {base:.4f})"]
    change = round((base - now) if lower_is_worse else (now - base), 10)  # rounding: no float-noise failures
    if change <= tolerance:
        return []
    verb = "fell" if lower_is_worse else "rose"
    return [f"{metric} {verb} from {base:.4f} to {now:.4f} ({now - base:+.4f}; tolerance {tolerance:.4f})"]


def _check_latency(summary: Mapping[str, Any], baseline: Mapping[str, Any], tolerance: float) -> list[str]:
    base, now = baseline.get("latency_ms_p50"), summary.get("latency_ms_p50")
    if base is None:
        return []
    if now is None:
        return [f"latency_ms_p50: missing from this run (baseline {base:.1f} ms)"]
    limit = base * (1 + tolerance)
    if round(now - limit, 6) <= 0:
        return []
    return [
        f"latency_ms_p50 rose from {base:.1f} ms to {now:.1f} ms (limit {limit:.1f} ms, +{tolerance:.0%})"
    ]
