"""The Gradio app's layout and wiring: components, events, queues, API endpoints, and `serve`.

`build_app` lays out two tabs. Chat: a conversation panel (our own escaped HTML, streamed: the dimmed
draft is replaced by the verified answer), a sources panel, example questions, 👍/👎, and the
settings (model, top-k, answer mode). Documents: the ingested articles, upload and removal. Engine
work (answering, ingesting, removing) shares one queue slot, so model calls never overlap and two
browser tabs asking at once are answered in turn. API endpoints: `/ask`, `/upload`, `/remove`,
`/feedback`. `serve` loads the answerer once and launches on QA_HOST:QA_PORT, with login when
QA_AUTH is set. What the events do is `ui.handlers`; HTML is `ui.render`, CSS and JS `ui.assets`.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import gradio as gr

from qa.engine import TOP_K_RANGE
from qa.settings import Settings
from ui import render, uploads
from ui.assets import CHAT_CSS, CHIP_JS, FONT_FIX, HEADER_CSS, SOURCES_CSS
from ui.handlers import Handlers, Turn, chat_html, header_html, safe_choices, safe_rows, sources_html
from ui.relations_view import RELATIONS_CSS, RELATIONS_JS
from ui.service import Service
from vectorstore.edge import RELATIONS

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

    from qa.engine import Answerer
    from vectorstore.store import ChunkStore

log = logging.getLogger(__name__)

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


# --- layout ------------------------------------------------------------------------------------
def build_app(
    settings: Settings,
    answerer: Answerer | None = None,
    store: ChunkStore | None = None,
    embed: BaseEmbedding | None = None,
) -> gr.Blocks:
    """The whole UI for `settings`; loads the answerer now unless one is given (errors show in the UI);
    `embed` is the embedder to load it with (`serve` passes one running in a child process)."""
    service = Service(settings, answerer, store, embed)
    if answerer is None:
        service.try_load()
    h = Handlers(service)
    default_k = min(max(settings.top_k, TOP_K_RANGE[0]), TOP_K_RANGE[1])
    default_mode = settings.answer_mode if service.has_model else "extractive"

    with gr.Blocks(title=render.TITLE, analytics_enabled=False) as demo:
        header = gr.HTML(header_html(service), css_template=HEADER_CSS, js_on_load=None, head=FONT_FIX)
        turns = gr.State([])
        with gr.Tab("Chat"), gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=380):
                chat = gr.HTML(chat_html([]), css_template=CHAT_CSS, js_on_load=CHIP_JS, elem_id="chat")
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
                    sources_html([]),
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
        with gr.Tab("Relations"):
            with gr.Row(equal_height=True):
                relation = gr.Dropdown(
                    [("all relations", "all"), *[(r, r) for r in RELATIONS]],
                    value="all",
                    label="Relation",
                    elem_id="rel-relation",
                    scale=2,
                )
                entity = gr.Textbox(
                    label="Entity (either side; Tehran = Iran)",
                    placeholder="e.g. Iran, EU, Russia",
                    elem_id="rel-entity",
                    scale=3,
                )
                show = gr.Button("Show", variant="primary", elem_id="rel-show", scale=1, min_width=80)
            relations_page = gr.HTML(
                "", css_template=RELATIONS_CSS, js_on_load=RELATIONS_JS, elem_id="relations"
            )
        with gr.Tab("Documents"):
            docs = gr.Dataframe(
                safe_rows(service),
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
                        choices=safe_choices(service), label="Document to remove", value=None
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

        # relations
        for trigger in (show.click, entity.submit, relation.change):
            trigger(
                h.relations, [relation, entity], relations_page, api_visibility="private", concurrency_limit=4
            )
        demo.load(h.relations, [relation, entity], relations_page, **quick)

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


def serve(settings: Settings, embed: BaseEmbedding | None = None) -> None:
    """Load the answerer once and serve the UI on settings.host:settings.port (login when QA_AUTH is set).

    `embed`: an embedder already loading (`qa serve` starts one in a child process before importing
    Gradio, so the two ~3-6 s imports overlap on the two cores)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    auth = None
    if settings.auth:  # validated by Settings as user:password
        user, _, password = settings.auth.partition(":")
        auth = (user, password)
    if not auth and settings.host not in {"127.0.0.1", "localhost", "::1"}:
        print(
            f"Warning: serving on {settings.host} without login; set QA_AUTH=user:password.", file=sys.stderr
        )
    app = build_app(settings, embed=embed)
    app.launch(
        server_name=settings.host,
        server_port=settings.port,
        auth=auth,
        show_error=True,
        max_file_size=f"{settings.max_upload_mb:g}mb",
    )
