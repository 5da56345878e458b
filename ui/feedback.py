"""Append a 👍/👎 rating of an answer to `<data_dir>/feedback.jsonl`, one JSON object per line.

Each line is `{ts, question, answer, citations, rating}` with rating "up" or "down"; lines are written
whole under a lock so concurrent ratings never interleave. This module only records: it does not read
feedback back, aggregate it or change any answer.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qa.errors import InputError

RATINGS = ("up", "down")
FILE_NAME = "feedback.jsonl"
_CITATION_KEYS = ("n", "doc_id", "title", "quote", "start", "end")
_lock = threading.Lock()


def entry(question: str, answer: str, citations: Sequence[Mapping[str, Any]], rating: str) -> dict[str, Any]:
    """The JSON object for one rating; `InputError` on a bad rating or a missing answer."""
    if rating not in RATINGS:
        raise InputError(f"Unknown rating {rating!r}.", "Use 'up' or 'down'.")
    if not str(answer).strip():
        raise InputError("There is no answer to rate yet.", "Ask a question first.")
    return {
        "ts": datetime.now(UTC).isoformat(timespec="seconds"),
        "question": str(question),
        "answer": str(answer),
        "citations": [{k: c.get(k) for k in _CITATION_KEYS if k in c} for c in citations],
        "rating": rating,
    }


def record(
    path: Path, question: str, answer: str, citations: Sequence[Mapping[str, Any]], rating: str
) -> dict[str, Any]:
    """Append one rating to the JSONL file at `path` (created with its folder if needed)."""
    line = entry(question, answer, citations, rating)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock, path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return line
