"""Passage-level answerability and answer-first composition, with the real spaCy pipeline."""

from __future__ import annotations

from typing import Any

import pytest

from qa import naming, passages
from qa.idf import TermWeights
from qa.question import analyse
from qa.terms import words_of
from vectorstore.nlp import pipeline
from vectorstore.passage import Passage
from vectorstore.sentences import split_sentences

DOCS = {
    "bbc_lifts": "Lifts of the tower. The new lifts reach a 17m/s top speed, the fastest in Europe.",
    "drone": "Drones over Kyiv. The Shahed-136 drone was launched in waves overnight at the capital.",
    "wagner": "Wagner in Africa. Wagner is a private military group active in Mali. "
    "The group was founded by Yevgeny Prigozhin, a former caterer.",
    "arms": "Arms to Russia. Officials in Kyiv said Iran and North Korea supplied drones and shells to Russia.",
    "june": "Sanctions news. Britain imposed sanctions on Patriarch Kirill over his support for the war.",
}
DATES = {"june": "2022-06-23"}


@pytest.fixture(scope="module")
def parser() -> passages.Parser:
    return passages.Parser(pipeline())


def _sentence(doc_id: str, index: int) -> Passage:
    start, end = split_sentences(DOCS[doc_id])[index]
    return Passage(doc_id, start, end, DOCS[doc_id][start:end], doc_id, DATES.get(doc_id, ""), f"{doc_id}#0")


def _choose(question: str, ranked: list[Passage], parser: passages.Parser) -> tuple[Any, Any]:
    ctx = passages.Context(
        DOCS.__getitem__, lambda d: split_sentences(DOCS[d]), parser, TermWeights(DOCS.values()), 0.0
    )
    return passages.choose(analyse(pipeline()(question)), ranked, ctx)


def test_a_full_parse_cache_still_returns_every_text_asked() -> None:
    # the cache is cleared when full: a text cached before must be parsed again, not looked up
    small = passages.Parser(pipeline(), size=2)
    small.parse(["Kyiv was hit.", "Iran sent drones."])
    got = small.parse(["Kyiv was hit.", "Russia fired missiles."])
    assert "hit" in got[0].lemmas and "fire" in got[1].lemmas


def test_union_of_unrelated_sentences_is_no_answer(parser: passages.Parser) -> None:
    # Between them the two sentences hold "Shahed-136", "drone", "top speed" and a figure; neither
    # passage alone names the drone and gives a speed, so the question is refused.
    ranked = [_sentence("bbc_lifts", 1), _sentence("drone", 1)]
    best, nearest = _choose("What is the top speed of the Shahed-136 drone?", ranked, parser)
    assert best is None and nearest is not None and nearest.failed


def test_answer_in_the_next_sentence_of_the_same_document(parser: passages.Parser) -> None:
    best, _ = _choose("Who leads the Wagner group?", [_sentence("wagner", 1)], parser)
    assert best is not None and best.answer == "Yevgeny Prigozhin"
    assert [s.text for s in best.sentences][best.answer_in].startswith("The group was founded")


def test_which_two_lists_two_answers_and_skips_adjectives(parser: passages.Parser) -> None:
    best, _ = _choose("Which two countries supplied drones to Russia?", [_sentence("arms", 1)], parser)
    assert best is not None and best.answer == "Iran and North Korea"


def test_stated_date_fits_the_article_date(parser: passages.Parser) -> None:
    question = "Which country imposed sanctions on Patriarch Kirill in June 2022?"
    best, _ = _choose(question, [_sentence("june", 1)], parser)
    assert best is not None and best.answer == "Britain"
    later, nearest = _choose(question.replace("2022", "2019"), [_sentence("june", 1)], parser)
    assert later is None and nearest is not None and "dates" in nearest.failed


def test_rules_can_be_switched_off_for_ablations(parser: passages.Parser) -> None:
    q = analyse(pipeline()("Which country imposed sanctions on Patriarch Kirill in June 2019?"))
    window = [_sentence("june", 1)]
    parses = parser.parse([s.text for s in window])
    weights = TermWeights(DOCS.values())
    assert "dates" in passages.judge(q, window, parses, DOCS["june"], weights, 0.0).failed
    assert passages.judge(q, window, parses, DOCS["june"], weights, 0.0, frozenset({"dates"})).ok


@pytest.mark.parametrize(
    ("stated", "article_date", "text", "ok"),
    [
        (["June 2022"], "2022-06-23", "", True),
        (["June 2022"], "2022-09-01", "", True),  # reported a season later
        (["June 2022"], "2023-06-01", "", False),
        (["June 2022"], "", "In June 2022 the summit met.", True),
        (["March 2022", "April 2024"], "2024-04-20", "", True),  # a two-part question: one part fits
        (["the first days"], "", "", True),  # no calendar date to check
    ],
)
def test_dates_ok(stated: list[str], article_date: str, text: str, ok: bool) -> None:
    assert passages.dates_ok(stated, article_date, text) is ok


