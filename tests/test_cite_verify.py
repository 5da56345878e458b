"""Fast tier: citation parsing/renumbering and the support check."""

from __future__ import annotations

from qa.cite import complete_prefix, renumber, split_draft
from qa.draft import DraftVerifier
from qa.terms import negations
from qa.verify import SentenceFacts, best_support, borrowed, document_words, misquotation, support

EU = "Earlier this month, the EU sanctioned seven individuals and seven entities following Iran’s missile and drone transfers to Russia."
KYIV = "Ukrainian air defenses shot down 59 of the 116 Iranian Shahed drones launched by Russia overnight, the Ukrainian Air Force said."


def test_markers_after_the_period_belong_to_the_sentence() -> None:
    got = split_draft("The EU sanctioned seven people. [2][3] Kyiv was hit [1].")
    assert [(s.text, s.cited) for s in got] == [
        ("The EU sanctioned seven people.", (2, 3)),
        ("Kyiv was hit.", (1,)),
    ]


def test_streaming_prefix_waits_for_trailing_markers() -> None:
    assert complete_prefix("Kyiv was hit. [1")[0] == ""
    assert complete_prefix("Kyiv was hit. [1] The")[0] == "Kyiv was hit. [1]"


def _verified(draft: str) -> list[str]:
    verifier = DraftVerifier({1: EU}, {1: "eu"}, {"sanction", "eu"})
    for token in draft.split(" "):
        verifier.feed(token + " ")
    verifier.close()
    return [text for text, _, _ in verifier.kept]


def test_a_sentence_the_model_stopped_in_the_middle_of_is_not_kept() -> None:
    whole = "The EU sanctioned seven individuals [1]."
    assert _verified(f"{whole} Earlier this month, the EU sanctioned seven entities following") == [
        "The EU sanctioned seven individuals."
    ]
    # the same sentence finished, or ended by its marker, is kept
    assert len(_verified(f"{whole} Earlier this month, the EU sanctioned seven entities.")) == 2
    assert len(_verified(f"{whole} Earlier this month, the EU sanctioned seven entities [1]")) == 2


def test_renumber_by_first_use() -> None:
    assert renumber([[4, 2], [2], [7]]) == ([[1, 2], [2], [3]], [4, 2, 7])


def test_support_accepts_a_faithful_paraphrase() -> None:
    assert support("The EU sanctioned seven individuals and seven entities.", EU).ok


def test_support_rejects_wrong_number_name_and_negation() -> None:
    assert not support("The EU sanctioned eight individuals.", EU).ok
    assert not support("The US sanctioned seven individuals.", EU).ok
    assert not support("The EU did not sanction seven individuals.", EU).ok
    assert not support("Sure!", EU).ok


def test_wrong_citation_is_re_cited_or_dropped() -> None:
    evidence, docs = {1: KYIV, 2: EU}, {1: "kyiv", 2: "eu"}
    assert best_support("The EU sanctioned seven individuals.", [1], evidence, docs)[0] == [2]
    assert best_support("The EU sanctioned seven individuals.", [9], evidence, docs)[0] == [2]  # out of range
    assert (
        best_support("Air defenses shot down 69 drones.", [1], evidence, docs)[0] == []
    )  # hallucinated number
    # an unnecessary extra citation is removed
    assert best_support("Air defenses shot down 59 of 116 drones.", [1, 2], evidence, docs)[0] == [1]


# A model sentence seen in the seeds+distractors suite: the mayor's words from one article, the air
# force's from another, joined into a quote the mayor never wrote.
MAYOR = (
    "Kyiv Mayor Vitali Klitschko wrote on Telegram that shrapnel from around 10 downed drones landed in "
    "three main districts of the capital."
)
AIR_FORCE = (
    "As an illustration of this, on Saturday, December 10, the Ukrainian air force said it had downed 10 "
    "of 15 such drones that were attacking the southern regions."
)
CHIMERA = "Mayor Klitschko wrote that the Ukrainian air force downed 10 of 15 such drones."


def test_a_sentence_joined_from_two_articles_is_not_supported() -> None:
    evidence = {1: MAYOR, 2: AIR_FORCE}
    assert support(CHIMERA, MAYOR + " " + AIR_FORCE).ok  # the union of the two would pass
    cited, verdict = best_support(CHIMERA, [1, 2], evidence, {1: "kyiv-mayor", 2: "air-force"})
    assert cited == [] and not verdict.ok


def test_two_sentences_of_one_article_may_support_together() -> None:
    evidence = {1: MAYOR, 2: AIR_FORCE}
    cited, verdict = best_support(CHIMERA, [1, 2], evidence, {1: "same", 2: "same"})
    assert cited == [1, 2] and verdict.ok
    # re-cited to neighbouring evidence of one article even when the model cited neither
    assert best_support(CHIMERA, [], {1: EU, 2: MAYOR, 3: AIR_FORCE}, {1: "eu", 2: "same", 3: "same"})[0] == [
        2,
        3,
    ]
    assert (
        best_support(CHIMERA, [], {1: EU, 2: MAYOR, 3: AIR_FORCE}, {1: "eu", 2: "one", 3: "other"})[0] == []
    )


