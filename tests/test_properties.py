"""Property-based tests (hypothesis): the pure text functions hold their invariants on arbitrary input.

Sentence spans and chunks (`vectorstore.sentences`, `vectorstore.chunking`), citation markers
(`qa.cite`), HTML extraction (`vectorstore.html_text`) and question cleaning (`qa.engine`). Fast tier:
no model, no store.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.cite import complete_prefix, renumber, split_draft, with_markers
from qa.engine import clean_question
from qa.errors import InputError
from vectorstore.chunking import chunk_document
from vectorstore.html_text import html_to_text
from vectorstore.sentences import split_sentences

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like news: words, abbreviations, initials, numbers, quotes, line breaks, any unicode.
_PIECES = st.sampled_from(
    [
        "The",
        "EU",
        "sanctioned",
        "Mr.",
        "Dr.",
        "U.S.",
        "e.g.",
        "Charles Q. Brown",
        "Jan.",
        "No.",
        "3.5",
        "59",
        "said.",
        "said!",
        "why?",
        "“Quoted.”",
        "'fine.'",
        "(aside.)",
        "[1]",
        "…",
        "\n",
        "\n\n",
        "\r\n",
        "  ",
        "\t",
        "# Heading",
        "- bullet",
        "> quote",
        "Кто ввёл санкции?",
        "制裁。",
        "🤔",
        "\u00a0",
        "\u2028",
        "\x0b",
        "\x85",
        "A.",
        "a.m.",
    ]
)
news_text = st.one_of(
    st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=60).map(" ".join),
    st.text(max_size=300),
)
spans = st.lists(st.tuples(st.integers(0, 400), st.integers(0, 60)), max_size=4).map(
    lambda pairs: sorted((a, a + n) for a, n in pairs)
)


# --- sentences and chunks ------------------------------------------------------------------------
@FAST
@given(text=news_text, skip=spans)
def test_sentence_spans_are_ordered_disjoint_in_bounds_and_trimmed(
    text: str, skip: list[tuple[int, int]]
) -> None:
    out = split_sentences(text, skip)
    previous_end = 0
    for start, end in out:
        assert 0 <= previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip(), (text, start, end)
        assert any(ch.isalnum() for ch in piece)
        assert "\n" not in piece and "\r" not in piece  # a line break always ends a sentence
        for s0, s1 in skip:
            assert end <= s0 or start >= s1  # never overlaps a skipped range
        previous_end = end


@FAST
@given(text=news_text, size=st.integers(100, 600), overlap=st.integers(0, 3))
def test_chunks_cover_exactly_the_sentences(text: str, size: int, overlap: int) -> None:
    sentences = split_sentences(text)
    chunks = chunk_document("doc", text, sentences, size, overlap)
    assert bool(chunks) == bool(sentences)
    covered: list[tuple[int, int]] = []
    for i, chunk in enumerate(chunks):
        group = list(chunk.sentences)
        assert group and (chunk.start, chunk.end) == (group[0][0], group[-1][1])
        assert chunk.text == " ".join(" ".join(text[s:e].split()) for s, e in group)
        assert len(group) == 1 or chunk.end - chunk.start <= size  # only a lone long sentence exceeds
        first = sentences.index(group[0])
        assert group == sentences[first : first + len(group)]  # consecutive sentences
        if i:
            shared = [s for s in group if s in covered]
            assert len(shared) <= overlap and group[: len(shared)] == shared
        covered += [s for s in group if s not in covered]
    assert covered == sentences  # every sentence, once, in order
    assert len({c.id for c in chunks}) == len(chunks)


# --- citation markers ----------------------------------------------------------------------------
drafts = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.sampled_from(
            [
                "The EU acted.",
                "[1]",
                "[12]",
                " [3]",
                "[",
                "]",
                "[x]",
                "Yes!",
                "No?",
                " ",
                "\n",
                "“Hi.”",
                "[0]",
            ]
        ),
        max_size=30,
    ).map("".join),
)


@FAST
@given(draft=drafts)
def test_split_draft_and_complete_prefix_never_crash_and_keep_the_text(draft: str) -> None:
    for sentence in split_draft(draft):
        assert sentence.text and sentence.text == sentence.text.strip()
        assert not re.search(r"\[\d{1,3}\]", sentence.text)  # markers are taken out of the text
        assert all(0 <= n <= 999 for n in sentence.cited)
    done, rest = complete_prefix(draft)
    assert done + rest == draft
    assert split_draft(done) == [] or split_draft(done)[-1].text  # the finished part splits cleanly


@FAST
@given(used=st.lists(st.lists(st.integers(1, 30), max_size=5), max_size=8), draft=drafts)
def test_renumbered_markers_resolve_in_first_use_order(used: list[list[int]], draft: str) -> None:
    per_sentence, order = renumber(used)
    first_use = list(dict.fromkeys(e for ids in used for e in ids))
    assert order == first_use
    assert len(per_sentence) == len(used)
    for ids, numbers in zip(used, per_sentence, strict=True):
        assert numbers == [order.index(e) + 1 for e in dict.fromkeys(ids)]
        assert all(1 <= n <= len(order) for n in numbers)
    # The answer text as the engine builds it: marker-free sentences plus their renumbered markers.
    texts = [s.text for s in split_draft(draft)] or ["An answer."]
    texts = (texts * len(used))[: len(used)]
    answer = " ".join(with_markers(t, n) for t, n in zip(texts, per_sentence, strict=True))
    seen = [int(n) for n in re.findall(r"\[(\d+)\]", answer)]
    assert set(seen) == set(range(1, len(order) + 1))
    assert list(dict.fromkeys(seen)) == list(range(1, len(order) + 1))  # first appearances are 1, 2, 3...


@FAST
@given(text=st.text(max_size=100), numbers=st.lists(st.integers(0, 999), max_size=5))
def test_with_markers_appends_exactly_the_markers(text: str, numbers: list[int]) -> None:
    out = with_markers(text, numbers)
    assert out.startswith(text)
    assert out[len(text) :] == ("" if not numbers else " " + "".join(f"[{n}]" for n in numbers))


# --- HTML ------------------------------------------------------------------------------------------
html_like = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<div>",
                "</div>",
                "<script>",
                "</script>",
                "alert(1)",
                "<img src=x onerror=alert(1)>",
                "<title>",
                "</title>",
                "<h1>",
                "</h1>",
                "&lt;b&gt;",
                "&amp;",
                "&#60;",
                "&#x3e;",
                "<!--",
                "-->",
                "<![CDATA[",
                "]]>",
                "<",
                ">",
                "</",
                "text",
                " ",
                "\n",
                "<br>",
                "<style>",
                "</style>",
                "<a href='javascript:x'>",
                "</a>",
                "<svg onload=alert(1)>",
                "<!DOCTYPE html>",
                "<?xml?>",
            ]
        ),
        max_size=40,
    ).map("".join),
)


@FAST
@given(html=html_like)
def test_html_to_text_never_crashes_and_never_emits_markup_characters(html: str) -> None:
    text, title = html_to_text(html)
    for out in (text, title):
        assert "<" not in out and ">" not in out
    assert "\r" not in text and text == text.strip()


# --- questions -------------------------------------------------------------------------------------
questions = st.one_of(
    st.text(max_size=120),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.lists(
        st.sampled_from(["Who", " ", "\x00", "\x1b[31m", "\x7f", "\x85", "\x9b", "\u200b", "🤔", "\t", "?"])
    ).map("".join),
)


@FAST
@given(question=questions, limit=st.integers(10, 200))
def test_clean_question_refuses_or_returns_clean_text(question: str, limit: int) -> None:
    try:
        out = clean_question(question, limit)
    except InputError as exc:
        assert exc.message and exc.hint
        assert (
            not question.strip()
            or len(question) > limit
            or not "".join(ch for ch in question if unicodedata.category(ch) != "Cc").strip()
        )
        return
    assert out and out == out.strip()
    assert not any(unicodedata.category(ch) == "Cc" for ch in out), repr(out)
    assert "  " not in out and len(out) <= len(question) <= limit


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["list"]])
def test_clean_question_refuses_non_strings(bad: object) -> None:
    with pytest.raises(InputError):
        clean_question(bad, 100)  # type: ignore[arg-type]