def test_names_must_be_in_the_document_and_one_in_the_passage() -> None:
    doc = "Kirby spoke in Washington. Russia and Iran deepen ties, he said."
    assert passages.names_ok(["Kirby", "Iran"], "Russia and Iran deepen ties, he said.", doc)
    assert not passages.names_ok(["Kirby", "China"], "Russia and Iran deepen ties, he said.", doc)
    assert not passages.names_ok(["Kirby"], "Russia and Iran deepen ties.", "Russia and Iran deepen ties.")


def test_answer_comes_first_and_is_quoted_from_its_citation(scripted: Any) -> None:
    a = scripted("").answer(
        "Who sanctioned Iran over its drone transfers to Russia?", answer_mode="extractive"
    )
    assert a.answer.startswith("EU [1].")
    assert "EU" in a.citations[0].quote and "sanctioned" in a.citations[0].quote
    assert len(a.citations) == 1  # the answering passage only, no unrelated second quote


@pytest.mark.parametrize(
    ("asked", "written"),
    [
        ("Kirill", "Cyril"),
        ("Peskov", "Pieskow"),
        ("Medvedev", "Miedwiediew"),
        ("Zelensky", "Zełenski"),
        ("Shoigu", "Szojgu"),
        ("Kwasniewski", "Kwaśniewski"),
    ],
)
def test_a_name_in_another_transliteration_is_the_same_name(asked: str, written: str) -> None:
    assert passages.names_ok([asked], f"Patriarch {written} spoke.", f"Patriarch {written} spoke.")


def test_different_names_stay_different() -> None:
    assert not passages.names_ok(["Peskov"], "Petrov spoke.", "Petrov spoke.")
    assert not passages.names_ok(["Kiev"], "Kirov spoke.", "Kirov spoke.")


def test_a_word_with_accents_is_one_word() -> None:
    from qa.terms import words_of

    assert "domański" in words_of("Andrzej Domański met Zełenski")


def _second_sentences(
    docs: dict[str, str], parser: passages.Parser
) -> tuple[list[Passage], passages.Context]:
    """Each document's sentence after its title, ranked in the order given, and a judging context with
    the default rules (roles rank, not refuse)."""
    ranked = []
    for d, text in docs.items():
        start, end = split_sentences(text)[1]
        ranked.append(Passage(d, start, end, text[start:end], d, "", f"{d}#0"))
    ctx = passages.Context(
        docs.__getitem__,
        lambda d: split_sentences(docs[d]),
        parser,
        TermWeights(docs.values()),
        0.0,
        frozenset({"role"}),
    )
    return ranked, ctx


def test_a_list_question_gets_one_answer_per_passage(parser: passages.Parser) -> None:
    docs = {
        "a": "Analysts on Iran. Danny Citrinowicz of the Atlantic Council said Iran sold drones to Russia.",
        "b": "Raisi's death. Jonathan Panikoff of the Atlantic Council said the drones would keep coming.",
        "c": "More analysis. Citrinowicz of the Atlantic Council said the drones were sold.",
    }
    ranked, ctx = _second_sentences(docs, parser)
    q = analyse(pipeline()("Which Atlantic Council analysts spoke about the drones?"))
    first, _ = passages.choose(q, ranked, ctx)
    assert first is not None and first.answer == "Danny Citrinowicz"
    more = passages.choose_more(q, ranked, first, ctx)
    assert [m.answer for m in more] == ["Jonathan Panikoff"]  # "Citrinowicz" again is no new answer


def test_a_question_of_names_only_needs_no_other_term(parser: passages.Parser) -> None:
    q = analyse(pipeline()("Which US spokespeople are quoted about Iran and Russia?"))
    sentence = "US spokeswoman Adrienne Watson said Iran and Russia are isolated."
    window = [Passage("d", 0, len(sentence), sentence, "t", "", "d#0")]
    assert passages.answer_entity(q, window, parser.parse([sentence])) is not None


def test_another_numbered_one_is_no_answer() -> None:
    assert passages._other_ordinal(
        "When did the EU adopt its 14th package?", "The EU adopted the 13th sanctions package."
    )
    assert not passages._other_ordinal(
        "When did the EU adopt its 14th package?", "Work began on the next package."
    )
    assert not passages._other_ordinal("… the 80th anniversary of D-Day?", "More than 150,000 troops landed.")


def test_a_month_the_article_looks_ahead_to_is_its_own_year() -> None:
    text = "A Czech-led initiative will begin supplying shells in June."
    assert passages.dates_ok(["June 2024"], "2024-04-26", text)
    assert not passages.dates_ok(["June 2023"], "2024-04-26", text)


def test_what_date_wants_a_calendar_date(parser: passages.Parser) -> None:
    q = analyse(pipeline()("On what date did the exhibition open?"))
    for sentence, answer in [
        ("The exhibition opened on Wednesday.", None),
        ("The exhibition opened on 1 May.", "1 May"),
    ]:
        window = [Passage("d", 0, len(sentence), sentence, "t", "", "d#0")]
        found = passages.answer_entity(q, window, parser.parse([sentence]), frozenset({"role"}))
        assert (found[0] if found else None) == answer


def _answer(question: str, sentence: str, parser: passages.Parser) -> str | None:
    q = analyse(pipeline()(question))
    window = [Passage("d", 0, len(sentence), sentence, "t", "", "d#0")]
    found = passages.answer_entity(q, window, parser.parse([sentence]), frozenset({"role"}))
    return found[0] if found else None


