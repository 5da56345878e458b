"""Verify a model's draft while it streams: each sentence is settled (kept with its citations, or
dropped) as soon as it ends, so the UI can show verdicts before the model is done.

A sentence is dropped when it refuses, restates the question, repeats an earlier sentence, is not
supported by one article's evidence it cites (nor by other evidence it can be re-cited to:
`verify.py`, with what the parse says of it: `reading.py`), or says who did what to whom the other
way round from it (`direction.py`).
`enough` tells the caller to stop generating: two supported sentences, a ramble, or a loop.
It decides nothing about what the answer quotes besides the model's sentences (the engine does).
"""

from __future__ import annotations

import re
import time

from qa.cite import complete_prefix, split_draft
from qa.reading import Reading
from qa.result import Settled
from qa.terms import content_words
from qa.verify import Support, best_support

MAX_MODEL_SENTENCES = 2  # the prompt asks for one or two; generation stops once two are verified
MAX_DISTINCT_SENTENCES = 6  # more than this many settled sentences is a ramble, not an answer
_REFUSAL = re.compile(
    r"(documents|sources|context|text)\s+(do not|don't|does not|doesn't)\s+(say|mention|contain|provide)",
    re.I,
)
_MARKER_VARIANTS = re.compile(r"\[\s*(?:source|src|doc)?\s*#?\s*(\d{1,3})\s*\]|【(\d{1,3})】", re.I)

Kept = tuple[str, list[int], Support]  # a sentence, the evidence numbers it cites, the verdict


class DraftVerifier:
    """Feed it the model's tokens; it returns the sentences each token settles."""

    def __init__(
        self,
        evidence_text: dict[int, str],
        documents: dict[int, str],
        asked: set[str],
        reading: Reading | None = None,
    ) -> None:
        self.evidence_text = evidence_text  # evidence number -> sentence text
        self.documents = documents  # evidence number -> its document id (support is judged per document)
        self.reading = reading or Reading()
        self.asked = asked  # the question's content words: a sentence must add to them
        self.draft = ""
        self.kept: list[Kept] = []
        self.dropped: list[tuple[str, Support]] = []
        self.seconds = 0.0  # time spent verifying (the rest of generation is the model's)
        self._seen: set[str] = set()
        self._settled_upto = 0  # characters of the normalized draft already settled

    def feed(self, token: str) -> list[Settled]:
        """Add a token; the verdicts on the sentences it completed."""
        self.draft += token
        done, _ = complete_prefix(normalize_markers(self.draft))
        if len(done) <= self._settled_upto:
            return []
        return self._settle_all(done)

    def close(self) -> list[Settled]:
        """The model stopped: settle what is left, but not a sentence it stopped in the middle of (cut
        off by the token limit, or by `enough`): "... it seems to me that Putin is a" says nothing."""
        normalized = normalize_markers(self.draft)
        done, rest = complete_prefix(normalized)
        return self._settle_all(normalized if finished(rest) else done)

    @property
    def enough(self) -> bool:
        """True when generating more cannot help: enough said, a ramble, or a repetition loop."""
        return (
            len(self.kept) >= MAX_MODEL_SENTENCES
            or len(self._seen) > MAX_DISTINCT_SENTENCES
            or looping(self.draft)
        )

    def _settle_all(self, normalized: str) -> list[Settled]:
        t = time.perf_counter()
        events = [
            event
            for s in split_draft(normalized[self._settled_upto :])
            if (event := self._settle(s.text, list(s.cited))) is not None
        ]
        self._settled_upto = len(normalized)
        self.seconds += time.perf_counter() - t
        return events

    def _settle(self, text: str, cited: list[int]) -> Settled | None:
        if _REFUSAL.search(text):
            return Settled(text, False, [])
        key = " ".join(sorted(content_words(text)))
        if key in self._seen:
            return None  # a repeated sentence: drop silently
        self._seen.add(key)
        if text.rstrip().endswith("?") or len(content_words(text) - self.asked) < 2:
            self.dropped.append((text, Support(False, 0.0, "restates the question")))
            return Settled(text, False, [])
        numbers, verdict = best_support(
            text, cited, self.evidence_text, self.documents, self.reading.facts(text)
        )
        if numbers and self.reading.reverses(text, [self.evidence_text[n] for n in numbers]):
            numbers, verdict = [], Support(False, 0.0, "the source says who did what the other way round")
        if numbers:
            self.kept.append((text, numbers, verdict))
        else:
            self.dropped.append((text, verdict))
        return Settled(text, bool(numbers), [])


_ENDED = re.compile(r"(?:[.!?…][\"'”’)]*|\])$")  # a sentence's end, or its last marker: "Kyiv [1]"


def finished(rest: str) -> bool:
    """Does the draft's unsettled rest end as a sentence does (or is there none)?"""
    return not rest.strip() or _ENDED.search(rest.strip()) is not None


def normalize_markers(text: str) -> str:
    """'[Source 2]', '[ 2 ]', '【2】' -> '[2]': small models rarely write the marker exactly."""
    return _MARKER_VARIANTS.sub(lambda m: f"[{m.group(1) or m.group(2)}]", text)


def looping(draft: str, n: int = 6) -> bool:
    """True when the last `n` words already occurred earlier in the draft (a repetition loop)."""
    words = draft.split()
    if len(words) < 3 * n:
        return False
    tail = " ".join(words[-n:])
    return " ".join(words[:-n]).count(tail) >= 1
