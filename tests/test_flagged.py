"""eval.flagged: flagged and unflagged answers counted apart, refusals left out (canned answers)."""

from __future__ import annotations

from typing import Any

from eval.flagged import line, tally
from eval.gold import GoldItem


def _item(item_id: str, answerable: bool = True) -> GoldItem:
    return GoldItem(
        id=item_id,
        question=f"question {item_id}?",
        answer="59" if answerable else "",
        must_include=(("59",),) if answerable else (),
        sources=(),
        answerable=answerable,
        split="report" if item_id != "t" else "tune",
    )


class Canned:
    """Answers each question with the response given for it."""

    def __init__(self, responses: dict[str, dict[str, Any]]) -> None:
        self.responses = responses

    def answer(self, question: str, history: Any = None) -> Any:
        response = self.responses[question]
        return type("A", (), {"to_json": lambda _self: response})()


def _response(answer: str, unmatched: list[str], abstained: bool = False) -> dict[str, Any]:
    return {"answer": answer, "abstained": abstained, "unmatched": unmatched}


def test_flagged_and_unflagged_answers_are_tallied_apart() -> None:
    items = [_item("a"), _item("b"), _item("c", answerable=False), _item("d"), _item("t")]
    answerer = Canned(
        {
            "question a?": _response("59 [1].", ["shot"]),  # flagged, right
            "question b?": _response("60 [1].", ["shot"]),  # flagged, wrong
            "question c?": _response("7 [1].", []),  # unflagged, an answer to the unanswerable
            "question d?": _response("The documents don't say.", [], abstained=True),  # left out
            "question t?": _response("59 [1].", []),  # unflagged, right (tune split)
        }
    )
    assert tally(answerer, items) == {"flagged": [1, 2], "unflagged": [1, 2]}
    assert tally(answerer, items, "report") == {"flagged": [1, 2], "unflagged": [0, 1]}
    assert line("x", {"flagged": [1, 2], "unflagged": [0, 0]}) == "x: flagged 1/2 right (50%), unflagged 0/0 right"
