"""The "check the quote" flag: which of the question's words an answering passage leaves out (real spaCy)."""

from __future__ import annotations

from typing import Any

import pytest

from qa.confidence import plain_terms, unmatched
from qa.idf import TermWeights
from qa.passages import Parser
from qa.question import analyse
from qa.terms import content_words
from vectorstore.nlp import pipeline

CORPUS = [
    "Kanye West leads the race for this year's Grammys with 10 nominations.",
    "Green Day received six Grammy nominations for their album American Idiot.",
    "The band played a sell-out concert in London on Friday.",
]
WEIGHTS = TermWeights(CORPUS)
QUESTION = "How many Grammy nominations did Green Day receive this year?"


@pytest.fixture(scope="module")
def nlp() -> Any:
    return pipeline()


def _unmatched(nlp: Any, question: str, passage: str) -> tuple[str, ...]:
    return unmatched(analyse(nlp(question)), passage, Parser(nlp).parse([passage]), WEIGHTS)


def test_names_are_not_among_the_words_checked(nlp: Any) -> None:
    q = analyse(nlp(QUESTION))
    plain = plain_terms(q)
    assert plain and not plain & (content_words("Green Day") | content_words("Grammy"))
    assert content_words("receive") <= plain


def test_a_passage_about_something_else_names_the_missing_words(nlp: Any) -> None:
    # the rules let this through (a Grammy figure, a name of the question); the flag names what it lacks
    assert "receive" in _unmatched(nlp, QUESTION, CORPUS[0])
    assert _unmatched(nlp, QUESTION, CORPUS[1]) == ()  # the answering sentence covers the question


def test_other_forms_of_a_word_and_synonyms_of_the_verb_count_as_said(nlp: Any) -> None:
    question = "How many drones did Ukraine shoot down over Kyiv?"
    assert _unmatched(nlp, question, "Air defences shot down 59 drones over Kyiv.") == ()  # lemma
    question = "How many drones has Iran supplied to Russia?"
    assert _unmatched(nlp, question, "Iran has sold more than two thousand drones to Russia.") == ()
    assert "supplied" in _unmatched(nlp, question, "Iran has more than two thousand drones, Russia says.")


def test_the_missing_words_are_shown_as_asked_once_each(nlp: Any) -> None:
    question = "Where did the band play their first gig after the singer left, and who booked the gig?"
    missing = _unmatched(nlp, question, "The band played a sell-out concert in London on Friday.")
    assert missing and all(word in question for word in missing)
    assert missing.count("gig") == 1