@pytest.mark.parametrize(
    ("text", "calendar"),
    [
        ("Feb. 12", True),
        ("24, 2024", True),
        ("3 September", True),
        ("the next (14th", False),
        ("mayor", False),
    ],
)
def test_a_calendar_date_names_a_year_or_a_month(text: str, calendar: bool) -> None:
    assert passages._calendar(text) is calendar


def test_a_nationality_word_matches_its_state() -> None:
    passage = "The last hospital works in Donbass in the territory controlled by Ukraine."
    assert passages.names_ok(["Ukrainian", "Donbas"], passage, passage)


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        # a country is no city
        (
            "To which city were the diplomats moved?",
            "Diplomats were moved to Lviv because Russia has a capable military.",
            "Lviv",
        ),
        # an island state is no city either; an organisation one is "at" is no place
        (
            "In which city did Liz Truss give her speech?",
            "Liz Truss gave her speech in Tokyo about Taiwan and its security.",
            "Tokyo",
        ),
        (
            "In which Iranian province did the helicopter crash?",
            "That is according to Jonathan Panikoff at the Atlantic Council.",
            None,
        ),
        # the one who was warned did not warn
        (
            "Which British commander warned of a serious risk?",
            "N. Casey was warned of a serious risk, the ministry said.",
            None,
        ),
        # a name that modifies another noun is no place; the name of a region is
        (
            "Where did the show close?",
            "US musical Sweet Charity closed after poor ticket sales.",
            None,
        ),
        (
            "In which region were the talks held?",
            "The talks were held in the Gomel region.",
            "Gomel",
        ),
    ],
)
def test_what_cannot_answer(
    question: str, sentence: str, answer: str | None, parser: passages.Parser
) -> None:
    assert _answer(question, sentence, parser) == answer


def test_a_name_the_recogniser_mislabels_still_answers_last(parser: passages.Parser) -> None:
    # the small pipeline reads "Pokrowsk" as an organisation; after "in" it is taken as a place
    sentence = (
        "The facility in Pokrowsk is the last obstetric hospital that works in Donbass in the territory."
    )
    question = "In which town is the last obstetric hospital still working in Donbas?"
    assert _answer(question, sentence, parser) == "Pokrowsk"


def test_the_neighbour_names_the_post_the_sentence_describes(parser: passages.Parser) -> None:
    text = (
        "Army chief speaks. The head of the British Army warned that Britain faces its 1937 moment. "
        "In an address, General Sir Patrick Sanders is set to say the army must be ready."
    )
    spans = split_sentences(text)
    ranked = [Passage("army", *spans[1], text[slice(*spans[1])], "t", "", "army#0")]
    ctx = passages.Context(lambda d: text, lambda d: spans, parser, TermWeights([text]), 0.0)
    q = analyse(pipeline()("Who is the head of the British Army who warned of a 1937 moment?"))
    best, _ = passages.choose(q, ranked, ctx)
    assert best is not None and "Sanders" in best.answer


def test_a_tighter_answer_a_little_further_down_wins(parser: passages.Parser) -> None:
    docs = {
        "a": "Belarus. Alexander Lukashenko met the opposition. It was the first time since the collapse of the USSR in 1991.",
        "b": "Belarus again. Mr Lukashenko, who has been in power since 1994, claimed victory.",
    }
    ranked, ctx = _second_sentences(docs, parser)
    q = analyse(pipeline()("Since what year has Alexander Lukashenko been in power in Belarus?"))
    best, _ = passages.choose(q, ranked, ctx)
    assert best is not None and best.answer == "1994"


