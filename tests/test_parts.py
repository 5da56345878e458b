"""Two-part questions: where they split (real spaCy), what a later part inherits, and the answer
that gives each part its own phrase and passage (real seeds index)."""

from __future__ import annotations

from typing import Any

import pytest

from qa import parts
from qa.question import analyse
from vectorstore.nlp import pipeline


@pytest.fixture(scope="module")
def nlp() -> Any:
    return pipeline()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "How much did Biden ask Congress for in April 2022, and how much was in the bill approved in April 2024?",
            [
                "How much did Biden ask Congress for in April 2022?",
                "How much was in the bill approved in April 2024?",
            ],
        ),
        (
            "Which Iranian official admitted Iran provided drones to Russia, and what exactly did he admit?",
            ["Which Iranian official admitted Iran provided drones to Russia?", "What exactly did he admit?"],
        ),
        (
            "Where was the equipment displayed in July 2022? Which tank featured in the Moscow exhibition?",
            [
                "Where was the equipment displayed in July 2022?",
                "Which tank featured in the Moscow exhibition?",
            ],
        ),
    ],
)
def test_a_second_wh_clause_is_a_second_part(nlp: Any, question: str, expected: list[str]) -> None:
    assert parts.texts(nlp(question)) == expected


@pytest.mark.parametrize(
    "question",
    [
        "How many drones has Iran supplied to Russia? Do the figures agree?",  # no second wh-word
        "Which company made the part found on a drone, which Varadkar said was under investigation?",
        "Who sanctioned Iran and Russia over the drone transfers?",  # coordination, one question
        "When did Russia invade Ukraine?",
    ],
)
def test_one_question_stays_whole(nlp: Any, question: str) -> None:
    assert parts.texts(nlp(question)) == [question]


def test_a_leaning_part_inherits_the_first_parts_names_and_dates(nlp: Any) -> None:
    first_text, second_text = parts.texts(
        nlp(
            "By the end of May 2022, how many journalists had been killed in Ukraine, and how many of them were foreigners?"
        )
    )
    first, second_doc = analyse(nlp(first_text)), nlp(second_text)
    second = analyse(second_doc)
    assert second.names == () and second.context_dates == ()
    assert parts.leans_on_first(second_doc, second)
    merged = parts.with_context(second, first)
    assert "Ukraine" in merged.names and merged.context_dates == first.context_dates


def test_a_part_with_its_own_names_keeps_them(nlp: Any) -> None:
    doc = nlp("How many points were in the peace plan China published in February 2023?")
    own = analyse(doc)
    assert not parts.leans_on_first(doc, own)
    assert own.context_dates == ("February 2023",)


@pytest.mark.real
def test_each_part_is_answered_from_its_own_passage(scripted: Any) -> None:
    a = scripted("").answer(
        "How many of the Shahed drones did Ukraine shoot down, and what range does the Shahed-136 have?",
        answer_mode="extractive",
    )
    assert not a.abstained and not a.note
    assert "2,500 kilometers [2]." in a.answer  # the second part's answer phrase, after the first's passage
    quotes = [c.quote for c in a.citations]
    assert any("shot down 59" in q for q in quotes) and any("2,500 kilometers" in q for q in quotes)


@pytest.mark.real
def test_an_unanswered_part_is_named_not_hidden(scripted: Any) -> None:
    a = scripted("").answer(
        "How many of the Shahed drones did Ukraine shoot down, and what is the population of Kyiv?",
        answer_mode="extractive",
    )
    assert not a.abstained and "59" in a.answer
    assert a.note == "The documents don't answer: What is the population of Kyiv?"


@pytest.mark.real
def test_parts_can_be_switched_off_for_ablations(scripted: Any) -> None:
    a = scripted("", rules_off={"parts"}).answer(
        "How many of the Shahed drones did Ukraine shoot down, and what range does the Shahed-136 have?",
        answer_mode="extractive",
    )
    assert "2,500 kilometers" not in a.answer or "59" not in a.answer


def test_a_wall_of_questions_makes_at_most_three_parts(nlp: Any) -> None:
    wall = " ".join(["Who sanctioned Iran?", "When did the drones arrive?", "Where were they made?"] * 5)
    split = parts.texts(nlp(wall))
    assert len(split) == parts.MAX_PARTS
    assert split[:2] == ["Who sanctioned Iran?", "When did the drones arrive?"]
    assert split[2].startswith("Where were they made? Who sanctioned Iran?")
