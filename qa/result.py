"""Typed answer objects and stream events; `Answer.to_json()` is the `qa ask --json` contract.

Deliberately free of logic: building these is the engine's job, rendering them the CLI's and UI's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from vectorstore.passage import Passage  # re-exported: the answer contract speaks of passages

Mode = Literal["generative", "extractive", "abstain", "relations"]  # relations: lines from the edge index


@dataclass(frozen=True)
class Citation:
    """One numbered citation of an evidence passage: `quote` is exactly the document text at `[start, end)`."""

    n: int
    passage: Passage
    support: float  # the verifier's score for the sentences that cite it

    @property
    def doc_id(self) -> str:
        return self.passage.doc_id

    @property
    def title(self) -> str:
        return self.passage.title

    @property
    def quote(self) -> str:
        return self.passage.text

    @property
    def start(self) -> int:
        return self.passage.start

    @property
    def end(self) -> int:
        return self.passage.end

    @property
    def date(self) -> str:
        return self.passage.date

    def to_json(self) -> dict[str, Any]:
        keys = ("n", "doc_id", "title", "quote", "start", "end", "support", "date")
        return {k: getattr(self, k) for k in keys}


@dataclass
class Answer:
    """The verified answer: every `[n]` in `answer` has a `Citation` with that `n`."""

    question: str
    standalone_question: str
    answer: str
    abstained: bool
    mode: Mode
    citations: list[Citation]
    retrieved: list[Passage]  # the retrieved chunks, `score` their fused rank score
    timings_ms: dict[str, float]
    model: str
    draft: str = ""  # the model's raw text, kept for debugging and evaluation
    dropped: list[str] = field(default_factory=list)  # draft sentences removed as unsupported
    abstain_reason: str = ""  # why the evidence could not answer (set when `abstained`)
    note: str = ""  # what else the reader should know ("8 of 23 relation groups")
    # the question's words the answering passage leaves out, when it leaves out too many: check the
    # quote (`qa/confidence.py`; empty for a well-covered answer, an abstention or relation lines)
    unmatched: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "answer": self.answer,
            "abstained": self.abstained,
            "mode": self.mode,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [
                {"doc_id": r.doc_id, "chunk_id": r.chunk_id, "score": r.score, "text": r.text}
                for r in self.retrieved
            ],
            "timings_ms": self.timings_ms,
            "model": self.model,
            "unmatched": self.unmatched,
            **({"note": self.note} if self.note else {}),
        }


@dataclass(frozen=True)
class Token:
    """A piece of the model's draft, as it is produced (unverified)."""

    text: str


@dataclass(frozen=True)
class Settled:
    """A draft sentence whose fate is decided: kept (with citations) or dropped."""

    text: str
    kept: bool
    citations: list[Citation]


@dataclass(frozen=True)
class Final:
    """The last event of every stream: the verified answer that replaces any draft shown."""

    answer: Answer


Event = Token | Settled | Final
__all__ = ["Answer", "Citation", "Event", "Final", "Mode", "Passage", "Settled", "Token"]