@pytest.mark.parametrize(
    ("question", "sentence", "answer"),
    [
        # the figure counts another event than asked
        (
            "How many people were killed in the attacks?",
            "Russian attacks killed at least four people and injured at least 37 over the past day.",
            "at least four",
        ),
        # the figure measures another quantity than asked
        (
            "What is the top speed of the Shahed-136 drone?",
            "The Shahed-136 drone is said to have a range of 2,500 kilometers.",
            None,
        ),
        # a count of kilometres is no count of members
        (
            "How many IRGC members were deployed to Crimea?",
            "IRGC members were in Crimea to train troops on drones with a range of more than 1600km.",
            None,
        ),
        # where a change went, not where it started; a share of gas is no share of oil
        (
            "To how many had the US presence grown?",
            "The US troop presence has risen from 5,000 to about 24,000.",
            "about 24,000",
        ),
        (
            "What percentage of its oil did Germany import from Russia?",
            "Germany imported 55 percent of their gas from Russia.",
            None,
        ),
        (
            "How many Moscow residents could lose their jobs?",
            "About 200,000 inhabitants of Moscow could lose their jobs.",
            "About 200,000",
        ),
        # a journalist is no president; the first name of a person the question names is no answer
        (
            "What is the name of the interim Iranian president?",
            "Iranian journalist Kourosh Ziabari wrote that Iran's interim president was in Tehran.",
            None,
        ),
        (
            "Who met Iran's president after Raisi's death?",
            "Iran's President Ebrahim Raisi met officials.",
            None,
        ),
        # the figure is another party's; it is dated to another year than asked
        (
            "How many new PCs does Forrester Research expect Russia to add by 2010?",
            "More than a third of all new PCs will be in these markets, with China adding 178 million new PCs by 2010.",
            None,
        ),
        (
            "How many phishing e-mails did MessageLabs detect over the course of 2004?",
            "In September 2003, MessageLabs caught only 273 phishing e-mails.",
            None,
        ),
        # "how many days" wants a span of days, not an age; "how long" not a day of the week
        (
            "How many days after his wife Audrey died did Lord Callaghan die?",
            "Lord Callaghan died just 11 days after his wife Audrey died aged 91.",
            "just 11 days",
        ),
        (
            "How long did Zelensky's meeting with Boris Johnson last?",
            "Zelensky met Boris Johnson earlier Saturday.",
            None,
        ),
        # a percentage is no "one in 10"; a continent is no city; a city the recogniser took for a body
        (
            "What percentage of American MP3 player owners are men?",
            "One in 10 American adults owns an MP3 player.",
            None,
        ),
        (
            "Which city did Putin fly to for the anniversary of the Stalingrad battle?",
            "Putin compared tanks in Ukraine to the Nazis sweeping across eastern Europe on the anniversary of the Stalingrad battle.",
            None,
        ),
        (
            "Which city did Putin fly to for the anniversary of the Stalingrad battle?",
            "Putin flew to Volgograd, which was renamed Stalingrad for the anniversary of the battle.",
            "Volgograd",
        ),
        # "who is the secretary": a passage that names no secretary names nobody
        (
            "Who is the secretary of Ukraine's National Security and Defense Council?",
            "Former Slovak Prime Minister Robert Fico criticised Ukraine's National Security and Defense Council.",
            None,
        ),
        (
            "Who is the secretary of Ukraine's National Security and Defense Council?",
            "John Smith, secretary of Ukraine's National Security and Defense Council, spoke.",
            "John Smith",
        ),
        # a figure for another party than the question's "for X"; a source is no actor; "Sen." is a senator
        (
            "How much military support for Taiwan was included in the bill?",
            "The bill includes $8 billion for Taiwan, alongside the $61 billion earmarked for Ukraine.",
            "$8 billion",
        ),
        (
            "Which organisation carried out the explosions at the base?",
            "A dozen explosions occurred at the base, according to Reuters.",
            None,
        ),
        (
            "What is the name of the Russian fighter pilot?",
            "The crash resulted from the pilot's incompetence, according to Navy captain Sen. Mark Kelly.",
            None,
        ),
        # "how old" wants the age; the person the question names, with a title, is no answer
        (
            "How old was Brookside actress Anna Keaveney when she died?",
            "Actress Anna Keaveney, who appeared in Brookside in 1990, has died of lung cancer aged 55.",
            "55",
        ),
        (
            "Who is taking over from Ainum Mohd-Saaid at Laura Ashley?",
            "Laura Ashley thanked Ms Mohd-Saaid for her services.",
            None,
        ),
        # a capital is no district; a cleric is no president; a president of another state is not
        # the one asked; a person beside the post does not hold it
        (
            "Which three Kyiv districts were hit by debris?",
            "Debris hit homes after drones struck Kyiv, as sanctions on Tehran grew.",
            None,
        ),
        (
            "What is the name of the interim Iranian president?",
            "Putin wrote to Supreme Leader Ayatollah Ali Khamenei about Iran's interim president.",
            None,
        ),
        (
            "Who is Iran's president?",
            "Russian President Vladimir Putin met Iran's President Ebrahim Raisi in Tehran.",
            "Ebrahim Raisi",
        ),
        (
            "Who is the Taiwanese foreign minister?",
            "Taiwan's foreign minister Joseph Wu on Tuesday criticized China.",
            "Joseph Wu",
        ),
        (
            "Who became Iran's interim president?",
            "Mr Putin called Iran's interim president on Monday.",
            None,
        ),
        # a figure of another weekday; a fortune is a figure, and another man's is no answer
        (
            "At what level did the Jakarta Stock Exchange close on the Friday?",
            "By Monday's close, the Jakarta Stock Exchange was down 2.1% at 1,011.15.",
            None,
        ),
        (
            "What is Leonid Nevzlin's estimated fortune?",
            "With an estimated fortune of $15bn, Mr Khodorkovsky is on trial.",
            None,
        ),
        # a count of things is no amount, and no speed
        (
            "How much refining capacity was knocked out at the Ryazan refinery?",
            "Air defences downed 6 drones, three of which were over the Ryazan region.",
            None,
        ),
        (
            "What is the top speed of the Mohajer-6 drone?",
            "The Mohajer-6 drone is capable of carrying four missiles.",
            None,
        ),
        # a number word in a name or a rank is no figure
        (
            "How much did the BBC spend on the show?",
            "The show is to move from BBC One on Fridays to Sundays on BBC Two.",
            None,
        ),
        (
            "What was the score in the second set?",
            "World number one Roger Federer added the trophy to his list.",
            None,
        ),
        # a count of a unit is a quantity; a unit written onto a number is no sum
        (
            "How many barrels of fuel oil a month has Venezuela offered to supply to China?",
            "Venezuela has also offered to supply 120,000 barrels of fuel oil a month to China.",
            "120,000 barrels",
        ),
        (
            "How much per month will BT charge for its broadband service?",
            "Wanadoo plans a broadband service with speeds of up to 15Mbps.",
            None,
        ),
        # another party's figure: a passive's subject, a name in apposition to the subject
        (
            "By what score did England beat Fiji in the final?",
            "Scotland were beaten 33-15 by Samoa in the plate semi-final.",
            None,
        ),
        (
            "What was Delta Air Lines' net loss for 2004?",
            "American Airlines' parent AMR reported a loss of $387m for the fourth quarter of 2004.",
            None,
        ),
    ],
)
def test_what_the_figure_or_person_is_must_fit(
    question: str, sentence: str, answer: str | None, parser: passages.Parser
) -> None:
    assert _answer(question, sentence, parser) == answer


