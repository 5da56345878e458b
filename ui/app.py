"""The Gradio app: layout, event wiring, API endpoints (`/ask`, `/upload`, `/remove`, `/feedback`).

`build_app` lays out two tabs. Chat: a conversation panel (our own escaped HTML, streamed: the dimmed
draft is replaced by the verified answer), a sources panel, example questions, 👍/👎, and the
settings (model, top-k, answer mode). Documents: the ingested articles, upload and removal. Engine
work (answering, ingesting, removing) shares one queue slot, so model calls never overlap and two
browser tabs asking at once are answered in turn. Every error reaches the user as a readable message:
a `QAError`'s own text, or a generic line naming the exception type (details go to the server log).
`serve` loads the answerer once and launches on QA_HOST:QA_PORT, with login when QA_AUTH is set.
This module renders nothing itself (`ui.render`) and answers nothing itself (`qa`).
"""

from __future__ import annotations

import html
import logging
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from qa.errors import QAError
from qa.result import Answer, Final, Settled, Token
from qa.settings import Settings
from ui import feedback, render, uploads
from ui.assets import CHAT_CSS, CHIP_JS, FONT_FIX, SOURCES_CSS
from ui.service import TOP_K_RANGE, Service

if TYPE_CHECKING:
    from qa.engine import Answerer
    from vectorstore.store import ChunkStore

log = logging.getLogger(__name__)

TITLE = "Cited news QA"
EXAMPLES = (
    "Who sanctioned whom?",
    "How many Iranian drones did Ukraine shoot down?",
    "Where were the drones shipped across?",
    "Who won the 2022 World Cup?",
)
MODE_CHOICES = [
    ("Generative, with verification", "generative"),
    ("Extractive only (no model call)", "extractive"),
]
UPLOAD_TYPES = list(uploads.ALLOWED)
ENGINE = "engine"  # the concurrency id shared by every event that uses the engine or changes the store
DRAFT_EVERY_S = 0.08  # at most this often a streamed draft is re-sent to the browser
Turn = dict[str, Any]  # {"question", "bubble", "sources", "answer", "record"}


# --- helpers -----------------------------------------------------------------------------------
def _user_message(exc: BaseException) -> str:
    """What the user reads for an error: a `QAError`'s text, else a generic line with the type name."""
    if isinstance(exc, QAError):
        return str(exc)
    log.error("Unexpected error in the UI", exc_info=exc)
    return f"Something went wrong ({type(exc).__name__}). The details are in the server log."


def _toast_error(exc: BaseException) -> gr.Error:
    """A `gr.Error` for `exc`; its text is escaped because Gradio shows it as HTML."""
    return gr.Error(html.escape(_user_message(exc), quote=False), print_exception=False)


def _history(turns: list[Turn]) -> list[dict[str, str]]:
    """The answered turns as engine history (failed turns are left out)."""
    out: list[dict[str, str]] = []
    for t in turns:
        if t.get("answer"):
            out += [{"role": "user", "content": t["question"]}, {"role": "assistant", "content": t["answer"]}]
    return out


def _chat_html(turns: list[Turn]) -> str:
    return render.conversation([render.user_bubble(t["question"]) + t["bubble"] for t in turns])


def _sources_html(turns: list[Turn]) -> str:
    return render.sources_panel([(t["question"], t["sources"]) for t in turns if t.get("sources")])


def _record(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "answer": answer.answer,
        "citations": [asdict(c) for c in answer.citations],
    }


def _doc_rows(service: Service) -> list[list[Any]]:
    return [[r.doc_id, r.title, r.date[:10], r.n_chunks] for r in service.documents()]


def _doc_choices(service: Service) -> list[tuple[str, str]]:
    return [(f"{r.title[:80]} — {r.doc_id}" if r.title else r.doc_id, r.doc_id) for r in service.documents()]


def _header(service: Service) -> str:
    try:
        docs = service.documents()
        counts = f"{len(docs)} documents · {sum(r.n_chunks for r in docs)} chunks"
    except QAError as exc:
        counts = str(exc)
    ready = "" if service.load_error is None else f" · not ready: {service.load_error.message}"
    return (
        f'<div class="app-head"><h1>{render.esc(TITLE)}</h1><p>Answers come only from the indexed news '
        "articles. Each sentence is checked against the sentence it cites; click a number to see it."
        f'</p><p class="facts">{render.esc(counts)} · model: {render.esc(service.model_label)}'
        f"{render.esc(ready)}</p></div>"
    )


HEADER_CSS = """
h1 { font-size: 1.5em; font-weight: 600; margin: 4px 0 2px; }
p { margin: 0; color: var(--body-text-color-subdued); }
.facts { font-size: 0.85em; margin-top: 2px; }
"""


