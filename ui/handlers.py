"""The UI's event handlers: chat (stage, stream, rate), the `/ask` and `/feedback` API, documents.

`Handlers` turns Gradio inputs into `Service` calls and the results into HTML from `ui.render`.
Every error reaches the user as a readable message: a `QAError`'s own text, or a generic line
naming the exception type (details go to the server log). The layout and its wiring are `ui.app`.
"""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from qa.engine import clean_question
from qa.errors import QAError
from qa.result import Answer, Final, Settled, Token
from ui import feedback, relations_view, render, uploads
from ui.service import Service

log = logging.getLogger(__name__)

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


def chat_html(turns: list[Turn]) -> str:
    return render.conversation([render.user_bubble(t["question"]) + t["bubble"] for t in turns])


def sources_html(turns: list[Turn]) -> str:
    return render.sources_panel([(t["question"], t["sources"]) for t in turns if t.get("sources")])


def _record(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "answer": answer.answer,
        "citations": [c.to_json() for c in answer.citations],
    }


def _doc_rows(service: Service) -> list[list[Any]]:
    return [[r.doc_id, r.title, r.date[:10], r.n_chunks] for r in service.documents()]


def _doc_choices(service: Service) -> list[tuple[str, str]]:
    return [(f"{r.title[:80]} — {r.doc_id}" if r.title else r.doc_id, r.doc_id) for r in service.documents()]


def header_html(service: Service) -> str:
    try:
        docs = service.documents()
        counts = f"{len(docs)} documents · {sum(r.n_chunks for r in docs)} chunks"
    except QAError as exc:
        counts = str(exc)
    ready = "" if service.load_error is None else f" · not ready: {service.load_error.message}"
    return render.header(counts, service.model_label, ready)


def safe_rows(service: Service) -> list[list[Any]]:
    try:
        return _doc_rows(service)
    except QAError:
        return []


def safe_choices(service: Service) -> list[tuple[str, str]]:
    try:
        return _doc_choices(service)
    except QAError:
        return []


# --- handlers ----------------------------------------------------------------------------------
class Handlers:
    """The event functions, bound to one `Service` and its data folder."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.settings = service.settings

    # chat -------------------------------------------------------------------------------------
    def stage(self, question: str, turns: list[Turn]) -> tuple[str, list[Turn]]:
        """Show the question at once (before the queue), cleaned as the engine cleans it; refuse a bad one."""
        try:
            question = clean_question(question or "", self.settings.max_question_chars)
        except QAError as exc:
            raise gr.Error(
                html.escape(str(exc), quote=False), title="Nothing to ask", print_exception=False
            ) from None
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
        return chat_html(turns), turns

    def respond(self, turns: list[Turn], top_k: float, mode: str) -> Iterator[tuple[str, str, list[Turn]]]:
        """Stream the draft of the last staged question, then replace it with the verified answer."""
        turns = [dict(t) for t in turns]
        if not turns or turns[-1].get("record") or turns[-1].get("answer"):
            yield chat_html(turns), sources_html(turns), turns
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
                    yield chat_html(turns), sources_html(turns), turns
        except Exception as exc:
            message = _user_message(exc)
            gr.Warning(html.escape(message, quote=False))
            turn.update(bubble=render.error_bubble(message), sources=None, answer="", record=None)
        yield chat_html(turns), sources_html(turns), turns

    @staticmethod
    def clear() -> tuple[str, str, list[Turn]]:
        return chat_html([]), sources_html([]), []

    def rate(self, rating: str, turns: list[Turn]) -> str:
        """Record 👍/👎 for the last answer of the chat."""
        record = turns[-1].get("record") if turns else None
        if not record:
            gr.Warning("There is no answer to rate yet. Ask a question first.")
            return ""
        self.feedback(rating, record)
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
        """Rate an answer object (as /ask returns it, or a chat turn's record): rating "up" or "down".
        The one path every rating takes; returns a confirmation."""
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

    # relations --------------------------------------------------------------------------------
    def relations(self, relation: str | None, entity: str | None) -> str:
        """The Relations tab for a relation ('all' or empty: every one) and an entity (empty: any)."""
        from vectorstore.edge import RELATIONS

        picked = relation if relation in RELATIONS else None
        if relation not in (None, "", "all") and picked is None:
            raise gr.Error(html.escape(f"Unknown relation {relation!r}.", quote=False), print_exception=False)
        name = (entity or "").strip()[:200] or None
        try:
            groups = self.service.relation_groups(picked, name)
        except Exception as exc:
            raise _toast_error(exc) from None
        limit = self.settings.relation_graph
        note = ""
        if not groups and not self.service.documents():
            note = "No documents yet: upload articles in the Documents tab."
        caption = " · ".join([picked or "all relations", *([f"involving {name}"] if name else [])])
        return relations_view.page(groups[:limit], len(groups), self.service.doc_text, note, caption)

    # documents --------------------------------------------------------------------------------
    def documents_view(self) -> tuple[list[list[Any]], Any, str]:
        try:
            return (
                _doc_rows(self.service),
                gr.update(choices=_doc_choices(self.service), value=None),
                header_html(self.service),
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
