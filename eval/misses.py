"""Where a gold file's answerable misses fail: retrieval, a rule, ranking or the answer text, counted.

For each answerable question answered wrongly or refused, it looks for the answering passage (a
passage holding every `must_include` fact) among the sentences the engine ranked for the question,
and names the first stage that lost it:
- retrieval: no source article among the retrieved chunks, or the article but no answering passage;
- rule: the answering passage fails an answerability rule of `qa/passages.py` (the fewest it fails);
- ranking: it passes every rule, but an earlier-ranked passage was chosen;
- answer: it was chosen (or lies after the passage chosen without an earlier rank) and the answer
  still misses a fact.
A two-part question is traced through its first part; a follow-up (one with history) is not traced.
Our own code: no library attributes a QA miss to a stage of its pipeline, and this census is what
told per-rule fixes from retrieval work. Deliberately not here: the metrics (`metrics.py`) and the
rules (`qa/passages.py`). Run: `python -m eval.misses --suite realworld eval/gold_fresh14.jsonl`.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.gold import GoldItem, load_gold
from eval.metrics import answer_correct
from eval.suites import SUITES, extractive_answerer
from qa import passages

NO_ARTICLE = "retrieval: no source article retrieved"
NO_PASSAGE = "retrieval: the article, but no passage holding the answer"
RANKING = "ranking: an earlier passage passing every rule was chosen"
ANSWER = "answer: the answering passage was chosen, the answer still misses"
FOLLOW_UP = "follow-up: not traced"


def cause(source_retrieved: bool, answering: tuple[int, list[str]] | None, chosen: int | None) -> str:
    """The first stage that lost the answer. `answering` is (rank, rules failed) of the best-ranked
    passage holding it; `chosen` the rank of the passage the engine chose (None: it refused)."""
    if answering is None:
        return NO_PASSAGE if source_retrieved else NO_ARTICLE
    rank, failed = answering
    if failed:
        return "rule: fails " + "+".join(failed)
    return RANKING if chosen is not None and chosen < rank else ANSWER


def holds(item: GoldItem, text: str) -> bool:
    """Does `text` hold every fact of the gold answer (the metric's own matching)?"""
    return answer_correct(item, {"answer": text, "abstained": False})


def trace(answerer: Any, item: GoldItem) -> str:
    """The cause of one miss, from the engine's own ranking and verdicts."""
    if item.history:
        return FOLLOW_UP
    analysis, ranked, ctx = answerer.ranked(item.question)
    answering: tuple[int, list[str]] | None = None
    for n, anchor in enumerate(ranked):
        verdicts = [v for v in ctx.judged(analysis, anchor) if holds(item, _text(v.sentences))]
        if verdicts:
            answering = (n, min((v.failed for v in verdicts), key=len))
            break
    best, _ = passages.choose(analysis, ranked, ctx)
    chosen = None if best is None else _rank_of(best.sentences, ranked)
    return cause(bool(set(item.sources) & {p.doc_id for p in ranked}), answering, chosen)


def _text(sentences: Sequence[Any]) -> str:
    return " ".join(s.text for s in sentences)


def _rank_of(sentences: Sequence[Any], ranked: Sequence[Any]) -> int | None:
    places = {(s.doc_id, s.start) for s in sentences}
    return next((n for n, p in enumerate(ranked) if (p.doc_id, p.start) in places), None)


def census(answerer: Any, items: Sequence[GoldItem]) -> tuple[int, Counter[str]]:
    """(Answerable questions, causes of their misses)."""
    answerable = [i for i in items if i.answerable and i.must_include]
    causes: Counter[str] = Counter()
    for item in answerable:
        if not answer_correct(item, answerer.answer(item.question, item.messages()).to_json()):
            causes[trace(answerer, item)] += 1
    return len(answerable), causes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="+", type=Path, help="gold files (JSON lines)")
    parser.add_argument("--suite", choices=sorted(SUITES), default="realworld", help="whose index to ask")
    args = parser.parse_args()
    answerer = extractive_answerer(args.suite)
    total, causes = 0, Counter[str]()
    for path in args.gold:
        n, found = census(answerer, load_gold(path))
        print(f"{path.name}: {n} answerable, {sum(found.values())} missed")
        total, causes = total + n, causes + found
    print(f"\n{total} answerable, {sum(causes.values())} missed:")
    for name, count in causes.most_common():
        print(f"  {count:4d}  {name}")


if __name__ == "__main__":
    main()