# --- handlers ----------------------------------------------------------------------------------
class Handlers:
    """The event functions, bound to one `Service` and its data folder."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.settings = service.settings

    # chat -------------------------------------------------------------------------------------
    def stage(self, question: str, turns: list[Turn]) -> tuple[str, list[Turn]]:
        """Show the question at once (before the queue); refuse an empty one."""
        question = " ".join((question or "").split())
        if not question:
            raise gr.Error(
                "The question is empty. Type a question about the documents.",
                title="Nothing to ask",
                print_exception=False,
            )
        turns = [
            *turns,
            {
                "question": question,
                "bubble": render.draft_bubble(""),
                "sources": None,
                "answer": "",
                "record": None,
            },
        ]
        return _chat_html(turns), turns

    def respond(self, turns: list[Turn], top_k: float, mode: str) -> Iterator[tuple[str, str, list[Turn]]]:
        """Stream the draft of the last staged question, then replace it with the verified answer."""
        turns = [dict(t) for t in turns]
        if not turns or turns[-1].get("record") or turns[-1].get("answer"):
            yield _chat_html(turns), _sources_html(turns), turns
            return
        turn, index = turns[-1], len(turns) - 1
        draft, kept, dropped, sent = "", 0, 0, 0.0
        try:
            for event in self.service.stream(turn["question"], _history(turns[:-1]), mode, int(top_k)):
                if isinstance(event, Final):  # always the last event
                    answer = event.answer
                    turn.update(
                        bubble=render.answer_bubble(answer, index),
                        answer=answer.answer,
                        sources=render.sources_section(answer, index, self.service.doc_text),
                        record=_record(answer),
                    )
                    continue
                if isinstance(event, Token):
                    draft += event.text
                elif isinstance(event, Settled):
                    kept, dropped = kept + event.kept, dropped + (not event.kept)
                if time.monotonic() - sent >= DRAFT_EVERY_S:
                    sent = time.monotonic()
                    turn["bubble"] = render.draft_bubble(draft, kept, dropped)
                    yield _chat_html(turns), _sources_html(turns), turns
        except Exception as exc:
            message = _user_message(exc)
            gr.Warning(html.escape(message, quote=False))
            turn.update(bubble=render.error_bubble(message), sources=None, answer="", record=None)
        yield _chat_html(turns), _sources_html(turns), turns

    @staticmethod
    def clear() -> tuple[str, str, list[Turn]]:
        return _chat_html([]), _sources_html([]), []

    def rate(self, rating: str, turns: list[Turn]) -> str:
        """Record 👍/👎 for the last answer."""
        record = turns[-1].get("record") if turns else None
        if not record:
            gr.Warning("There is no answer to rate yet. Ask a question first.")
            return ""
        try:
            feedback.record(
                self.settings.data_dir / feedback.FILE_NAME,
                record["question"],
                record["answer"],
                record["citations"],
                rating,
            )
        except Exception as exc:
            raise _toast_error(exc) from None
        gr.Info("Thanks, your rating was saved.")
        word = "helpful" if rating == "up" else "not helpful"
        return render.status([f"Rated {word}: “{record['question']}”"], "ok")

    # API --------------------------------------------------------------------------------------
    def ask(
        self, question: str, history: list[dict[str, str]] | None = None, mode: str = "", top_k: int = 0
    ) -> dict[str, Any]:
        """Answer one question (with optional chat history); returns the `qa ask --json` object.

        mode: "generative" or "extractive" ("" = the configured default); top_k: 1-20 (0 = default).
        """
        try:
            final = None
            for event in self.service.stream(question, history or [], mode, top_k):
                if isinstance(event, Final):
                    final = event.answer
            assert final is not None, "the engine ended without a final answer"
            return final.to_json()
        except Exception as exc:
            raise _toast_error(exc) from None

    def feedback(self, rating: str, answer: dict[str, Any]) -> str:
        """Rate an answer object returned by /ask: rating "up" or "down". Returns a confirmation."""
        try:
            feedback.record(
                self.settings.data_dir / feedback.FILE_NAME,
                str(answer.get("question", "")),
                str(answer.get("answer", "")),
                list(answer.get("citations") or []),
                rating,
            )
        except Exception as exc:
            raise _toast_error(exc) from None
        return f"Saved rating '{rating}'."

    # documents --------------------------------------------------------------------------------
    def documents_view(self) -> tuple[list[list[Any]], Any, str]:
        try:
            return (
                _doc_rows(self.service),
                gr.update(choices=_doc_choices(self.service), value=None),
                _header(self.service),
            )
        except Exception as exc:
            raise _toast_error(exc) from None

    def upload(self, files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
        """Vet, copy and ingest uploaded files; they are answerable as soon as this returns."""
        paths = [Path(f) for f in files or []]
        if not paths:
            raise gr.Error("Choose one or more .txt, .md or .html files first.", print_exception=False)
        staged = uploads.stage(
            ((p, p.name) for p in paths),
            self.settings.data_dir / "uploads",
            int(self.settings.max_upload_mb * 1e6),
        )
        lines = [f"Refused: {reason}" for reason in staged.refused]
        if not staged.accepted:
            raise gr.Error(
                html.escape(" ".join(lines), quote=False), title="Upload refused", print_exception=False
            )
        progress(0, desc="Reading files")

        def tick(done: int, total: int) -> None:
            progress((done, total), desc="Embedding chunks", unit="chunks")

        try:
            report, note = self.service.ingest(staged.accepted, tick)
        except Exception as exc:
            raise _toast_error(exc) from None
        lines = [
            report.summary(),
            *(f"Added: {d}" for d in report.added),
            *(f"Updated: {d}" for d in report.updated),
            *(f"Unchanged: {d}" for d in report.unchanged),
            *(f"Warning: {w}" for w in report.warnings),
            *lines,
            *([note] if note else []),
        ]
        clean = (report.added or report.updated) and not staged.refused and not report.warnings
        kind = "ok" if clean else "warn"
        if staged.refused:
            gr.Warning(html.escape(" ".join(staged.refused), quote=False))
        rows, choices, header = self.documents_view()
        return render.status(lines, kind), rows, choices, header, None

    def remove(self, doc_id: str | None) -> tuple[Any, ...]:
        if not doc_id:
            raise gr.Error("Pick a document to remove first.", print_exception=False)
        try:
            note = self.service.remove(doc_id)
        except Exception as exc:
            raise _toast_error(exc) from None
        rows, choices, header = self.documents_view()
        lines = [f"Removed: {doc_id}", *([note] if note else [])]
        return render.status(lines, "warn" if note else "ok"), rows, choices, header


# --- layout ------------------------------------------------------------------------------------
def build_app(
    settings: Settings, answerer: Answerer | None = None, store: ChunkStore | None = None
) -> gr.Blocks:
    """The whole UI for `settings`; loads the answerer now unless one is given (errors show in the UI)."""
    service = Service(settings, answerer, store)
    if answerer is None:
        service.try_load()
    h = Handlers(service)
    default_k = min(max(settings.top_k, TOP_K_RANGE[0]), TOP_K_RANGE[1])
    default_mode = settings.answer_mode if service.has_model else "extractive"

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        header = gr.HTML(_header(service), css_template=HEADER_CSS, js_on_load=None, head=FONT_FIX)
        turns = gr.State([])
        with gr.Tab("Chat"), gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=380):
                chat = gr.HTML(_chat_html([]), css_template=CHAT_CSS, js_on_load=CHIP_JS, elem_id="chat")
                with gr.Row(equal_height=True):
                    question = gr.Textbox(
                        placeholder="Ask about the news articles…",
                        show_label=False,
                        scale=6,
                        max_lines=4,
                        autofocus=True,
                        elem_id="question",
                    )
                    send = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="send")
                with gr.Row():
                    example_buttons = [
                        gr.Button(q, size="sm", variant="secondary", min_width=60, elem_classes=["example"])
                        for q in EXAMPLES
                    ]
                with gr.Row(equal_height=True):
                    up = gr.Button("👍 Helpful", size="sm", min_width=60, elem_id="rate-up")
                    down = gr.Button("👎 Not helpful", size="sm", min_width=60, elem_id="rate-down")
                    clear = gr.Button("Clear chat", size="sm", min_width=60)
                rated = gr.HTML("", css_template=SOURCES_CSS, js_on_load=None)
            with gr.Column(scale=2, min_width=320):
                sources = gr.HTML(
                    _sources_html([]),
                    css_template=SOURCES_CSS,
                    js_on_load=None,
                    elem_id="sources",
                    label="Sources",
                )
                with gr.Accordion("Settings", open=True):
                    gr.Textbox(service.model_label, label="Backend / model", interactive=False)
                    top_k = gr.Slider(
                        *TOP_K_RANGE, value=default_k, step=1, label="Passages retrieved (top-k)"
                    )
                    mode = gr.Radio(
                        MODE_CHOICES,
                        value=default_mode,
                        label="Answer mode",
                        interactive=service.has_model,
                        elem_id="mode",
                        info=None if service.has_model else "No language model configured.",
                    )
        with gr.Tab("Documents"):
            docs = gr.Dataframe(
                _safe_rows(service),
                headers=["id", "title", "date", "chunks"],
                datatype=["str", "str", "str", "number"],
                type="array",
                interactive=False,
                elem_id="docs",
                wrap=True,
                label="Ingested articles",
                column_widths=["22%", "56%", "12%", "10%"],
            )
            with gr.Row(equal_height=False):
                with gr.Column():
                    files = gr.File(
                        file_count="multiple",
                        file_types=UPLOAD_TYPES,
                        type="filepath",
                        elem_id="upload",
                        label=f"Upload articles (.txt, .md, .html; up to {settings.max_upload_mb:g} MB each)",
                    )
                    add = gr.Button("Add to the index", variant="primary", elem_id="add-docs")
                with gr.Column():
                    doomed = gr.Dropdown(
                        choices=_safe_choices(service), label="Document to remove", value=None
                    )
                    drop = gr.Button("Remove document", variant="stop")
            doc_status = gr.HTML("", css_template=SOURCES_CSS, js_on_load=None)

        # chat: stage the question (instant) -> lock the inputs -> stream the answer (queued) -> unlock
        lockable = [question, send, clear, *example_buttons]

        quick: dict[str, Any] = {"queue": False, "api_visibility": "private"}

        def lock() -> list[Any]:
            rest = [gr.update(interactive=False) for _ in lockable[1:]]
            return [gr.update(value="", interactive=False), *rest]

        def unlock() -> list[Any]:
            return [gr.update(interactive=True)] * len(lockable)

        def then_answer(staged: Any) -> None:
            answered = staged.success(lock, None, lockable, **quick).success(
                h.respond,
                [turns, top_k, mode],
                [chat, sources, turns],
                concurrency_id=ENGINE,
                concurrency_limit=1,
                api_visibility="private",
                show_progress="minimal",
                show_progress_on=[sources],
            )
            answered.then(unlock, None, lockable, **quick)

        for trigger in (question.submit, send.click):
            then_answer(trigger(h.stage, [question, turns], [chat, turns], **quick))
        for button, text in zip(example_buttons, EXAMPLES, strict=True):
            filled = button.click(_const(text), None, question, **quick)
            then_answer(filled.success(h.stage, [question, turns], [chat, turns], **quick))
        clear.click(h.clear, None, [chat, sources, turns], **quick)
        up.click(_bind(h.rate, "up"), [turns], rated, **quick)
        down.click(_bind(h.rate, "down"), [turns], rated, **quick)

        # documents
        add.click(
            h.upload,
            [files],
            [doc_status, docs, doomed, header, files],
            api_name="upload",
            concurrency_id=ENGINE,
            concurrency_limit=1,
        )
        drop.click(
            h.remove,
            [doomed],
            [doc_status, docs, doomed, header],
            api_name="remove",
            concurrency_id=ENGINE,
            concurrency_limit=1,
        )
        demo.load(h.documents_view, None, [docs, doomed, header], **quick)

        # API-only endpoints
        gr.api(h.ask, api_name="ask", concurrency_id=ENGINE, concurrency_limit=1)
        gr.api(h.feedback, api_name="feedback", concurrency_limit=None)

    demo.queue(default_concurrency_limit=1)
    return demo


def _const(value: str) -> Callable[[], str]:
    def fill() -> str:
        return value

    return fill


def _bind(fn: Callable[[str, list[Turn]], str], rating: str) -> Callable[[list[Turn]], str]:
    def rate(turns: list[Turn]) -> str:
        return fn(rating, turns)

    return rate


def _safe_rows(service: Service) -> list[list[Any]]:
    try:
        return _doc_rows(service)
    except QAError:
        return []


def _safe_choices(service: Service) -> list[tuple[str, str]]:
    try:
        return _doc_choices(service)
    except QAError:
        return []


def serve(settings: Settings) -> None:
    """Load the answerer once and serve the UI on settings.host:settings.port (login when QA_AUTH is set)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    auth = None
    if settings.auth:  # validated by Settings as user:password
        user, _, password = settings.auth.partition(":")
        auth = (user, password)
    if not auth and settings.host not in {"127.0.0.1", "localhost", "::1"}:
        print(
            f"Warning: serving on {settings.host} without login; set QA_AUTH=user:password.", file=sys.stderr
        )
    app = build_app(settings)
    app.launch(
        server_name=settings.host,
        server_port=settings.port,
        auth=auth,
        show_error=True,
        max_file_size=f"{settings.max_upload_mb:g}mb",
    )
