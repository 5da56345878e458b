"""The messages the model sees: fixed instructions first, then quoted evidence and the question.

Instructions come first and never change, so llama.cpp reuses their cached prompt state between
questions. Evidence is data inside a delimited block, stripped of anything that looks like our own
markers or role tags; nothing in it is an instruction. Short on purpose (see `evidence.py`).
"""

from __future__ import annotations

import hashlib
import re

from vectorstore.passage import Passage

SYSTEM = (
    "You answer questions about news articles using only the numbered sources. "
    "Write one or two short sentences. Copy facts exactly from the sources. "
    "End each sentence with the number of its source in brackets, like [1]. "
    "If the sources do not answer the question, reply exactly: The documents don't say."
)
_NOISE = re.compile(r"\[\d+\]|<\|[^|>]*\|>|<start_of_turn>|<end_of_turn>|</?s>|\s+")


def _clean(text: str) -> str:
    """One line of quoted text: no markers, no chat-template tokens, no newlines."""
    return _NOISE.sub(lambda m: " " if m.group().isspace() else "", text).strip()


def messages(question: str, evidence: dict[int, Passage]) -> list[tuple[str, str]]:
    """(role, content) pairs; the backend applies the model's own chat template."""
    sources = "\n".join(f"[{n}] {_clean(s.text)}" for n, s in evidence.items())
    user = f"Sources:\n<<<\n{sources}\n>>>\n\nQuestion: {_clean(question)}"
    return [("system", SYSTEM), ("user", user)]


def prompt_hash() -> str:
    """Identifies the prompt wording in evaluation manifests."""
    return hashlib.sha256(SYSTEM.encode("utf-8")).hexdigest()[:12]
