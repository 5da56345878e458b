"""Answers to HTML: chat bubbles with citation chips, the sources panel, abstentions, errors.

Pure functions from engine objects (`qa.result.Answer`) and plain strings to HTML strings. Every piece
of document text, title, id, question and model output goes through `esc` (html.escape) before it is
placed in markup; the only markup added is built here from constants and integers. Chips link to
`#src-<msg>-<n>`, the id of the matching card in the sources panel. This module does not talk to the
engine, the store or Gradio: callers pass the document-text lookup in.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence

from qa.result import Answer, Citation, Passage

TITLE = "Cited news QA"
CONTEXT_CHARS = 600  # a quote's surrounding paragraph is cut to about this many characters
PASSAGE_CHARS = 500  # uncited passages are cut to this many characters
_MARKER = re.compile(r"\[(\d{1,3})\]")

EMPTY_CHAT = (
    "Ask a question about the news articles. Every answer cites its sources: click a number "
    "to see the quoted sentence in its article."
)
EMPTY_SOURCES = "The sources of each answer appear here, with the quoted sentence highlighted."


def esc(text: object) -> str:
    """HTML-escape anything (quotes included) for use in text and attribute values."""
    return html.escape(str(text), quote=True)


def source_id(msg: int, n: int) -> str:
    """The element id of citation `n` of message `msg` in the sources panel."""
    return f"src-{int(msg)}-{int(n)}"


def with_chips(text: str, msg: int, known: Iterable[int]) -> str:
    """Escape `text`, then turn each `[n]` whose citation exists into a chip linking to its source."""
    numbers = set(known)

    def chip(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in numbers:
            return match.group(0)
        sid = source_id(msg, n)
        return f'<a class="chip" href="#{sid}" data-src="{sid}" title="Show source {n}">{n}</a>'

    return _MARKER.sub(chip, esc(text))


def paragraph_around(text: str, start: int, end: int, cap: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """(before, quote, after): the line(s) holding `text[start:end]`, cut to about `cap` characters."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    para_start = text.rfind("\n", 0, start) + 1
    newline = text.find("\n", end)
    para_end = len(text) if newline == -1 else newline
    before, quote, after = text[para_start:start], text[start:end], text[end:para_end]
    room = max(cap - len(quote), 0)
    if len(before) + len(after) > room:
        keep_before = min(len(before), max(room // 2, room - len(after)))
        before, after = _tail(before, keep_before), _head(after, room - keep_before)
    return before.lstrip(), quote, after.rstrip()


def _tail(text: str, n: int) -> str:
    """The last ~n characters of `text`, starting at a word boundary, marked as cut."""
    if len(text) <= n:
        return text
    cut = text[len(text) - n :] if n > 0 else ""
    return "… " + (cut.split(" ", 1)[1] if " " in cut else "")


def _head(text: str, n: int) -> str:
    """The first ~n characters of `text`, ending at a word boundary, marked as cut."""
    if len(text) <= n:
        return text
    cut = text[: max(n, 0)]
    return (cut.rsplit(" ", 1)[0] if " " in cut else "") + " …"


def _date(value: str) -> str:
    return value[:10] if value else ""


def _closest_docs(retrieved: Sequence[Passage], limit: int = 5) -> list[Passage]:
    """The retrieved chunks, one per document, best first."""
    seen: dict[str, Passage] = {}
    for r in retrieved:
        seen.setdefault(r.doc_id, r)
    return list(seen.values())[:limit]


# --- chat bubbles ------------------------------------------------------------------------------
def user_bubble(question: str) -> str:
    return f'<div class="msg user"><div class="bubble">{esc(question)}</div></div>'


def answer_bubble(answer: Answer, msg: int) -> str:
    """The verified answer (chips), or an abstention with the closest sources; plus a meta line."""
    if answer.abstained:
        items = "".join(
            f'<li><span class="doc-title">{esc(r.title or r.doc_id)}</span> <code>{esc(r.doc_id)}</code></li>'
            for r in _closest_docs(answer.retrieved)
        )
        closest = f'<div class="closest">Closest sources:<ul>{items}</ul></div>' if items else ""
        body = (
            f'<div class="abstain-text">{esc(answer.answer)}</div>'
            '<div class="abstain-why">None of the indexed articles supports an answer to this '
            f"question, so none is given.</div>{closest}"
        )
        kind = "abstain"
    else:
        chips = with_chips(answer.answer, msg, [c.n for c in answer.citations])
        body = f'<div class="answer-text">{chips}</div>{_check(answer.unmatched)}'
        kind = "answer"
    rewritten = ""
    if answer.standalone_question.strip() != answer.question.strip():
        rewritten = f'<div class="rewritten">Searched for: <q>{esc(answer.standalone_question)}</q></div>'
    return (
        f'<div class="msg bot {kind}" data-msg="{int(msg)}"><div class="bubble">{body}{rewritten}'
        f"{_meta_line(answer)}</div></div>"
    )


def _check(unmatched: Sequence[str]) -> str:
    """A warning to read the quote when the answering passage leaves out much of the question."""
    if not unmatched:
        return ""
    words = ", ".join(f"“{esc(w)}”" for w in unmatched)
    return f'<div class="check">Check the quote: it does not mention {words} from your question.</div>'


def _meta_line(answer: Answer) -> str:
    label = {
        "generative": "verified",
        "extractive": "quoted from the sources",
        "abstain": "no answer",
        "relations": "from the relation index, each line checked against its sentences",
    }
    parts = [label.get(answer.mode, answer.mode)]
    if answer.note:
        parts.append(answer.note)
    if answer.dropped:
        n = len(answer.dropped)
        parts.append(f"{n} unsupported draft sentence{'s' if n > 1 else ''} removed")
    total = answer.timings_ms.get("total")
    if total:
        parts.append(f"{total / 1000:.1f} s" if total >= 100 else f"{total:.0f} ms")
    if answer.model and answer.mode == "generative":  # no model wrote an extractive answer or abstention
        parts.append(answer.model)
    return f'<div class="meta">{" · ".join(esc(p) for p in parts)}</div>'


def draft_bubble(draft: str, kept: int = 0, dropped: int = 0) -> str:
    """The unverified draft while it streams: dimmed and italic, replaced by the verified answer."""
    if not draft:
        return (
            '<div class="msg bot pending"><div class="bubble"><span class="dots">Searching the '
            "documents…</span></div></div>"
        )
    checked = f" · {kept} sentence{'s' if kept != 1 else ''} verified" if kept else ""
    checked += f", {dropped} dropped" if dropped else ""
    return (
        f'<div class="msg bot drafting"><div class="bubble"><div class="draft-label">Draft, not yet '
        f'verified{esc(checked)}</div><div class="draft-text">{esc(draft)}</div></div></div>'
    )


def error_bubble(message: str) -> str:
    return (
        f'<div class="msg bot error"><div class="bubble"><div class="error-title">No answer</div>'
        f"<div>{esc(message)}</div></div></div>"
    )


def conversation(bubbles: Sequence[str]) -> str:
    """The whole chat: bubbles oldest first, in a scroll box that stays pinned to the newest."""
    inner = "".join(bubbles) or f'<div class="empty">{esc(EMPTY_CHAT)}</div>'
    return f'<div class="convo"><div class="convo-inner">{inner}</div></div>'


# --- sources panel -----------------------------------------------------------------------------
def citation_card(c: Citation, msg: int, doc_text: Callable[[str], str]) -> str:
    """Title, date, id and the quoted sentence highlighted inside its paragraph."""
    return (
        f'<div class="src-card" id="{source_id(msg, c.n)}"><div class="src-head"><span class="src-n">'
        f'{int(c.n)}</span><span class="src-title">{esc(c.title or c.doc_id)}</span></div>'
        f"{quote_in_paragraph(doc_text, c.doc_id, c.start, c.end, c.quote, c.date)}</div>"
    )


def quote_in_paragraph(
    doc_text: Callable[[str], str], doc_id: str, start: int, end: int, quote: str, date: str
) -> str:
    """The meta line (date, id) and the quote highlighted inside its paragraph; the quote alone when
    the document was removed or changed since."""
    try:
        text = doc_text(doc_id)
    except Exception:  # the document was removed since: show the quote alone
        text = ""
    if text[start:end] == quote:
        before, marked, after = paragraph_around(text, start, end)
    else:
        before, marked, after = "", quote, ""
    meta = " · ".join(p for p in [esc(_date(date)), f"<code>{esc(doc_id)}</code>"] if p)
    return (
        f'<div class="src-meta">{meta}</div><blockquote class="src-para">{esc(before)}'
        f"<mark>{esc(marked)}</mark>{esc(after)}</blockquote>"
    )


def _overlaps(r: Passage, citations: Sequence[Citation]) -> bool:
    return any(c.doc_id == r.doc_id and c.start < r.end and r.start < c.end for c in citations)


def passage_item(r: Passage) -> str:
    text = r.text if len(r.text) <= PASSAGE_CHARS else r.text[:PASSAGE_CHARS].rsplit(" ", 1)[0] + " …"
    return (
        f'<div class="passage"><div class="src-title">{esc(r.title or r.doc_id)}</div>'
        f'<div class="src-meta"><code>{esc(r.doc_id)}</code> · score {r.score:.3f}</div>'
        f'<div class="passage-text">{esc(text)}</div></div>'
    )


def sources_section(answer: Answer, msg: int, doc_text: Callable[[str], str]) -> str:
    """One answer's citation cards, then its retrieved-but-uncited passages in a collapsed block."""
    cards = "".join(citation_card(c, msg, doc_text) for c in answer.citations)
    uncited = [r for r in answer.retrieved if not _overlaps(r, answer.citations)]
    if not cards:
        cards = '<div class="src-none">No source was cited.</div>'
    extra = ""
    if uncited:
        label = "Closest passages (none answers it)" if answer.abstained else "Retrieved but not cited"
        extra = (
            f'<details class="uncited"{" open" if answer.abstained else ""}><summary>{esc(label)} '
            f"({len(uncited)})</summary>{''.join(passage_item(r) for r in uncited)}</details>"
        )
    return cards + extra


def sources_panel(sections: Sequence[tuple[str, str]]) -> str:
    """All answers' sources, newest first and open; earlier ones folded. `sections`: (question, html)."""
    if not sections:
        return f'<div class="sources"><div class="empty">{esc(EMPTY_SOURCES)}</div></div>'
    parts = []
    for i, (question, body) in enumerate(reversed(sections)):
        head = f'<span class="src-q">{esc(question)}</span>'
        if i == 0:
            parts.append(
                f'<section class="src-group latest"><div class="src-group-head">Sources for {head}'
                f"</div>{body}</section>"
            )
        else:
            parts.append(
                f'<details class="src-group earlier"><summary>Earlier: {head}</summary>{body}</details>'
            )
    return f'<div class="sources">{"".join(parts)}</div>'


# --- documents tab -----------------------------------------------------------------------------
def status(lines: Sequence[str], kind: str = "info") -> str:
    """A short status box (kind: info, ok, warn or error) with each line escaped."""
    kind = kind if kind in {"info", "ok", "warn", "error"} else "info"
    items = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return f'<div class="status {kind}"><ul>{items}</ul></div>' if lines else ""


def header(counts: str, model: str, not_ready: str) -> str:
    """The page header: title, what answers rest on, index size and model (and why it is not ready)."""
    return (
        f'<div class="app-head"><h1>{esc(TITLE)}</h1><p>Answers come only from the indexed news '
        "articles. Each sentence is checked against the sentence it cites; click a number to see it."
        f'</p><p class="facts">{esc(counts)} · model: {esc(model)}{esc(not_ready)}</p></div>'
    )