def test_one_name_of_a_long_questions_side_phrases_may_be_missing() -> None:
    names, side = ["CIA", "Joe Biden", "US", "Cabinet"], ["US"]
    article = "Joe Biden gave CIA Director Bill Burns a seat in his Cabinet."
    assert passages.names_ok(names, article, article, side)
    assert not passages.names_ok(names, article, article, [])  # a name the question's core gives
    assert not passages.names_ok(
        ["Portugal", "Leopard", "Ukraine"], "Germany sent Leopard tanks to Ukraine.", ""
    )


def test_another_name_of_the_same_body_counts() -> None:
    article = "Charles Michel of the EU and NATO's Jens Stoltenberg joined the call."
    assert passages.names_ok(["the European Union", "NATO"], article, article)
    assert not passages.names_ok(["US"], "They told us nothing.", "They told us nothing.")


@pytest.mark.parametrize(
    ("stated", "article_date", "text", "ok"),
    [
        (["December 2022"], "", "On Friday, December 9th, Kirby spoke.", True),  # undated: the month will do
        (["June 2022"], "2024-05-04", "In 2022 the war began. The summit is in June.", False),  # apart
        (["June 2022"], "2024-05-04", "The summit of 10 June 2022 was recalled.", True),
    ],
)
def test_a_stated_month_and_year_are_found_together(
    stated: list[str], article_date: str, text: str, ok: bool
) -> None:
    assert passages.dates_ok(stated, article_date, text) is ok


def test_a_long_name_is_found_by_its_initials() -> None:
    article = "That's rubbish, KSE chairman Yaseen Lakhani said."
    assert passages.names_ok(["the Karachi Stock Exchange"], article, article)
    assert not passages.names_ok(["the Karachi Stock Exchange"], "The KS fell.", "The KS fell.")


def test_a_state_is_no_newspaper(parser: passages.Parser) -> None:
    sentence = "The White House said Russia and Iran agreed to build drones, as the Washington Post reported."
    assert _answer(
        "Which newspaper reported that Russia and Iran agreed to build drones?", sentence, parser
    ) == ("the Washington Post")


def test_a_body_the_question_gives_the_answer_must_be_named_with_it(parser: passages.Parser) -> None:
    docs = {
        "call": "Calls. Mr Putin called Iran's interim president after the death of Mr Raisi.",
        "view": "Views. Despite Mr Raisi's death, Iran's policy is unlikely to change. "
        "That is according to Jonathan Panikoff at the Atlantic Council, who wrote about it.",
    }
    ranked, ctx = _second_sentences(docs, parser)
    q = analyse(
        pipeline()("Who at the Atlantic Council said Raisi's death is unlikely to change Iran's policy?")
    )
    best, _ = passages.choose(q, ranked, ctx)
    assert best is not None and best.answer == "Jonathan Panikoff"
    best, _ = passages.choose(q, ranked[:1], ctx)
    assert best is None  # Mr Putin is not said to be at the Atlantic Council


@pytest.mark.parametrize(
    ("body", "text", "named"),
    [
        ("the Atlantic Council", "That is according to X at the Atlantic Council.", True),
        ("the Atlantic Council", "Writing for the council, X noted it.", False),  # any body has a council
        ("BFM TV", "BFM reporter Frederic Leclerc-Imhoff was killed.", True),  # shortened by its own word
        ("US National Security Council", "National Security Council spokeswoman X said.", True),
        ("US National Security Council", "The security council met.", False),
        ("EU", "A blog by EU High Representative Josep Borrell.", True),
        ("EU", "President Putin decided it.", False),
    ],
)
def test_a_body_is_named_by_a_word_of_its_own(body: str, text: str, named: bool) -> None:
    assert naming.names_body(body, text) is named


@pytest.mark.parametrize(
    ("figure", "whole"),
    [("387", "$387m"), ("206", "£206m"), ("5", "5 million"), ("9.1", "US$ 9.1 billion"), ("45", "45")],
)
def test_a_figure_keeps_its_currency_and_magnitude(figure: str, whole: str) -> None:
    sentence = "A loss of $387m (£206m), 5 million barrels, US$ 9.1 billion in aid and 45 banks."
    assert passages.whole_figure(sentence, sentence.index(figure), figure) == whole


