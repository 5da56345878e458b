"""What a parse of a model sentence tells the verifier that the sentence's words cannot.

- `facts`: does the sentence open with a proper noun ("Britain sanctioned ..." is no "The ..."),
  and which superlatives and ordinals it uses ("largest", "first"): `verify.SentenceFacts`;
- `reverses`: does it turn round who did what to whom in the sentences it cites (`direction.py`).
The default `Reading` knows nothing (the lexical checks alone); `parsed` reads with the engine's
spaCy pipeline, under the lock every user of that pipeline holds.
Deliberately not here: the checks themselves (`verify.py`, `direction.py`) and when they run (`draft.py`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa import direction
from qa.verify import SentenceFacts

if TYPE_CHECKING:
    from spacy.language import Language

_DEGREE_TAGS = frozenset(["JJS", "RBS"])  # superlatives: "the largest attack", "most"
# Ordinals are a closed class; the recogniser often reads them into a date ("the second night").
_ORDINALS = frozenset(
    [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "last",
        "final",
    ]
)


@dataclass(frozen=True)
class Reading:
    """The two readings the verifier asks for; the default says nothing (no parse)."""

    facts: Callable[[str], SentenceFacts] = lambda sentence: SentenceFacts()
    reverses: Callable[[str, list[str]], bool] = lambda sentence, sources: False


def parsed(nlp: Language, lock: threading.Lock) -> Reading:
    """The reading of the spaCy pipeline `nlp` (one parse per sentence for its facts)."""

    def facts(sentence: str) -> SentenceFacts:
        with lock:
            doc = nlp(sentence)
        first = next((t for t in doc if not (t.is_punct or t.is_space)), None)
        degree = frozenset(
            t.text.lower()
            for t in doc
            if t.tag_ in _DEGREE_TAGS or t.lower_ in _ORDINALS or (t.ent_type_ == "ORDINAL" and t.is_alpha)
        )
        return SentenceFacts(first is not None and first.pos_ == "PROPN", degree)

    def reverses(sentence: str, sources: list[str]) -> bool:
        with lock:
            return direction.reversed_claim(sentence, sources, nlp) is not None

    return Reading(facts, reverses)
