"""How often answers flagged "check the quote" are right, against the answers not flagged.

An answer is flagged when its passage leaves out much of the question (`qa/confidence.py`). The flag
is worth showing only if flagged answers are wrong clearly more often; this counts it over gold files,
per file and in all: answered questions (answerable or not), and how many of each group are right
(an answer to an unanswerable question is never right). Our own code: the metrics score answers,
not the flag. Deliberately not here: the flag itself and any refusal rule.
Run: `python -m eval.flagged --suite realworld eval/gold_fresh15.jsonl eval/gold_fresh16.jsonl`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.gold import GoldItem, load_gold
from eval.metrics import right_if_flagged
from eval.suites import SUITES, extractive_answerer

Tally = dict[str, list[int]]  # "flagged" / "unflagged": [right, answered]


def tally(answerer: Any, items: Sequence[GoldItem], split: str = "") -> Tally:
    """Right and answered counts of flagged and unflagged answers (refusals are left out)."""
    out: Tally = {"flagged": [0, 0], "unflagged": [0, 0]}
    for item in items:
        if split and item.split != split:
            continue
        response = answerer.answer(item.question, item.messages()).to_json()
        for key, flagged in (("flagged", True), ("unflagged", False)):
            right = right_if_flagged(item, response, flagged)  # None: a refusal, or the other group
            if right is not None:
                out[key][0] += int(right)
                out[key][1] += 1
    return out


def line(name: str, counts: Tally) -> str:
    def share(right: int, answered: int) -> str:
        return f"{right}/{answered} right" + (f" ({right / answered:.0%})" if answered else "")

    return f"{name}: flagged {share(*counts['flagged'])}, unflagged {share(*counts['unflagged'])}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="+", type=Path, help="gold files (JSON lines)")
    parser.add_argument("--suite", choices=sorted(SUITES), default="realworld", help="whose index to ask")
    parser.add_argument("--split", choices=["", "tune", "report"], default="", help="only this split")
    args = parser.parse_args()
    answerer = extractive_answerer(args.suite)
    total: Tally = {"flagged": [0, 0], "unflagged": [0, 0]}
    for path in args.gold:
        counts = tally(answerer, load_gold(path), args.split)
        print(line(path.name, counts))
        for key in total:
            total[key] = [a + b for a, b in zip(total[key], counts[key], strict=True)]
    print(line("all", total))


if __name__ == "__main__":
    main()