def test_a_surname_with_another_first_name_is_another_person() -> None:
    rugby = "They turned to coaches Graham Henry and Steve Hansen."
    assert not passages.names_ok(["Ashia Hansen"], rugby, rugby)
    for text in ["Ms Hansen won.", "Ashia Hansen won.", "Hansen said so."]:
        assert passages.names_ok(["Ashia Hansen"], text, text)
    # another spelling of the first name, a function word before a name
    kyiv = "President Volodymyr Zelensky spoke."
    assert passages.names_ok(["Vladimir Zelensky"], kyiv, kyiv)
    listing = "For China's aviation authorities, the listing matters."
    assert passages.names_ok(["Air China"], listing, listing)


def test_a_body_whose_words_are_only_in_other_bodies_names_is_not_named() -> None:
    hk = "But Hong Kong Rugby Football Union (HKRFU) chairman John Molloy has called for a vote."
    assert not passages.names_ok(["the Welsh Rugby Union"], hk, hk)
    london = "Arsenal may list its shares on the London Stock Exchange."
    assert not passages.names_ok(["the Karachi Stock Exchange"], london, london)
    # a shortened name, its initials, or a name with only generic words added are still the body
    short, initials = "The Rugby Union said so.", "KSE chairman Yaseen Lakhani said."
    assert passages.names_ok(["the Welsh Rugby Union"], short, short)
    assert passages.names_ok(["the Karachi Stock Exchange"], initials, initials)
    committee = "Alan Beith chairs the committee monitoring the Department of Constitutional Affairs."
    assert passages.names_ok(["the Constitutional Affairs Select Committee"], committee, committee)


def test_a_passage_may_refer_back_to_a_name_by_its_kind() -> None:
    doc = "The Hit Factory is to close. The studio was founded by Jerry Ragovoy in 1968."
    passage = "The studio was founded by Jerry Ragovoy in 1968."
    assert passages.names_ok(["Hit Factory"], passage, doc, kinds=["studio"])
    assert not passages.names_ok(["Hit Factory"], passage, doc)


def test_who_chairs_is_answered_by_the_chairman_or_by_who_chairs(parser: passages.Parser) -> None:
    question = "Who chairs the Welsh Rugby Union?"
    for sentence in [
        "Welsh Rugby Union chairman David Pickering said the plan was sound.",
        "David Pickering, who chairs the Welsh Rugby Union, said the plan was sound.",
    ]:
        assert _answer(question, sentence, parser) == "David Pickering"
    assert _answer(question, "Welsh Rugby Union coach Mike Ruddock said the plan was sound.", parser) is None


def test_a_bare_headline_is_never_a_passage_of_its_own() -> None:
    text = "BNP leader arrested\n\nWest Yorkshire police confirmed the arrest of Nick Griffin."
    spans = split_sentences(text)
    title = text[slice(*spans[0])]
    head = Passage("bnp", *spans[0], title, title, "", "bnp#0")
    assert passages.headline(head)
    assert [[p.text for p in w] for w in passages.windows(head, spans, text)] == [
        ["West Yorkshire police confirmed the arrest of Nick Griffin."]
    ]
    # a first paragraph that stands as the title (the war-news files) is a sentence like any other
    paragraph = Passage("ukr", 0, 20, "Kyiv was hit again.", "Kyiv was hit again.", "", "ukr#0")
    assert not passages.headline(paragraph)


def test_a_why_question_prefers_a_passage_that_gives_a_reason(parser: passages.Parser) -> None:
    text = (
        "BA to halt flights. British Airways is to halt its flights from Heathrow to Jeddah in March. "
        "BA currently flies four times a week. "
        "The airline said the Jeddah flights were cut due to reduced passenger demand."
    )
    spans = split_sentences(text)
    ranked = [
        Passage("ba", *spans[i], text[slice(*spans[i])], "BA to halt flights", "", "ba#0") for i in (1, 3)
    ]
    ctx = passages.Context(lambda d: text, lambda d: spans, parser, TermWeights([text]), 0.0)
    q = analyse(pipeline()("Why is British Airways halting its flights to Jeddah?"))
    best, _ = passages.choose(q, ranked, ctx)
    assert best is not None and "due to" in " ".join(s.text for s in best.sentences)


def test_a_score_the_recogniser_reads_as_a_date_answers_what_score(parser: passages.Parser) -> None:
    sentence = "England beat Fiji 26-21 in a dramatic final in Dubai."
    assert _answer("By what score did England beat Fiji in the Dubai final?", sentence, parser) == "26-21"
    assert _answer("When did England beat Fiji in the Dubai final?", sentence, parser) != "26-21"


