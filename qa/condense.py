"""Turn a follow-up question into a standalone one, using the conversation so far.

Done without the model: the tiny bundled models rewrite questions unreliably (they answer them
instead). A question that leans on context (pronouns, "and ...", "what about ...", very short)
gets the previous question attached, and both are used for retrieval; a self-contained question
is left alone. The rewrite is shown to the user so nothing is hidden.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

FOLLOWING_UP = " (following up on: "  # joins a follow-up to the question it leans on
_FOLLOW_UP = re.compile(
    r"^\s*(and|but|also|so|what about|how about|then)\b"
    r"|\b(they|them|their|it|its|he|him|his|she|her|this|that|these|those|there|the same|the other|"
    r"the second|the first|the last|the former|the latter|that one|it's)\b",
    re.IGNORECASE,
)


def is_follow_up(question: str) -> bool:
    return bool(_FOLLOW_UP.search(question)) or len(question.split()) <= 2


def previous_question(history: Sequence[Any]) -> str:
    """The last thing the user asked, from `{"role", "content"}` dicts or (role, content) pairs."""
    for turn in reversed(history or []):
        if isinstance(turn, dict):
            role, content = turn.get("role"), turn.get("content")
        elif isinstance(turn, list | tuple) and len(turn) == 2:
            role, content = turn
        else:
            continue  # not a turn (an API client sent junk): ignored
        if role == "user" and str(content).strip():
            return " ".join(str(content).split())
    return ""


def standalone(question: str, history: Sequence[Any] | None) -> str:
    """The question to retrieve with: itself, or itself plus the question it follows up."""
    question = " ".join(question.split())
    before = previous_question(history or [])
    if not before or not is_follow_up(question):
        return question
    return f"{question.rstrip('?')}{FOLLOWING_UP}{before.rstrip('?')})?"


def own_words(standalone_question: str) -> str:
    """The user's own question inside a standalone one, without the earlier question attached to it."""
    return standalone_question.split(FOLLOWING_UP, 1)[0]