def test_a_name_that_opens_the_sentence_is_checked_when_the_parse_says_it_is_one() -> None:
    # "Britain" and "Putin" start the sentence, so the lexical check alone cannot tell them from "The"
    assert support("Britain sanctioned seven individuals and seven entities.", EU).ok
    assert not support(
        "Britain sanctioned seven individuals and seven entities.",
        EU,
        facts=SentenceFacts(leads_with_name=True),
    ).ok
    assert not support(
        "Putin said the EU sanctioned seven individuals.", EU, facts=SentenceFacts(leads_with_name=True)
    ).ok
    assert support(
        "EU officials sanctioned seven individuals and seven entities.",
        EU,
        facts=SentenceFacts(leads_with_name=True),
    ).ok
    cited, verdict = best_support(
        "Britain sanctioned seven individuals.", [1], {1: EU}, {1: "eu"}, SentenceFacts(leads_with_name=True)
    )
    assert cited == [] and "britain" in verdict.reason


PUTIN_LETTER = (
    "Russian President Vladimir Putin wrote in a letter to Supreme Leader Ayatollah Ali Khamenei, published on "
    'the Kremlin’s website, that "Raisi was an outstanding politician whose entire life was dedicated to serving '
    "his homeland”."
)


def test_words_in_quotation_marks_must_be_the_sources_own() -> None:
    # seen on the suites: the model changed the tense inside the quotation marks
    misquote = "It said: “Raisi is an outstanding politician whose entire life was dedicated to serving his homeland”."
    assert misquotation(misquote, PUTIN_LETTER).startswith("“Raisi is")
    verdict = support(misquote, PUTIN_LETTER)
    assert not verdict.ok and "quotation" in verdict.reason
    # word for word (case, punctuation and quote marks aside) it passes
    assert misquotation('Putin wrote that "raisi was an outstanding politician."', PUTIN_LETTER) == ""
    # an ellipsis may leave words out; each part must still be the source's
    assert (
        misquotation(
            'He wrote: "Raisi was an outstanding politician … dedicated to serving his homeland."',
            PUTIN_LETTER,
        )
        == ""
    )
    assert misquotation(
        'He wrote: "Raisi was an outstanding leader … dedicated to serving his homeland."', PUTIN_LETTER
    )
    # one or two words in quotation marks are scare quotes or titles, not someone's words
    assert misquotation("The US keeps a “core” number of diplomats in Kyiv.", KYIV) == ""


LARGEST = "Russia launched its largest drone attack on Kyiv since the start of the war, officials said."


def test_a_superlative_or_ordinal_the_source_does_not_use_fails() -> None:
    smallest = "Russia launched its smallest drone attack on Kyiv since the start of the war."
    assert support(smallest, LARGEST).ok  # every other word matches: words alone pass it
    verdict = support(smallest, LARGEST, SentenceFacts(degree_words=frozenset(["smallest"])))
    assert not verdict.ok and "smallest" in verdict.reason
    same = smallest.replace("smallest", "largest")
    assert support(same, LARGEST, SentenceFacts(degree_words=frozenset(["largest"]))).ok


def test_words_taken_from_another_article_are_not_the_cited_ones() -> None:
    # 80% of it is the mayor's sentence; "southern regions" is the air force's, in another article
    joined = "Kyiv Mayor Vitali Klitschko wrote that shrapnel from 10 downed drones landed in the southern regions."
    evidence = {1: MAYOR, 2: AIR_FORCE}
    assert support(joined, MAYOR).ok  # the coverage slack alone lets it through
    assert (
        borrowed(joined, "kyiv-mayor", document_words(evidence, {1: "kyiv-mayor", 2: "air-force"}))
        == "air-force"
    )
    cited, verdict = best_support(joined, [1], evidence, {1: "kyiv-mayor", 2: "air-force"})
    assert cited == [] and "another article" in verdict.reason
    # the same words from the model's own wording (not in any other article) are paraphrase
    own = "Kyiv Mayor Vitali Klitschko wrote that shrapnel from 10 downed drones landed in the central quarters."
    assert borrowed(own, "kyiv-mayor", document_words(evidence, {1: "kyiv-mayor", 2: "air-force"})) == ""
    # one article: its own sentences, not another's
    assert borrowed(joined, "kyiv", document_words(evidence, {1: "kyiv", 2: "kyiv"})) == ""


def test_a_negation_added_beside_one_the_source_has_fails() -> None:
    source = "Putin cautioned that any attempt to interfere would lead to consequences you have never seen in history."
    added = (
        "Putin cautioned that any attempt to interfere would not lead to consequences you have never seen."
    )
    verdict = support(added, source)
    assert not verdict.ok and "negation" in verdict.reason
    assert support(
        "Putin warned that interference would lead to consequences never seen in history.", source
    ).ok


def test_a_split_contraction_is_one_negation() -> None:
    # "did n't" (as some tokenisers write it) is one negation, like "didn't" and "did not"
    assert negations("He did n't go.") == negations("He didn't go.") == negations("He did not go.") == 1
    source = "Russia did n't deny the strike."
    assert support("Russia didn't deny the strike.", source).ok


def test_a_negation_of_the_source_left_out_fails_only_where_the_sentence_says_that_clause() -> None:
    source = "The EU wants to donate this money for the reconstruction of the country - but Germany does not agree to this."
    verdict = support(
        "The EU wants to donate the money for reconstruction, and Germany does agree to this.", source
    )
    assert not verdict.ok and "negation" in verdict.reason
    # the other clause alone, without the negated one: supported
    assert support("The EU wants to donate this money for the reconstruction of the country.", source).ok