# One failure each, seen on questions written by people who never saw the code, stated generally:
# (question, sentence, the answer phrase wanted; None: the sentence gives no answer).
_ANSWER_CASES = [
    pytest.param(  # a one-word person is read as an organisation ("Japan's Suzuki"), not after a title
        "In which newspaper did Biden write an opinion piece?",
        "In an opinion piece, Biden informed President Zelensky of the weapons.",
        None,
        id="a titled name stays a person",
    ),
    pytest.param(  # and "died" is said by "death"
        "How old was Marlon Brando when he died?",
        "In referring to Marlon Brando's death at the age of 80, the 13-strong jury praised him.",
        "the age of 80",
        id="how old takes the age before a bare number",
    ),
    pytest.param(
        "What share of the project will Shell own under its $6bn deal with Qatar?",
        "Shell has signed a $6bn (£3.12bn) deal with Qatar and will own 30% of the project.",
        "30%",
        id="a bracketed conversion of a given figure is no answer",
    ),
    pytest.param(
        "What was Chepkemei's finishing time in the Puerto Rico race?",
        "Chepkemei, second in the 2002 London race, finished third in the Puerto Rico race.",
        None,
        id="what time asks for no year",
    ),
    pytest.param(
        "What was Chepkemei's finishing time in the Puerto Rico race?",
        "Chepkemei finished the Puerto Rico race in 31 minutes 10 seconds.",
        "31 minutes 10 seconds",
        id="what time takes a time",
    ),
    pytest.param(
        "What was UK Coal's total turnover in 2004?",
        "Total production costs were £1.30 per gigajoule, UK Coal said.",
        None,
        id="a cost is no turnover",
    ),
    pytest.param(
        "What was the attendance at the draw between Newcastle and Gloucester?",
        "Newcastle centre Mathew Tait scored one try in the draw with Gloucester.",
        None,
        id="a count of tries is no attendance",
    ),
    pytest.param(
        "What was the attendance at the draw between Newcastle and Gloucester?",
        "A crowd of 12,000 fans saw the draw between Newcastle and Gloucester.",
        "12,000",
        id="a headcount of fans is an attendance",
    ),
    pytest.param(
        "How much did Foster's pay for its 18.8% stake in Southcorp?",
        "Fosters bought 18.8% of Southcorp for 4.17 Australian dollars per share.",
        None,
        id="a unit price is no total paid",
    ),
    pytest.param(
        "How much did Foster's pay per share for its 18.8% stake in Southcorp?",
        "Fosters bought 18.8% of Southcorp for 4.17 Australian dollars per share.",
        "4.17 Australian dollars",
        id="a unit price answers a price per share",
    ),
    pytest.param(
        "How old is Anatoly Tyukanov?",
        "Mr Christie said one of the ringleaders was believed to be a Russian, Anatoly Tyukanov.",
        None,
        id="a number that counts people is no age",
    ),
    pytest.param(
        "In which city is the Golden Rose festival held?",
        "Lenny Henry was nominated for the Golden Rose at the Music Hall of Fame festival.",
        None,
        id="a building is no city",
    ),
    pytest.param(
        "Who created Jeremiah, the virtual face?",
        "Jeremiah, a virtual face, was created for the Future Face exhibition in London.",
        None,
        id="no place creates anything",
    ),
    pytest.param(
        "Who created Jeremiah?",
        "Jeremiah was created by Richard Bowden in London.",
        "Richard Bowden",
        id="a person creates",
    ),
    pytest.param(
        "Which club did Arsenal sign goalkeeper Manuel Almunia from?",
        "Arsenal signed Almunia last summer, Wenger said.",
        None,
        id="a one-word name that speaks is no club",
    ),
    pytest.param(
        "How many hectares of vineyards will the wine cooperatives pull up?",
        "A further 15m euros will be made available to wine cooperatives in low interest loans.",
        None,
        id="a sum is no count of a measure",
    ),
    pytest.param(
        "At what price per share did Jet Airways' shares begin trading?",
        "Jet Airways sold 20% of its equity in a bid to raise up to $443m.",
        None,
        id="a sum in millions is no price per share",
    ),
    pytest.param(
        "On what date will the Republic of Ireland play China?",
        "The Republic of Ireland will play China at Lansdowne Road in March.",
        None,
        id="a month is no date",
    ),
    pytest.param(
        "On what date will the Republic of Ireland play China?",
        "The Republic of Ireland will play China at Lansdowne Road on 29 March.",
        "29 March",
        id="a day of a month is a date",
    ),
    pytest.param(
        "How many mobile phones were sold worldwide in 2004?",
        "More than 674 million mobiles were sold last year globally, said the report.",
        "More than 674 million",
        id="a count of mobiles counts mobile phones",
    ),
    pytest.param(
        "How many mobile phones were sold worldwide in 2004?",
        "More than 674 million songs were sold last year globally, said the report.",
        None,
        id="a count of songs counts no phones",
    ),
    pytest.param(
        "What was the Palestinian unemployment rate, according to the World Bank?",
        "Last year's growth rate of 6% came from a gap in violence, the World Bank said.",
        None,
        id="a growth rate is no unemployment rate",
    ),
    pytest.param(
        "What was the Palestinian unemployment rate, according to the World Bank?",
        "The unemployment rate of 25% is the highest on record, the World Bank said.",
        "25%",
        id="an unemployment rate is one",
    ),
    pytest.param(
        "How much will Lisa Kudrow be paid per episode?",
        "Lisa Kudrow is to play a one-time sitcom star in the new series.",
        None,
        id="a bare number is no sum paid",
    ),
    pytest.param(
        "How much did MTV pay the Osbourne family?",
        "The Osbournes ran for three series, earning the family a lot of money.",
        None,
        id="a count of series is no sum paid",
    ),
    pytest.param(
        "What was the production budget of the film Black Friday?",
        "The film Black Friday shows 1,000 extras in the scenes of the blasts.",
        None,
        id="a count is no budget",
    ),
    pytest.param(
        "What was the production budget of the film Black Friday?",
        "The film Black Friday was made on a budget of $5m.",
        "$5m",
        id="a budget is a sum",
    ),
    pytest.param(
        "Which company is Britain's only feta producer?",
        "The case will also hit Britain's sole feta producer, Yorkshire company Shepherds Purse Cheeses.",
        "Shepherds Purse Cheeses",
        id="a name the passage calls a company, not the place before it",
    ),
    pytest.param(
        "What was the name of the concert held at the Victory Museum?",
        'A commemorative concert "Every Third" was held in the Victory Museum on 6 May.',
        "Every Third",
        id="a quoted title after the asked noun",
    ),
    pytest.param(
        "What online name is Sanjaya Senanayake known by among bloggers?",
        "Bloggers know Sanjaya Senanayake better by his online name, Morquendi.",
        "Morquendi",
        id="a name in apposition to the asked noun",
    ),
    pytest.param(
        "Where were the Iranian drones shipped across?",
        "Citing newly declassified information, the United States said that the Iranian drones had "
        "been shipped across the Caspian Sea.",
        "the Caspian Sea",
        id="the object of the preposition the question leaves at its end, before a preferred label",
    ),
]


