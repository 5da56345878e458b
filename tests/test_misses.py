"""The miss census (`eval/misses.py`): which stage lost an answer. The stage logic on plain values; the
tracing on the real seeds index, with the real embedder and spaCy."""

from __future__ import annotations

from typing import Any

import pytest

from eval import misses
from eval.gold import GoldItem

DOC = "000_0e5bc8f3e6e9b2e9"  # the seed on the drone attacks on Kyiv


def _item(facts: tuple[tuple[str, ...], ...], **extra: Any) -> GoldItem:
    return GoldItem("t1", "How many?", "", facts, ("doc",), True, **extra)


@pytest.mark.parametrize(
    ("retrieved", "answering", "chosen", "expected"),
    [
        (False, None, None, misses.NO_ARTICLE),
        (True, None, 0, misses.NO_PASSAGE),
        (True, (3, ["names", "type"]), None, "rule: fails names+type"),
        (True, (3, []), 1, misses.RANKING),
        (True, (3, []), 3, misses.ANSWER),
        (True, (3, []), None, misses.ANSWER),  # passes, yet refused: the answer stage (a later check)
    ],
)
def test_the_first_stage_that_lost_the_answer_is_named(
    retrieved: bool, answering: tuple[int, list[str]] | None, chosen: int | None, expected: str
) -> None:
    assert misses.cause(retrieved, answering, chosen) == expected


def test_a_passage_holds_the_answer_only_with_every_fact() -> None:
    item = _item((("14",), ("seven", "7")))
    assert misses.holds(item, "The EU sanctioned 14 people, 7 of them officials.")
    assert not misses.holds(item, "The EU sanctioned 14 people.")


def test_a_follow_up_is_not_traced() -> None:
    from eval.gold import Turn

    item = _item((("x",),), history=(Turn("user", "Who?"),))
    assert misses.trace(object(), item) == misses.FOLLOW_UP


@pytest.mark.real
def test_a_refused_answerable_question_is_traced_to_a_stage(seed_settings: Any, seed_store: Any) -> None:
    from qa import wiring

    answerer = wiring.answerer(seed_settings.model_copy(update={"answer_mode": "extractive"}), seed_store)
    question = "How many of the Shahed drones launched overnight did Ukraine shoot down?"
    answered = GoldItem("a", question, "", (("59",), ("116",)), (DOC,), True)
    total, causes = misses.census(answerer, [answered])
    assert total == 1 and not causes  # answered right: no miss to trace
    # a fact no passage holds: the article is retrieved, no passage holds the answer
    unheld = GoldItem("b", question, "", (("zzz-none",),), (DOC,), True)
    assert misses.trace(answerer, unheld) == misses.NO_PASSAGE
    elsewhere = GoldItem("c", question, "", (("zzz-none",),), ("no_such_doc",), True)
    assert misses.trace(answerer, elsewhere) == misses.NO_ARTICLE
