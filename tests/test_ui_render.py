"""Fast tests of `ui.render`: escaping of hostile text, chips and their targets, abstentions, context."""

from __future__ import annotations

from html.parser import HTMLParser

from qa.result import Answer, Citation, Passage
from ui import render

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(1)">'
ALLOWED_TAGS = {
    "div",
    "span",
    "a",
    "code",
    "mark",
    "blockquote",
    "ul",
    "li",
    "q",
    "details",
    "summary",
    "section",
}


class _Tags(HTMLParser):
    """Every start tag and attribute name in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)


def _parse(markup: str) -> _Tags:
    parser = _Tags()
    parser.feed(markup)
    return parser


DOC = (
    f"Intro line.\nThe Quux Corporation {SCRIPT} was fined 42 million euros. {IMG} It will appeal.\n"
    "Last line."
)
QUOTE_START = DOC.index("The Quux")
QUOTE_END = DOC.index("euros.") + len("euros.")


def _answer(**overrides: object) -> Answer:
    quoted = Passage(
        "doc<1>", QUOTE_START, QUOTE_END, DOC[QUOTE_START:QUOTE_END], f"Title {IMG}", "2024-05-20T10:00:00"
    )
    citation = Citation(1, quoted, 0.9)
    fields: dict[str, object] = {
        "question": f"Who was fined? {SCRIPT}",
        "standalone_question": f"Who was fined? {SCRIPT}",
        "answer": f"The Quux Corporation {SCRIPT} was fined. [1] Unknown marker [7].",
        "abstained": False,
        "mode": "generative",
        "citations": [citation],
        "retrieved": [
            Passage("doc<1>", 0, len(DOC), DOC, f"Title {IMG}", chunk_id="c1", score=0.5),
            Passage("other", 0, 30, f"Uncited passage {IMG}", "Other title", chunk_id="c2", score=0.4),
        ],
        "timings_ms": {"total": 1234.0},
        "model": "test-model",
    }
    fields.update(overrides)
    return Answer(**fields)  # type: ignore[arg-type]


def _all_html(answer: Answer, msg: int = 3) -> str:
    return (
        render.user_bubble(answer.question)
        + render.answer_bubble(answer, msg)
        + render.sources_section(answer, msg, lambda _doc_id: DOC)
    )


def test_hostile_text_is_escaped_everywhere() -> None:
    answer = _answer()
    markup = _all_html(answer) + render.draft_bubble(f"draft {SCRIPT} {IMG}", 1, 1)
    markup += render.error_bubble(f"bad {IMG}") + render.status([f"Added {SCRIPT}"], "ok")
    markup += render.sources_panel([(answer.question, render.sources_section(answer, 3, lambda _d: DOC))])
    parsed = _parse(markup)
    assert parsed.tags <= ALLOWED_TAGS, parsed.tags - ALLOWED_TAGS
    assert not {a for a in parsed.attrs if a.startswith("on")}
    assert "<script" not in markup and "<img" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in markup


def test_abstention_lists_are_escaped_too() -> None:
    answer = _answer(abstained=True, mode="abstain", answer="The documents don't say.", citations=[])
    parsed = _parse(render.answer_bubble(answer, 0) + render.sources_section(answer, 0, lambda _d: DOC))
    assert parsed.tags <= ALLOWED_TAGS
    assert not {a for a in parsed.attrs if a.startswith("on")}


def test_chips_link_to_their_source_cards() -> None:
    answer = _answer()
    bubble = render.answer_bubble(answer, 3)
    cards = render.sources_section(answer, 3, lambda _d: DOC)
    assert '<a class="chip" href="#src-3-1" data-src="src-3-1"' in bubble
    assert 'id="src-3-1"' in cards
    assert "[7]" in bubble  # a marker without a citation stays plain text
    assert "src-3-7" not in bubble


def test_quote_is_marked_inside_its_paragraph() -> None:
    cards = render.sources_section(_answer(), 0, lambda _d: DOC)
    quote = "The Quux Corporation &lt;script&gt;alert(1)&lt;/script&gt; was fined 42 million euros."
    assert f"<mark>{quote}</mark>" in cards
    assert "It will appeal." in cards  # the rest of the line is context
    assert "Intro line." not in cards and "Last line." not in cards  # other lines are not
    assert "2024-05-20" in cards and "doc&lt;1&gt;" in cards


def test_quote_falls_back_when_document_changed_or_missing() -> None:
    def missing(_doc_id: str) -> str:
        raise KeyError(_doc_id)

    for lookup in (missing, lambda _d: "completely different text"):
        cards = render.sources_section(_answer(), 0, lookup)
        assert "<mark>The Quux Corporation" in cards and "It will appeal." not in cards


def test_uncited_passages_are_collapsed() -> None:
    cards = render.sources_section(_answer(), 0, lambda _d: DOC)
    assert '<details class="uncited"><summary>Retrieved but not cited (1)</summary>' in cards
    assert "Uncited passage" in cards
    assert cards.count('class="passage"') == 1  # the chunk holding the citation is not repeated


def test_paragraph_context_is_capped() -> None:
    text = "x " * 2000 + "The quote." + " y" * 2000
    start = text.index("The quote.")
    before, quote, after = render.paragraph_around(text, start, start + len("The quote."), cap=100)
    assert quote == "The quote."
    assert before.startswith("… ") and after.endswith(" …")
    assert len(before) + len(quote) + len(after) <= 110


def test_abstention_is_styled_with_closest_sources_once_per_document() -> None:
    retrieved = [
        Passage("a", 0, 0, "t", "Article A", chunk_id="a1", score=0.5),
        Passage("a", 0, 0, "t", "Article A", chunk_id="a2", score=0.4),
        Passage("b", 0, 0, "t", "Article B", chunk_id="b1", score=0.3),
    ]
    answer = _answer(
        abstained=True, mode="abstain", answer="The documents don't say.", citations=[], retrieved=retrieved
    )
    bubble = render.answer_bubble(answer, 0)
    assert 'class="msg bot abstain"' in bubble
    assert "The documents don&#x27;t say." in bubble
    assert bubble.count("Article A") == 1 and "Article B" in bubble
    assert "chip" not in bubble
    cards = render.sources_section(answer, 0, lambda _d: "")
    assert '<details class="uncited" open>' in cards


def test_rewritten_question_shown_only_when_different() -> None:
    same = render.answer_bubble(_answer(), 0)
    assert "Searched for" not in same
    other = render.answer_bubble(_answer(standalone_question="And him? (following up on: Who?)"), 0)
    assert "Searched for: <q>And him? (following up on: Who?)</q>" in other


def test_draft_is_marked_unverified() -> None:
    assert "drafting" in render.draft_bubble("Some draft", kept=1)
    assert "1 sentence verified" in render.draft_bubble("Some draft", kept=1)
    assert "pending" in render.draft_bubble("")


def test_sources_panel_keeps_only_the_newest_open() -> None:
    panel = render.sources_panel([("first?", "<p>1</p>"), ("second?", "<p>2</p>")])
    assert panel.index("second?") < panel.index("first?")
    assert '<details class="src-group earlier"><summary>Earlier: <span class="src-q">first?' in panel
    assert "empty" in render.sources_panel([])


def test_an_answer_whose_passage_leaves_out_question_words_says_so() -> None:
    flagged = render.answer_bubble(_answer(unmatched=["receive", SCRIPT]), 3)
    assert 'class="check"' in flagged and "“receive”" in flagged
    assert "<script" not in flagged  # the words come from the user's question
    assert 'class="check"' not in render.answer_bubble(_answer(), 3)