@pytest.mark.parametrize(("question", "sentence", "wanted"), _ANSWER_CASES)
def test_the_answer_phrase_fits_what_was_asked(
    question: str, sentence: str, wanted: str | None, parser: passages.Parser
) -> None:
    assert _answer(question, sentence, parser) == wanted


def test_a_state_is_named_by_its_irregular_adjective() -> None:
    text = "The Irish coach knows a repeat of the record 83-3 victory over the States is not on the agenda."
    assert naming.named("Ireland", words_of(text), text)
    assert not naming.named("Ireland", words_of("The Welsh coach spoke."), "The Welsh coach spoke.")


def test_a_year_in_the_stated_context_is_no_figure_to_find() -> None:
    q = analyse(
        pipeline()(
            "According to the Kyiv Post piece ahead of Victory Day 2024, what share of Russians regard Stalin as a great leader?"
        )
    )
    assert "2024" not in q.figures
    assert "33" in analyse(pipeline()("Who approved the $33bn aid package?")).figures


LEDE = {
    "dawson": "Rugby news. Scrum-half Matt Dawson is an injury doubt for England's Six Nations opener "
    "against Wales. The World Cup winner missed Saturday's game after injuring his right calf. "
    "England play Wales in Cardiff.",
    "emi": "Music news. EMI issued a profit warning because of delays to two album releases. "
    "Its shares fell by 16% on Monday.",
}


def _lede_choose(question: str, off: frozenset[str], doc_id: str = "dawson") -> Any:
    parser = passages.Parser(pipeline())
    ctx = passages.Context(
        LEDE.__getitem__, lambda d: split_sentences(LEDE[d]), parser, TermWeights(LEDE.values()), 0.0, off
    )
    start, end = split_sentences(LEDE[doc_id])[1]
    anchor = Passage(doc_id, start, end, LEDE[doc_id][start:end], doc_id, "", f"{doc_id}#0")
    best, _ = passages.choose(analyse(pipeline()(question)), [anchor], ctx)
    return best


def test_an_answer_without_a_phrase_quotes_the_sentence_after_the_lede() -> None:
    # "What injury ..." has no entity type to look for; the best sentence restates the question and
    # the answer ("his right calf") is in the next one, so the passage is both.
    best = _lede_choose("What injury has put Matt Dawson in doubt for the opener against Wales?", frozenset())
    assert best is not None and not best.answer
    assert [s.text for s in best.sentences][-1].endswith("injuring his right calf.")


def test_without_the_neighbour_rule_the_lede_stands_alone() -> None:
    best = _lede_choose(
        "What injury has put Matt Dawson in doubt for the opener against Wales?", frozenset({"neighbour"})
    )
    assert best is not None and len(best.sentences) == 1


def test_an_answer_phrase_keeps_its_own_sentence_alone() -> None:
    # a typed answer leads with its phrase; its passage stays the one sentence that holds it
    best = _lede_choose("Who is an injury doubt for the Six Nations opener against Wales?", frozenset())
    assert best is not None and best.answer == "Matt Dawson" and len(best.sentences) == 1


def test_a_why_passage_that_gives_a_reason_stands_alone() -> None:
    best = _lede_choose("Why did EMI issue a profit warning?", frozenset(), "emi")
    assert best is not None and best.tight and len(best.sentences) == 1


def test_an_entity_overrunning_into_a_function_word_is_cut_back(parser: passages.Parser) -> None:
    text = (
        "Justin Welby, writing in the Daily Telegraph as Ukraine marks the anniversary, said Kyiv must hold."
    )
    names = [(name, label) for name, label, *_ in parser.parse([text])[0].entities]
    assert ("the Daily Telegraph", "ORG") in names  # en_core_web_sm reads "the Daily Telegraph as"
    start = next(
        offset for name, _, offset, *_ in parser.parse([text])[0].entities if name == "the Daily Telegraph"
    )
    assert text[start : start + len("the Daily Telegraph")] == "the Daily Telegraph"
