"""Turn a follow-up question into a standalone one, using the conversation so far.

Done without the model: the tiny bundled models rewrite questions unreliably (they answer them
instead). With a parser (`nlp`), a pronoun is replaced by the entity of matching type that the
conversation mentioned last ("When did he ..." after "John Kirby, the White House spokesman" ->
"When did John Kirby ..."), and a question that names what its pronouns refer to is left alone
even if it says "it" or "the first". Otherwise, or when no entity fits, a question that leans on
context (pronouns, "and ...", "what about ...", very short) gets the previous question attached.
The rewrite is shown to the user so nothing is hidden.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from qa.terms import strip_markers

FOLLOWING_UP = " (following up on: "  # joins a follow-up to the question it leans on
_LEANS_ON = r"^\s*(and|but|also|so|what about|how about|then)\b"  # "and when ...", "what about ..."
_FOLLOW_UP = re.compile(
    _LEANS_ON
    + r"|\b(they|them|their|it|its|he|him|his|she|her|this|that|these|those|there|the same|the other|"
    r"the second|the first|the last|the former|the latter|that one|it's)\b",
    re.IGNORECASE,
)


def is_follow_up(question: str) -> bool:
    return bool(_FOLLOW_UP.search(question)) or len(question.split()) <= 2


def _turns(history: Sequence[Any]) -> Iterator[tuple[Any, str]]:
    """(role, content) of each turn, newest first, from `{"role", "content"}` dicts or (role, content)
    pairs; what is not a turn (an API client sent junk) and empty turns are skipped."""
    for turn in reversed(history or []):
        if isinstance(turn, dict):
            role, content = turn.get("role"), turn.get("content")
        elif isinstance(turn, list | tuple) and len(turn) == 2:
            role, content = turn
        else:
            continue
        if str(content).strip():
            yield role, str(content)


def previous_question(history: Sequence[Any]) -> str:
    """The last thing the user asked."""
    return next((" ".join(c.split()) for role, c in _turns(history) if role == "user"), "")


# Which entities a pronoun can stand for (spaCy labels), and whether it is possessive.
_PRONOUNS: dict[str, tuple[tuple[str, ...], bool]] = {
    **{w: (("PERSON",), False) for w in ("he", "him", "she")},
    **{w: (("PERSON",), True) for w in ("his", "her")},
    **{w: (("ORG", "GPE", "PERSON", "NORP"), False) for w in ("they", "them")},
    "their": (("ORG", "GPE", "PERSON", "NORP"), True),
    "it": (("ORG", "GPE", "FAC", "PRODUCT", "EVENT", "LAW", "LOC"), False),
    "its": (("ORG", "GPE", "FAC", "PRODUCT", "EVENT", "LAW", "LOC"), True),
    "there": (("GPE", "LOC", "FAC"), False),
}
_DEMONSTRATIVE = frozenset({"that", "this", "these", "those"})


def standalone(question: str, history: Sequence[Any] | None, nlp: Any = None) -> str:
    """The question to retrieve with: itself, it with its pronouns resolved from the conversation, or
    itself plus the question it follows up."""
    question = " ".join(question.split())
    before = previous_question(history or [])
    if not before:
        return question
    if nlp is not None:
        resolved = resolve(nlp(question), [nlp(strip_markers(t)) for t in recent_turns(history or [])])
        if resolved is not None:
            return resolved
    if not is_follow_up(question):
        return question
    return f"{question.rstrip('?')}{FOLLOWING_UP}{before.rstrip('?')})?"


def recent_turns(history: Sequence[Any], n: int = 2) -> list[str]:
    """The last `n` turns' texts, newest first."""
    return [content for _, content in _turns(history)][:n]


def resolve(question: Any, turns: Sequence[Any]) -> str | None:
    """The question (a spaCy Doc) with each pronoun replaced by the entity it refers to; the question
    unchanged when it names its own referents; None when it leans on context no entity resolves
    ("that figure", "and what about ...")."""
    pronouns = [t for t in question if t.lower_ in _PRONOUNS and t.dep_ != "expl"]
    own = {e.label_ for e in question.ents}
    if any(t.lower_ in _DEMONSTRATIVE and t.dep_ == "det" for t in question) or is_follow_up_start(
        question.text
    ):
        return None
    if not pronouns:
        return question.text if own or any(t.pos_ == "PROPN" for t in question) else None
    out = question.text
    for token in reversed(pronouns):  # right to left, so earlier offsets stay valid
        labels, possessive = _PRONOUNS[token.lower_]
        if own & set(labels):
            continue  # "When did the first Iranian drones arrive in Russia?": its own referent
        referent = _last_mention(turns, labels)
        if referent is None:
            return None
        text = f"{referent}'s" if possessive else f"in {referent}" if token.lower_ == "there" else referent
        out = out[: token.idx] + text + out[token.idx + len(token.text) :]
    return out


def _last_mention(turns: Sequence[Any], labels: tuple[str, ...]) -> str | None:
    """The entity of one of `labels` (preferred first) in the newest turn that has one: the subject
    if it is one, else the first mentioned (answers name the actor first: "The EU sanctioned ...");
    people joined by "and" are one plural referent ("Raisi and Amirabdollahian")."""
    for doc in turns:
        for label in labels:
            found = [e for e in doc.ents if e.label_ == label]
            if not found:
                continue
            subject = next((e for e in found if e.root.dep_ in {"nsubj", "nsubjpass"}), found[0])
            joined = [
                e for e in found if e is subject or (e.root.head == subject.root and e.root.dep_ == "conj")
            ]
            return (
                " and ".join(e.text for e in joined)
                if len(joined) > 1 and labels[0] != "PERSON"
                else subject.text
            )
    return None


def is_follow_up_start(question: str) -> bool:
    return bool(re.match(_LEANS_ON, question, re.IGNORECASE))


def own_words(standalone_question: str) -> str:
    """The user's own question inside a standalone one, without the earlier question attached to it."""
    return standalone_question.split(FOLLOWING_UP, 1)[0]
