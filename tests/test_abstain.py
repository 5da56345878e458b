"""The abstention checks that run before any model call (no model, no store)."""

from __future__ import annotations

import pytest

from qa.abstain import lacks_answer_kind, missing_specifics, wanted_kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What is the population of Kyiv?", "figure"),
        ("How old is Lloyd Austin?", "figure"),
        ("When did the first load of drones arrive?", "date"),
        ("Who sanctioned whom?", "name"),
        ("What is the name of the dam?", "name"),
        ("Why did the EU act?", ""),
        # Only the question's own words count, not the earlier question condense attached to it.
        ("What was that money meant to strengthen (following up on: How much aid did Biden authorize)?", ""),
    ],
)
def test_wanted_kind(question: str, kind: str) -> None:
    assert wanted_kind(question) == kind


def test_a_casualty_count_does_not_answer_a_population_question() -> None:
    evidence = ["Russian attacks across Ukraine killed at least four people in Kyiv."]
    assert lacks_answer_kind("What is the population of Kyiv?", evidence) == "figure"


def test_a_figure_beside_a_key_term_may_answer() -> None:
    evidence = ["The 5 that did get through left 1.5 million people without power in Odessa."]
    assert lacks_answer_kind("How many people lost power in Odessa?", evidence) == ""


def test_a_number_the_question_already_has_is_not_an_answer() -> None:
    evidence = ["On December 10 drones attacked the southern regions."]
    assert lacks_answer_kind("How many drones attacked on December 10?", evidence) == "figure"


def test_a_date_question_needs_a_date_and_a_name_question_a_new_name() -> None:
    assert (
        lacks_answer_kind(
            "When did he become Foreign Secretary?", ["Foreign Secretary James Cleverly spoke."]
        )
        == "date"
    )
    assert lacks_answer_kind("Who sanctioned Iran?", ["Iran was sanctioned by the EU."]) == ""
    assert lacks_answer_kind("Who sanctioned Iran?", ["Iran was sanctioned again."]) == "name"


def test_missing_names_and_numbers() -> None:
    assert missing_specifics("How many drones did China send?", ["Iran sent drones to Russia."]) == ["china"]
