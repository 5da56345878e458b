"""Fast tier: cleaning of real-world web debris (boilerplate rules, repeated paragraphs, glued sentences).

Synthetic strings test each rule and its limits (they always run). Real files from the shared
corpus (`/work/shared/corpus/ukrwar`, web scrapes of war-in-Ukraine news) test the rules on the pages
they were written for, and skip when the corpus is absent. That corpus is not ours to redistribute,
so its prose sentences are named here by a digest of their text, never quoted; only page furniture
(promos, prompts, credits) is spelled out.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest

from vectorstore.boilerplate import boilerplate_hits, boilerplate_ranges, merge_ranges
from vectorstore.load import SourceDocument, load_file
from vectorstore.sentences import split_sentences

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
UKRWAR = CORPUS / "ukrwar"
PROSE_BEFORE = "The first prose sentence stays."
PROSE_AFTER = "The last prose sentence stays too."


def _around(line: str) -> str:
    return f"{PROSE_BEFORE}\n\n{line}\n\n{PROSE_AFTER}"


def _inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in merge_ranges(ranges))


def _overlaps(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in ranges)


def _kept(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, boilerplate_ranges(text))]


def _norm(text: str) -> str:
    return " ".join(text.split())


def _digest(sentence: str) -> str:
    return hashlib.sha256(_norm(sentence).encode("utf-8")).hexdigest()[:16]


# --- boilerplate lines (synthetic) ---------------------------------------------------------------

DEBRIS = [
    ("advertisement", "Advertisement"),
    ("advertisement", "ADVERTISEMENT"),
    ("advertisement", "Advertisement:"),
    ("channel_promo", "JOIN US ON TELEGRAM! Follow our coverage of the war on the @Example_official."),
    ("channel_promo", "Subscribe to our Telegram channel"),
    (
        "channel_promo",
        "If using any of Example's content, partly or in full, always provide an active hyperlink to the original material.",
    ),
    ("topic_links", "Other Topics of Interest Some Other Headline Here A teaser sentence of another story."),
    (
        "newsletter_prompt",
        "skip past newsletter promotion Sign up to First Edition Free daily newsletter Enter your email address Sign up after newsletter promotion",
    ),
    (
        "newsletter_prompt",
        "We are glad that you are with us.Sign up for Onet's newsletter to receive the most valuable content from us.",
    ),
    ("newsletter_prompt", "You’re reading an excerpt from the Today’s WorldView newsletter."),
    (
        "newsletter_prompt",
        "Get our free weekly newsletter Sign up for CNN Opinion’s newsletter. Join us on Twitter",
    ),
    ("newsletter_prompt", "Subscribe to our weekly email newsletter"),
    ("read_more_link", "CLICK HERE TO GET THE FOX NEWS APP"),
    ("read_more_link", "See also: Pentagon orders staff out of the embassy"),
    ("read_more_link", "You can read our full story of the event here"),
    ("read_more_link", "The entire speech of the President can be seen here:"),
    ("allcaps_headline", "PUTIN WARNS WEST: THREAT TO RESORT TO NUCLEAR WEAPONS ‘NOT A BLUFF’"),
    ("related_video", "Continuation of the material under the video"),
    ("related_video", "The rest of the text is under the video."),
    ("related_video", "See the video. How is the offensive going?An expert explains"),
    ("related_video", "1:02 Panic is our enemy's best friend, says the president – video"),
    ("outlet_promo", "You can read more latest information on Gazeta.pl."),
    ("outlet_promo", "More important information can be found on the Onet's main page."),
    (
        "outlet_promo",
        "You can track information about the defense of Ukraine around the clock in our live coverage",
    ),
    (
        "donation_prompt",
        "Help Ukraine, join the collection.You will pay the money at pcpm.org.pl/ukraina >>>",
    ),
    ("donation_prompt", "Support UP or become our patron!"),
    (
        "consent_prompt",
        "We need your consent to load this Social Media content. We use cookies on your device.",
    ),
    (
        "registration_prompt",
        "Join Fox News for access to this content You have reached your maximum number of articles.",
    ),
    (
        "tweet_link_card",
        "Europe Imports Record Levels of Gas From Russia https://t.co/AbC123xyz — Example News (@ExampleNews) August 31, 2023",
    ),
    ("contribution_note", "Fox News' Jane Doe and John Roe contributed to this report."),
    (
        "publisher_note",
        "The views expressed in this opinion article are the author’s and not necessarily those of Kyiv Post.",
    ),
    (
        "publisher_note",
        "Reprinted with the author’s permission from Example Newsletter: https://example.org/about",
    ),
    ("publisher_note", "The article comes from Deutsche Welle."),
    ("photo_credit", "Kira Lisitskaya Kira Lisitskaya"),
    ("photo_credit", "KalabiYau (CC BY-SA 3.0) KalabiYau (CC BY-SA 3.0)"),
    ("staff_initials", "(SP)"),
    ("staff_initials", "Author/author: TAS/KG"),
    ("page_residue", "ol"),
    ("page_residue", "Expand"),
]


@pytest.mark.parametrize(("rule", "line"), DEBRIS, ids=[f"{r}:{line[:30]}" for r, line in DEBRIS])
def test_each_debris_line_is_skipped_by_its_rule(rule: str, line: str) -> None:
    text = _around(line)
    start = text.index(line)
    assert _inside(boilerplate_hits(text)[rule], start, start + len(line))
    assert _kept(text) == [PROSE_BEFORE, PROSE_AFTER]


# Prose that looks like debris at a glance: every rule must leave it alone.
LOOKALIKES = [
    "Agence France-Presse (AFP) said on Monday that the talks had resumed.",
    "More information about the casualties emerged on Tuesday, officials said.",
    "Navalny's team urged Russians to subscribe to its newsletter to get around censorship.",
    "We will not find peace here.",
    "“You can see the destruction from here,” he said.",
    "FATAL FORCE (MACROSPACE)",
    "NATO AND THE EU",
    "Glory to Ukraine! Glory to Ukraine!",
    "Video footage showed the strike on the depot.",
    "Russia lost a couple of hundred people in that battle…",
    "The Associated Press reported the strike on Monday.",
    "Olive growers in the south said the harvest was lost.",
    "Sign up day for volunteers was on Friday, the mayor said.",
]


@pytest.mark.parametrize("line", LOOKALIKES, ids=[line[:30] for line in LOOKALIKES])
def test_prose_lookalikes_are_kept(line: str) -> None:
    text = _around(line)
    start = text.index(line)
    assert not _overlaps(boilerplate_ranges(text), start, start + len(line))


def test_caption_credit_is_skipped_but_caption_stays() -> None:
    caption = "The premier visits the monument in Kyiv"
    text = _around(f"{caption} (Jane Doe/PA)")
    assert _kept(text) == [PROSE_BEFORE, caption, PROSE_AFTER]


def test_reader_appeal_block_is_skipped_with_its_follow_lines() -> None:
    block = (
        "Dear readers,\n\nOur website and social media accounts are under threat of being restricted or banned."
        " So, to keep up with our latest content, simply do the following:\n\nSubscribe to our Telegram channel\n\n"
        "Enable push notifications on our website\n\nInstall a VPN service on your computer"
    )
    text = _around(block)
    start = text.index(block)
    assert _inside(boilerplate_hits(text)["reader_appeal"], start, start + len(block))
    assert _kept(text) == [PROSE_BEFORE, PROSE_AFTER]


def test_crlf_lines_are_matched_too() -> None:
    text = "Prose one stays.\r\n\r\nAdvertisement\r\n\r\nProse two stays.\r\n"
    assert _kept(text) == ["Prose one stays.", "Prose two stays."]


# --- repeated paragraphs (synthetic) --------------------------------------------------------------


def _repeats(text: str) -> list[str]:
    return [text[s:e] for s, e in boilerplate_hits(text)["repeated_paragraph"]]


def test_exact_repeat_of_the_lead_keeps_the_first_copy() -> None:
    lead = "Leaders met in Madrid on Tuesday to agree a new plan."
    text = f"{lead}\n\n{lead}\n\nThe plan doubles the force."
    assert boilerplate_ranges(text) == [(len(lead) + 2, 2 * len(lead) + 2)]
    assert _kept(text) == [lead, "The plan doubles the force."]


def test_exact_repeat_later_in_the_text_keeps_the_first_copy() -> None:
    text = "Alpha says the war goes on.\n\nBeta said the talks stalled.\n\nAlpha says the war goes on."
    assert boilerplate_hits(text)["repeated_paragraph"] == [
        (text.rindex("Alpha"), len(text))
    ]  # the later copy
    assert _kept(text) == ["Alpha says the war goes on.", "Beta said the talks stalled."]


def test_repeat_is_found_after_normalising_whitespace() -> None:
    text = "One two three\nfour five six.\n\nOne  two three four\tfive six."
    assert _repeats(text) == ["One  two three four\tfive six."]


@pytest.mark.parametrize("ellipsis", ["...", " ...", "…"])
def test_truncated_lead_is_skipped_and_the_complete_paragraph_kept(ellipsis: str) -> None:
    lead = f"Officials said the talks in Geneva would continue on{ellipsis}"
    full = "Officials said the talks in Geneva would continue on Monday. They gave no time."
    text = f"{lead}\n\n{full}"
    assert _repeats(text) == [lead]
    assert _kept(text) == [
        "Officials said the talks in Geneva would continue on Monday.",
        "They gave no time.",
    ]


def test_lead_cut_mid_word_is_a_truncated_copy() -> None:
    text = "Russia continues its atta...\n\nRussia continues its attacks on the east, officials said."
    assert _repeats(text) == ["Russia continues its atta..."]


def test_truncated_copy_of_a_complete_equal_paragraph_is_skipped_wherever_it_is() -> None:
    text = "Kyiv said the bridge was hit.\n\nKyiv said the bridge was hit..."
    assert _repeats(text) == ["Kyiv said the bridge was hit..."]


def test_equal_truncated_copies_keep_one() -> None:
    text = "Kyiv said the bridge was hit by ...\n\nKyiv said the bridge was hit by ..."
    assert boilerplate_hits(text)["repeated_paragraph"] == [
        (text.rindex("Kyiv"), len(text))
    ]  # the later copy
    assert _kept(text) == ["Kyiv said the bridge was hit by ..."]


def test_lead_repeating_the_first_sentences_of_a_paragraph_is_skipped() -> None:
    lead = "Britain is coming to Ukraine's aid once again."
    text = f"{lead}\n\n{lead} But why is the UK getting involved?"
    assert _repeats(text) == [lead]
    assert _kept(text) == [lead, "But why is the UK getting involved?"]


@pytest.mark.parametrize(
    "text",
    [
        "London\n\nLondoners voted on Thursday.",  # a one-word signature line
        "Kharkiv region\n\nKharkiv region officials said the shelling went on.",  # a short heading
        "The war in Ukraine\n\nThe war in Ukrainereached a new phase.",  # no word boundary
    ],
)
def test_short_or_partial_prefixes_are_not_copies(text: str) -> None:
    assert _repeats(text) == []


def test_repeated_debris_is_left_to_its_rule() -> None:
    text = "Prose one stays.\n\nAdvertisement\n\nProse two stays.\n\nAdvertisement"
    hits = boilerplate_hits(text)
    assert hits["repeated_paragraph"] == [] and len(hits["advertisement"]) == 2


# --- glued sentences (synthetic) ------------------------------------------------------------------

GLUED = [
    ("Troops entered Kyiv.The army said so.", ["Troops entered Kyiv.", "The army said so."]),
    ("Is it over?Nobody knows!They ran off.", ["Is it over?", "Nobody knows!", "They ran off."]),
    ("It grew in 2022.The war went on.", ["It grew in 2022.", "The war went on."]),
    ("Sanctions began to ...The West acted.", ["Sanctions began to ...", "The West acted."]),
    # not sentence ends: abbreviations, initials, decimals, links and names
    ("Gen.Pacek explains the plan.", ["Gen.Pacek explains the plan."]),
    ("Mr.Benn spoke first.", ["Mr.Benn spoke first."]),
    ("J.R.R.Tolkien wrote it.", ["J.R.R.Tolkien wrote it."]),
    ("The U.S.Army left.", ["The U.S.Army left."]),
    ("It rose 3.5 per cent.", ["It rose 3.5 per cent."]),
    ("Visit www.Example.Com today.", ["Visit www.Example.Com today."]),
    ("Pay at pcpm.org.pl/ukraina now.", ["Pay at pcpm.org.pl/ukraina now."]),
    ("See Halo.Bungie.Org for more.", ["See Halo.Bungie.Org for more."]),
    ("The Bagle.AT worm spread.", ["The Bagle.AT worm spread."]),
    ("Write to press@Example.Com today.", ["Write to press@Example.Com today."]),
]


@pytest.mark.parametrize(("text", "expected"), GLUED, ids=[t for t, _ in GLUED])
def test_glued_sentences_split_at_exact_offsets(text: str, expected: list[str]) -> None:
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == expected
    assert "".join("".join(text[s:e].split()) for s, e in spans) == "".join(text.split())  # nothing lost


def test_glued_split_respects_skip_ranges() -> None:
    text = "Kyiv.The army said so.Advertisement here.Then more."
    skip = [(text.index("Advertisement"), text.index("Then"))]
    assert [text[s:e] for s, e in split_sentences(text, skip)] == ["Kyiv.", "The army said so.", "Then more."]


# --- real files from the shared corpus ------------------------------------------------------------


def _corpus_doc(name: str) -> SourceDocument:
    if not UKRWAR.is_dir():
        pytest.skip(f"../shared/corpus not present ({UKRWAR} is missing); real-file cleaning tests need it")
    return load_file(UKRWAR / name, 10_000_000)


def _line_spans(text: str, prefix: str) -> list[tuple[int, int]]:
    """Spans of the lines of `text` that start with `prefix` (leading blanks aside), trailing blanks cut."""
    pattern = re.compile(rf"^[ \t]*({re.escape(prefix)}[^\r\n]*?)[ \t\r]*$", re.MULTILINE)
    return [m.span(1) for m in pattern.finditer(text)]


# Per file: page debris (line starts) that must be skipped, and digests of prose sentences that must be
# kept: the lead's copy kept once, a sentence split off a glued stop, the last sentences.
REAL = {
    "ukrwar_20220726t091500z_ua_en_052383aefb.txt": (
        ["JOIN US ON TELEGRAM!", "Advertisement", "Other Topics of Interest"],
        ["f3859823d38ae981", "05b3e5969c5bb937", "207890a276515d9d"],
    ),
    "ukrwar_20220925t230000z_us_en_857ac24306.txt": (
        ["CLICK HERE TO GET THE FOX NEWS APP", "THE UNITED NATIONS:", "PUTIN WARNS WEST:", "JAMES CARAFANO:"],
        ["f9c4de5ca4780eb4", "c4af9058f8ee566d", "7b5853130d8a43e0"],
    ),
    "ukrwar_20220412t111500z_pl_en_03dfa72ea3.txt": (
        [
            "You can track information about the defense of Ukraine",
            "More important information can be found on the Onet",
            "The rest of the article under video material:",
            "Continuation of the material under the video",
            "(SP)",
        ],
        ["b79856fc8c59a3db", "39255d4de63f477b", "5d1144b2556f6579"],
    ),
    "ukrwar_20240420t053000z_ru_en_320a49bb00.txt": (
        [
            "Legion Media Legion Media",
            "Dear readers,",
            "Subscribe to our Telegram channel",
            "Install a VPN service",
            "If using any of Russia Beyond's content",
        ],
        ["55492dda6b75c012", "1ce700557ff787d4", "9eeea61d37cd11ce"],
    ),
    "ukrwar_20240507t131500z_gb_en_94ab34e84a.txt": (
        ["skip past newsletter promotion"],
        ["e7e7d1a3dec81b44", "ec38ff6eaa66adf3", "79cc13655e778e96"],
    ),
    "ukrwar_20220419t081500z_pl_en_625972e59e.txt": (
        [
            "ADVERTISEMENT",
            "Read more information from Ukraine on Gazeta.pl",
            "Help Ukraine, join the collection",
        ],
        ["02f19f060997a43c", "85b77a4cdd843bcf", "cc21e70bef9d5302"],
    ),
}


@pytest.mark.parametrize("name", sorted(REAL), ids=lambda n: n[7:26])
def test_real_file_debris_skipped_and_prose_kept_once(name: str) -> None:
    doc = _corpus_doc(name)
    debris, prose = REAL[name]
    for prefix in debris:
        lines = _line_spans(doc.text, prefix)
        assert lines, f"{name}: no line starts with {prefix!r} (corpus changed?)"
        for start, end in lines:
            assert _inside(doc.skip, start, end), f"{name}: {doc.text[start:end][:80]!r} is not skipped"
    spans = split_sentences(doc.text, doc.skip)
    sentences = [_norm(doc.text[s:e]) for s, e in spans]
    for s, e in spans:
        assert doc.text[s:e] == doc.text[s:e].strip() and not _overlaps(doc.skip, s, e)
    assert not [t for t, n in Counter(sentences).items() if n > 1], f"{name}: a sentence is kept twice"
    kept = {_digest(t) for t in sentences}
    assert not [d for d in prose if d not in kept], f"{name}: a prose sentence was lost"


def test_truncated_real_lead_is_skipped_and_its_full_paragraph_kept() -> None:
    doc = _corpus_doc("ukrwar_20220419t081500z_pl_en_625972e59e.txt")
    lead_end = doc.text.index("\n")
    assert doc.text[:lead_end].rstrip().endswith("...")
    assert _inside(doc.skip, 0, lead_end)


# Debris that must never survive as a sentence anywhere in the corpus.
_DEBRIS_SENTENCE = re.compile(
    r"^(?:Advertisement:?|ADVERTISEMENT)$|JOIN US ON TELEGRAM|Other Topics of Interest|CLICK HERE TO GET"
    r"|skip past newsletter promotion|Continuation of the material under the video|Sign up for Onet's newsletter"
    r"|Help Ukraine, join the collection|^Author ?/ ?author:|If using any of Russia Beyond's content"
    r"|Subscribe to our Telegram channel|^\d{1,2}:\d{2} .* – video$"
)


def test_no_debris_survives_and_spans_are_exact_in_every_ukrwar_file() -> None:
    if not UKRWAR.is_dir():
        pytest.skip(f"../shared/corpus not present ({UKRWAR} is missing); real-file cleaning tests need it")
    files = sorted(UKRWAR.glob("*.txt"))
    assert len(files) > 100
    for path in files:
        doc = load_file(path, 10_000_000)
        assert doc.text == path.read_bytes().decode("utf-8")  # offsets point into the file as read
        spans = split_sentences(doc.text, doc.skip)
        sentences = [_norm(doc.text[s:e]) for s, e in spans]
        for (s, e), sentence in zip(spans, sentences, strict=True):
            assert not _overlaps(doc.skip, s, e), f"{path.name}: {sentence[:60]!r} overlaps a skip range"
            assert not _DEBRIS_SENTENCE.search(sentence), f"{path.name}: debris kept: {sentence[:80]!r}"
        # Repeated leads never duplicate evidence: no sentence of the first paragraph is kept twice.
        body = doc.text.lstrip()
        first_end = len(doc.text) - len(body) + (body.find("\n\n") if "\n\n" in body else len(body))
        counts = Counter(sentences)
        lead = [t for (s, _), t in zip(spans, sentences, strict=True) if s < first_end]
        assert all(counts[t] == 1 for t in lead), f"{path.name}: a lead sentence is kept twice"
