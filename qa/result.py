"""Typed answer objects and stream events; `Answer.to_json()` is the `qa ask --json` contract.

Deliberately free of logic: building these is the engine's job, rendering them the CLI's and UI's.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Mode = Literal["generative", "extractive", "abstain"]


@dataclass(frozen=True)
class Citation:
    """One numbered citation: `quote` is exactly the document text at `[start, end)`."""

    n: int
    doc_id: str
    title: str
    quote: str
    start: int
    end: int
    support: float
    date: str = ""


@dataclass(frozen=True)
class Retrieved:
    """A chunk the retriever returned, with its fused score."""

    doc_id: str
    chunk_id: str
    score: float
    text: str
    title: str = ""
    start: int = 0
    end: int = 0


@dataclass
class Answer:
    """The verified answer: every `[n]` in `answer` has a `Citation` with that `n`."""

    question: str
    standalone_question: str
    answer: str
    abstained: bool
    mode: Mode
    citations: list[Citation]
    retrieved: list[Retrieved]
    timings_ms: dict[str, float]
    model: str
    draft: str = ""  # the model's raw text, kept for debugging and evaluation
    dropped: list[str] = field(default_factory=list)  # draft sentences removed as unsupported
    abstain_reason: str = ""  # why the evidence could not answer (set when `abstained`)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "answer": self.answer,
            "abstained": self.abstained,
            "mode": self.mode,
            "citations": [
                {k: v for k, v in asdict(c).items() if k != "date"} | {"date": c.date} for c in self.citations
            ],
            "retrieved": [
                {"doc_id": r.doc_id, "chunk_id": r.chunk_id, "score": r.score, "text": r.text}
                for r in self.retrieved
            ],
            "timings_ms": self.timings_ms,
            "model": self.model,
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
