"""Relation extraction with the real spaCy pipeline: each relation, passive, nominal forms, coordination,
the pronoun rule, negation and hedges; the alias table; and precision/recall on the seeds' gold edges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vectorstore.aliases import known, normalise, other_names, state_of_adjective
from vectorstore.edge import Edge, edge_from
from vectorstore.relations import Article, extract, paragraphs, version
from vectorstore.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def nlp() -> Any:
    from vectorstore.nlp import pipeline

    return pipeline()


def edges_of(text: str, nlp: Any) -> set[tuple[str, str, str]]:
    found = extract(Article("doc", text, split_sentences(text)), nlp)
    for e in found:
        assert text[e.start : e.end] == e.quote  # provenance is exact
    return {(e.subject, e.relation, e.object) for e in found}


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        (
            "The EU sanctioned seven individuals and seven entities.",
            ("EU", "sanction", "seven individuals and seven entities"),
        ),
        ("Washington imposed sanctions on Tehran last week.", ("US", "sanction", "Iran")),
        ("The new sanctions on Moscow were announced by Brussels.", ("", "sanction", "Russia")),
        ("Iran, which is under US sanctions, denied the report.", ("US", "sanction", "Iran")),
        ("Iran has sold more than two thousand drones to Russia.", ("Iran", "supply", "Russia")),
        ("Russia had received hundreds of attack drones from Iran.", ("Iran", "supply", "Russia")),
        ("Germany delivered tanks to Ukraine in January.", ("Germany", "supply", "Ukraine")),
        ("Russia attacked Kharkiv overnight.", ("Russia", "attack", "Kharkiv")),
        ("Odesa was attacked by Russia on Monday.", ("Russia", "attack", "Odesa")),
        ("Russian forces shelled Odesa on Monday.", ("Russia", "attack", "Odesa")),
        ("Ukrainian air defences shot down 59 of the 116 drones.", ("Ukraine", "attack", "59 of 116 drones")),
        ("Iran produces the Shahed drones in a factory near Tehran.", ("Iran", "produce", "shahed drones")),
        ("Ukraine has accused Iran of lying.", ("Ukraine", "accuse", "Iran")),
        ("The UN condemned Russia on Friday.", ("UN", "condemn", "Russia")),
        ("Putin met Erdogan in Sochi.", ("Putin", "meet", "Erdogan")),
        ("Washington slapped sanctions on Moscow.", ("US", "sanction", "Russia")),
        ("The EU adopted a sixth package of sanctions against Russia.", ("EU", "sanction", "Russia")),
        ("China criticised the West for sanctions introduced against Russia.", ("", "sanction", "Russia")),
    ],
)
def test_each_relation_and_form(nlp: Any, text: str, wanted: tuple[str, str, str]) -> None:
    """Objects compare case-blind: a place the recogniser missed is keyed as written by the parser's
    tag (edges group case-blind too)."""
    subject, relation, obj = wanted
    assert (subject, relation, obj.lower()) in {(s, r, o.lower()) for s, r, o in edges_of(text, nlp)}


def test_coordination_gives_one_edge_per_name(nlp: Any) -> None:
    got = edges_of("Russia attacked Kharkiv, Poltava and Odesa.", nlp)
    assert {("Russia", "attack", city) for city in ("Kharkiv", "Poltava", "Odesa")} <= got
    both = edges_of("The United States and Britain sanctioned Iran.", nlp)
    assert {("US", "sanction", "Iran"), ("UK", "sanction", "Iran")} <= both


def test_nominal_transfer_with_possessor(nlp: Any) -> None:
    got = edges_of("The EU acted over Iran's missile and drone transfers to Russia.", nlp)
    assert ("Iran", "supply", "Russia") in got


def test_pronoun_resolved_only_when_one_name_fits(nlp: Any) -> None:
    """ "it" is Iran when Iran is the one state named before it in its paragraph; with two candidates,
    or with the name only in an earlier paragraph, the edge is dropped."""
    later = "Later it admitted to having sent Moscow a few drones."
    one = f"The report was published on Monday.\nIran denied the claims at first. {later}"
    assert ("Iran", "supply", "Russia") in _in_second_paragraph(one, nlp)
    two = f"The report was published on Monday.\nIran and Syria denied the claims at first. {later}"
    assert not any(r == "supply" for _, r, _ in _in_second_paragraph(two, nlp))
    elsewhere = f"Iran denied the claims at first.\n{later}"
    assert not any(r == "supply" for _, r, _ in _in_second_paragraph(elsewhere, nlp))


def _in_second_paragraph(text: str, nlp: Any) -> set[tuple[str, str, str]]:
    assert len(paragraphs(text)) == 2
    return edges_of(text, nlp)


def test_negated_and_conditional_triggers_give_nothing(nlp: Any) -> None:
    assert edges_of("Iran did not sell drones to Russia.", nlp) == set()
    assert edges_of("If Iran sells missiles to Russia, the EU will respond.", nlp) == set()


def test_hedges_are_kept_not_dropped(nlp: Any) -> None:
    text = "Ukraine has accused Iran of supplying Russia with drones."
    found = extract(Article("doc", text, split_sentences(text)), nlp)
    supply = [e for e in found if e.relation == "supply"]
    assert supply and supply[0].subject == "Iran" and supply[0].hedge == "alleged"


def test_a_struck_deal_is_no_attack(nlp: Any) -> None:
    assert not any(r == "attack" for _, r, _ in edges_of("Russia and Iran struck a deal in Tehran.", nlp))


@pytest.mark.parametrize(
    ("surface", "acting", "key"),
    [
        ("the White House", True, "US"),
        ("Washington", True, "US"),
        ("the European Union", True, "EU"),
        ("Brussels", True, "EU"),
        ("Tehran", True, "Iran"),
        ("the Kremlin", True, "Russia"),
        ("Kyiv", True, "Ukraine"),
        ("Kyiv", False, "Kyiv"),  # a capital that is hit is the city
        ("the Kyiv Independent", True, "Kyiv Independent"),  # unknown names are their own key
    ],
)
def test_alias_table(surface: str, acting: bool, key: str) -> None:
    assert normalise(surface, acting=acting) == key


def test_adjectives_and_known_names() -> None:
    assert state_of_adjective("Russian") == "Russia"
    assert state_of_adjective("drone") is None
    assert known("the West") and not known("Shahed")


def test_other_names_keep_acronyms_in_capitals_and_names_as_written() -> None:
    assert {"EU", "european union", "brussels"} <= set(other_names("the European Union"))
    assert "iran" in other_names("Tehran") and "IRAN" not in other_names("Tehran")
    assert "kyiv" in other_names("Ukraine") and other_names("Shahed") == []


def test_edge_round_trips_through_stored_metadata() -> None:
    edge = Edge(
        "supply", "Iran", "Russia", "d1", 5, 40, "Iran sold drones to Russia.", verb="sold", item="drones"
    )
    assert edge_from(edge.quote, edge.metadata()) == edge
    assert edge.id == Edge("supply", "Iran", "Russia", "d1", 5, 40, "other text").id  # stable per fact


def test_version_is_a_hash_of_the_extractor() -> None:
    assert len(version()) == 12 and version() == version()


def test_seed_gold_edges_precision_and_recall(nlp: Any) -> None:
    """The issue's targets on the seeds (four main relations): precision >= 0.90, recall >= 0.70."""
    from eval.edge_metrics import load_gold_edges, score
    from vectorstore.load import load_file

    docs = [load_file(p, 10**7) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    from vectorstore.relations import extract_many

    edges = extract_many(
        [Article(d.doc_id, d.text, split_sentences(d.text, d.skip), d.date, d.title) for d in docs], nlp
    )
    result = score(edges, load_gold_edges(ROOT / "eval" / "gold_edges.jsonl"))["by_relation"]["all"]
    assert result["precision"] >= 0.90, result
    assert result["recall"] >= 0.70, result


@pytest.mark.parametrize(
    "text",
    [
        "Holmes hit the front just before the bell and cruised to victory.",  # sport
        "Liberal Democrat leader Charles Kennedy attacked Mr Brown for failing to mention the environment.",
        "Apple are targeting people who already have a main computer.",  # marketing
        "Hollywood legend Dustin Hoffman has hit out at the quality of current films.",  # "hit out at"
        "Russia has built up its military at the Ukrainian border.",  # "build up" is no production
        "Putin also built a rationale for war in the summer.",  # no product
        "He said they had received a written follow-up from Russia.",  # no goods
        "Confidential documents the US and Nato sent to Russia were published.",  # no goods
        "The minister discussed the impact of sanctions on the global economy.",  # nobody sanctioned
        "Beijing has been criticized for refusing to condemn Moscow for its offensive.",  # refused
        "The government introduced a ban on smoking in pubs.",  # a ban is no sanction unless imposed
    ],
)
def test_false_edges_seen_on_real_news_are_not_made(nlp: Any, text: str) -> None:
    assert edges_of(text, nlp) == set()


def test_a_date_is_never_the_object(nlp: Any) -> None:
    text = "On August 6-8, 2016, a sabotage group of five fighters launched a raid on Crimea."
    assert not any("2016" in o or "August" in o for _, _, o in edges_of(text, nlp))


def test_a_scheduled_meeting_is_planned(nlp: Any) -> None:
    text = "Euronext chief Jean-Francois Theodore is scheduled to meet his LSE counterpart Clara Furse on Friday."
    found = extract(Article("doc", text, split_sentences(text)), nlp)
    assert found and all(e.hedge == "planned" for e in found if e.relation == "meet")


def test_a_match_is_no_meeting(nlp: Any) -> None:
    assert edges_of("Lleyton Hewitt will meet France's Arnaud Clement in the first round.", nlp) == set()
    assert ("Putin", "meet", "Erdogan") in edges_of("Putin met Erdogan in Sochi.", nlp)
