"""The harness's strict support checker: wrong numbers, names, dates and negations fail; paraphrases pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eval.support import support_detail, supports
from eval.support_calibration import calibrate
from qa.errors import InputError

QUOTE = (
    "Ukrainian air defenses shot down 59 of the 116 Iranian Shahed drones launched by Russia overnight, "
    "the Ukrainian Air Force said on Tuesday, March 14, 2023."
)


def test_accepts_a_paraphrase_with_markers() -> None:
    assert supports("Air defenses downed 59 of the 116 Shahed drones Russia launched overnight [1].", QUOTE)


def test_catches_a_wrong_number() -> None:
    detail = support_detail("Air defenses shot down 69 of the 116 drones launched by Russia.", QUOTE)
    assert not detail.supported and detail.missing_numbers == ("69",)


def test_catches_a_wrong_name() -> None:
    detail = support_detail("Air defenses shot down 59 of the 116 drones launched by Belarus.", QUOTE)
    assert not detail.supported and detail.missing_names == ("Belarus",)


def test_catches_a_negation_flip() -> None:
    detail = support_detail("Air defenses did not shoot down 59 of the 116 drones launched by Russia.", QUOTE)
    assert not detail.supported and detail.negation_mismatch


@pytest.mark.parametrize(
    "sentence",
    ["The drones were launched on Wednesday.", "The drones were launched in April.", "It was in 2022."],
)
def test_catches_a_wrong_date(sentence: str) -> None:
    assert support_detail(sentence, QUOTE).missing_dates


def test_catches_too_few_content_words() -> None:
    detail = support_detail("Ukrainian farmers harvested wheat and barley across fertile plains.", QUOTE)
    assert not detail.supported and detail.coverage < 0.8


@pytest.mark.parametrize(
    ("sentence", "quote"),
    [
        ("Officials counted 2500 displaced families.", "Officials counted 2,500 displaced families."),
        ("The outage hit 1,500,000 people.", "The outage hit 1.5 million people."),
        ("At least 4 people were killed.", "At least four people were killed."),
        ("Estimates range from 4,000 to 8,000 units.", "Estimates range from 4-8 thousand units."),
        ("Russia’s attack hit Kyiv.", "Russia's attack hit Kyiv."),
        ("The US released images.", "The United States released images."),
        ("The United States released images.", "The US released images."),
        (
            "Members of the IRGC trained troops.",
            "Members of the Islamic Revolutionary Guard Corps trained troops.",
        ),
        ("Five drones got through.", "Five drones did get through."),
        ("Iran supplied shells as well as drones.", "Iran has not only supplied drones but also shells."),
    ],
)
def test_equivalent_forms_are_accepted(sentence: str, quote: str) -> None:
    assert supports(sentence, quote), support_detail(sentence, quote).reasons


def test_a_demonym_is_not_its_country() -> None:
    assert not supports("The drones were Russian weapons.", "The drones were weapons supplied to Russia.")


def test_sentence_initial_capital_is_not_a_name_but_later_capitals_are() -> None:
    assert supports("Overnight, Russia launched drones.", "Russia launched drones overnight.")
    assert not supports("Drones were launched by Russia and Belarus.", "Drones were launched by Russia.")


def test_reasons_are_empty_exactly_when_supported() -> None:
    good = support_detail("Russia launched 116 drones overnight.", QUOTE)
    bad = support_detail("Russia launched 117 drones overnight.", QUOTE)
    assert good.supported and good.reasons == ()
    assert not bad.supported and bad.reasons == ("number 117 not in quote",)


def test_empty_quote_supports_nothing() -> None:
    assert not supports("Russia launched drones.", "")


def test_calibrate_counts_agreement(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "sentence": "Russia launched 116 drones.", "quote": QUOTE, "supported": True},
        {"id": "b", "sentence": "Russia launched 117 drones.", "quote": QUOTE, "supported": False},
        {"id": "c", "sentence": "Russia launched 116 drones.", "quote": QUOTE, "supported": False},
    ]
    path = tmp_path / "labels.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = calibrate(path)
    assert result["n"] == 3 and result["agreement"] == pytest.approx(0.6667)
    assert result["precision"] == 0.5 and result["recall"] == 1.0
    assert [d["id"] for d in result["disagreements"]] == ["c"]


def test_calibrate_rejects_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text('{"sentence": "x", "quote": "y", "supported": "yes"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"labels\.jsonl:1:"):
        calibrate(path)


# --- properties over generated sentences -------------------------------------------------------------

VOCABULARY = [
    "Russia", "Kyiv", "drones", "launched", "not", "never", "59", "2,500", "four", "million", "March",
    "Tuesday", "2023", "but", "while", ",", "the", "U.S.", "Iran's", "didn't", "one", "of", "denied", "[1]",
]  # fmt: skip


def sentence_from(words: list[str]) -> str:
    return " ".join(words).replace(" ,", ",") + "."


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=14))
def test_a_sentence_always_supports_itself(words: list[str]) -> None:
    sentence = sentence_from(words)
    assert supports(sentence, sentence), support_detail(sentence, sentence).reasons


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=14), st.integers(100_000, 999_999))
def test_an_added_number_is_never_supported(words: list[str], number: int) -> None:
    quote = sentence_from(words)
    assert not supports(f"{quote[:-1]} {number}.", quote)
