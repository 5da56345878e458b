"""The answering object: question (+ history) in, verified and cited answer out, streamed.

Flow: condense -> retrieve -> select evidence -> decide whether the evidence can answer -> generate
(streamed) -> verify each sentence as soon as it ends -> cite. The model only phrases: which claims
survive and what they cite is decided here, by code testable without a model. When the model's
output is unusable the answer falls back to quoting evidence; when the evidence does not cover the
question the answer says so. Built once (see `wiring.py`); knows nothing of Chroma or llama.cpp.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from qa import condense, evidence, prompt
from qa.abstain import should_abstain
from qa.cite import complete_prefix, renumber, split_draft, with_markers
from qa.errors import InputError, ModelError, QAError
from qa.result import Answer, Citation, Event, Final, Mode, Retrieved, Settled, Token
from qa.retrieve import Hit, HybridRetriever
from qa.terms import content_words
from qa.verify import Support, best_support

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

ABSTAIN_TEXT = "The documents don't say."
_REFUSAL = re.compile(
    r"(documents|sources|context|text)\s+(do not|don't|does not|doesn't)\s+(say|mention|contain|provide)",
    re.I,
)
_MARKER_VARIANTS = re.compile(r"\[\s*(?:source|src|doc)?\s*#?\s*(\d{1,3})\s*\]|【(\d{1,3})】", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0, DEL and C1 (e.g. \x9b, a terminal CSI)
EXTRACTIVE_SENTENCES = 2  # quoted when extracting; set on eval/gold.jsonl (see README)
MAX_MODEL_SENTENCES = 2  # the prompt asks for one or two; generation stops once two are verified


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    return float(sum(x * y for x, y in zip(a, b, strict=False)))  # vectors are normalized


class Answerer:
    def __init__(
        self,
        retriever: HybridRetriever,
        llm: LLM | None,
        *,
        model_name: str,
        max_evidence: int,
        min_key_coverage: float,
        answer_mode: str,
        max_question_chars: int,
        doc_text: Callable[[str], str],
        llm_error: QAError | None = None,
    ) -> None:
        self.retriever = retriever
        self.llm = llm
        self.llm_error = llm_error  # why there is no model, raised only when a generative answer is asked
        self.model_name = model_name
        self.max_evidence = max_evidence
        self.min_key_coverage = min_key_coverage
        self.answer_mode = answer_mode
        self.max_question_chars = max_question_chars
        self.doc_text = lru_cache(maxsize=1024)(doc_text)
        self._model_lock = threading.Lock()  # one generation at a time: llama.cpp state is not thread-safe

    # --- public API ------------------------------------------------------------------------
    def answer(self, question: str, history: Sequence[Any] | None = None, **options: Any) -> Answer:
        """The verified answer (the last event of `stream`); options as for `stream`."""
        final = None
        for event in self.stream(question, history, **options):
            if isinstance(event, Final):
                final = event.answer
        assert final is not None
        return final

    def refresh(self) -> None:
        """Re-read the store after documents were added, changed or removed."""
        self.doc_text.cache_clear()
        self.retriever.refresh(force=True)

    def stream(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        *,
        answer_mode: str | None = None,
        top_k: int | None = None,
    ) -> Iterator[Event]:
        """Draft tokens, then each sentence's verdict, then always a `Final` with the verified answer.

        `answer_mode` and `top_k` override the defaults for this question only (safe under concurrency).
        """
        clock = _Clock()
        question = clean_question(question, self.max_question_chars)
        mode = answer_mode or self.answer_mode
        if mode == "generative" and self.llm is None and self.llm_error is not None:
            raise self.llm_error
        standalone = condense.standalone(question, history)
        vec = self.retriever.embed_query(standalone)
        hits = self.retriever.retrieve(standalone, vec, top_k=top_k)
        clock.lap("retrieve")
        ranked = self._rank(standalone, vec, hits)
        numbered = evidence.number(ranked, self.max_evidence)
        clock.lap("evidence")
        base = {"question": question, "standalone_question": standalone, "retrieved": _retrieved(hits)}
        texts = [s.text for s in numbered.values()]
        if should_abstain(standalone, texts, self.retriever.weights, self.min_key_coverage):
            yield Final(self._finish(base, ABSTAIN_TEXT, "abstain", [], clock))
            return
        if mode == "extractive" or self.llm is None:
            yield Final(self._extractive(base, numbered, clock))
            return
        yield from self._generate(base, numbered, clock)

    # --- steps -----------------------------------------------------------------------------
    def _rank(self, question: str, vec: list[float], hits: list[Hit]) -> list[evidence.Sentence]:
        chunk_hits = [evidence.ChunkHit(h.doc_id, h.title, h.date, h.sentences) for h in hits]
        pool = evidence.candidates(chunk_hits, self.doc_text)
        if not pool:
            return []
        vectors = self.retriever.embedder.get_text_embedding_batch([s.text for s in pool])
        sims = [_cosine(vec, v) for v in vectors]
        return evidence.rank(content_words(question), pool, self.retriever.weights, sims)

    def _extractive(
        self, base: dict[str, Any], numbered: dict[int, evidence.Sentence], clock: _Clock
    ) -> Answer:
        picked = list(numbered)[:EXTRACTIVE_SENTENCES]
        sentences = [(numbered[n].text, [n], Support(True, 1.0, "quoted verbatim")) for n in picked]
        return self._finish(base, "", "extractive", sentences, clock, numbered)

    def _generate(
        self, base: dict[str, Any], numbered: dict[int, evidence.Sentence], clock: _Clock
    ) -> Iterator[Event]:
        evidence_text = {n: s.text for n, s in numbered.items()}
        asked = content_words(base["standalone_question"])
        kept: list[tuple[str, list[int], Support]] = []
        dropped: list[tuple[str, Support]] = []
        seen: set[str] = set()
        draft = ""
        settled_upto = 0
        verify_s = 0.0
        refused = False
        for piece in self._tokens(prompt.messages(base["standalone_question"], numbered)):
            clock.first_token()
            draft += piece
            yield Token(piece)
            done, _ = complete_prefix(_normalize_markers(draft))
            if len(done) > settled_upto:
                t = time.perf_counter()
                for s in split_draft(done[settled_upto:]):
                    event, refused_now = self._settle(
                        s.text, list(s.cited), evidence_text, asked, kept, seen, dropped
                    )
                    refused |= refused_now
                    if event:
                        yield event
                verify_s += time.perf_counter() - t
                settled_upto = len(done)
            if len(kept) >= MAX_MODEL_SENTENCES or len(seen) > 6 or _looping(draft):
                break  # enough said, or a loop or a ramble: what is settled so far is all we keep
        t = time.perf_counter()
        for s in split_draft(_normalize_markers(draft)[settled_upto:]):
            event, refused_now = self._settle(
                s.text, list(s.cited), evidence_text, asked, kept, seen, dropped
            )
            refused |= refused_now
            if event:
                yield event
        clock.add("verify", verify_s + time.perf_counter() - t)
        clock.lap("generate", minus=("verify",))
        if kept:
            # The model's sentences hold; the best evidence goes along verbatim, since the eval shows
            # tiny models often leave out the very fact asked for (see README: answer policy).
            said = set().union(*(content_words(text) for text, _, _ in kept))
            kept += [
                (numbered[n].text, [n], Support(True, 1.0, "quoted verbatim"))
                for n in list(numbered)[:EXTRACTIVE_SENTENCES]
                if not _conveyed(numbered[n].text, said)
            ]
            answer = self._finish(base, draft, "generative", kept, clock, numbered)
        else:  # empty, refusing, repetitive or unsupported output (an invented figure too): quote instead
            answer = self._extractive({**base, "draft": draft}, numbered, clock)
        answer.dropped = [text for text, _ in dropped]
        yield Final(answer)

    def _settle(
        self,
        text: str,
        cited: list[int],
        evidence_text: dict[int, str],
        asked: set[str],
        kept: list[tuple[str, list[int], Support]],
        seen: set[str],
        dropped: list[tuple[str, Support]],
    ) -> tuple[Settled | None, bool]:
        key = " ".join(sorted(content_words(text)))
        if _REFUSAL.search(text):
            return Settled(text, False, []), True
        if key in seen:
            return None, False  # a repeated sentence: drop silently
        seen.add(key)
        if text.rstrip().endswith("?") or len(content_words(text) - asked) < 2:
            dropped.append((text, Support(False, 0.0, "restates the question")))
            return Settled(text, False, []), False
        numbers, verdict = best_support(text, cited, evidence_text)
        if numbers:
            kept.append((text, numbers, verdict))
        else:
            dropped.append((text, verdict))
        return Settled(text, bool(numbers), []), False

    def _tokens(self, messages: list[tuple[str, str]]) -> Iterator[str]:
        from llama_index.core.llms import ChatMessage

        assert self.llm is not None
        chat = [ChatMessage(role=role, content=content) for role, content in messages]
        hint = "Check the model settings (QA_LLM_BACKEND, QA_MODEL, QA_OPENAI_BASE_URL) and that the server is running."
        with self._model_lock:
            chunks = 0
            try:
                for chunk in self.llm.stream_chat(chat):
                    chunks += 1
                    if chunk.delta:
                        yield chunk.delta
            except QAError:
                raise
            except Exception as exc:
                raise ModelError(
                    f"The language model ({self.model_name}) failed: {type(exc).__name__}: {str(exc)[:300]}",
                    hint,
                ) from None
            if not chunks:  # both backends send at least a closing chunk; none means a malformed reply
                raise ModelError(
                    f"The language model ({self.model_name}) sent no reply (not an OpenAI-compatible stream?).",
                    hint,
                )

    def _finish(
        self,
        base: dict[str, Any],
        draft: str,
        mode: Mode,
        sentences: list[tuple[str, list[int], Support]],
        clock: _Clock,
        numbered: dict[int, evidence.Sentence] | None = None,
    ) -> Answer:
        """Renumber citations 1..n by first use and build the final answer object."""
        per_sentence, order = renumber([nums for _, nums, _ in sentences])
        text = " ".join(
            with_markers(s, nums) for (s, _, _), nums in zip(sentences, per_sentence, strict=True)
        )
        support: dict[int, float] = {}
        for _, nums, verdict in sentences:
            for e in nums:
                support[e] = max(support.get(e, 0.0), verdict.score)
        citations = []
        for i, e in enumerate(order, start=1):
            s = (numbered or {})[e]
            citations.append(
                Citation(i, s.doc_id, s.title, s.text, s.start, s.end, round(support[e], 3), s.date)
            )
        clock.finish()
        return Answer(
            question=base["question"],
            standalone_question=base["standalone_question"],
            answer=text or ABSTAIN_TEXT,
            abstained=mode == "abstain",
            mode=mode,
            citations=citations,
            retrieved=base["retrieved"],
            timings_ms=clock.ms,
            model=self.model_name,
            draft=base.get("draft", draft),
        )


def clean_question(question: str, max_chars: int) -> str:
    """The question with control characters and runs of whitespace removed; refuses empty or huge ones."""
    if not isinstance(question, str) or not question.strip():
        raise InputError("The question is empty.", "Type a question about the documents.")
    if len(question) > max_chars:
        raise InputError(
            f"The question is {len(question):,} characters long; the limit is {max_chars:,}.",
            "Shorten it (or raise QA_MAX_QUESTION_CHARS).",
        )
    cleaned = " ".join(_CONTROL.sub(" ", question).split())
    if not cleaned:
        raise InputError("The question has no readable text.", "Type a question about the documents.")
    return cleaned


def _retrieved(hits: list[Hit]) -> list[Retrieved]:
    return [
        Retrieved(
            h.doc_id,
            h.chunk_id,
            round(h.score, 6),
            h.text,
            h.title,
            int(h.meta.get("start", 0)),
            int(h.meta.get("end", 0)),
        )
        for h in hits
    ]


def _conveyed(text: str, said: set[str], share: float = 0.9) -> bool:
    """True when the answer's sentences already contain nearly all of `text`'s content words."""
    words = content_words(text)
    return bool(words) and len(words & said) / len(words) >= share


def _normalize_markers(text: str) -> str:
    """'[Source 2]', '[ 2 ]', '【2】' -> '[2]': small models rarely write the marker exactly."""
    return _MARKER_VARIANTS.sub(lambda m: f"[{m.group(1) or m.group(2)}]", text)


def _looping(draft: str, n: int = 6) -> bool:
    """True when the last `n` words already occurred earlier in the draft (a repetition loop)."""
    words = draft.split()
    if len(words) < 3 * n:
        return False
    tail = " ".join(words[-n:])
    return " ".join(words[:-n]).count(tail) >= 1


class _Clock:
    """Per-stage wall-clock timings in milliseconds."""

    def __init__(self) -> None:
        self.t0 = self.last = time.perf_counter()
        self.ms: dict[str, float] = {
            "retrieve": 0.0,
            "evidence": 0.0,
            "generate": 0.0,
            "verify": 0.0,
            "first_token": 0.0,
            "total": 0.0,
        }

    def lap(self, stage: str, minus: tuple[str, ...] = ()) -> None:
        now = time.perf_counter()
        self.ms[stage] = round((now - self.last) * 1000 - sum(self.ms[m] for m in minus), 2)
        self.last = now

    def add(self, stage: str, seconds: float) -> None:
        self.ms[stage] = round(self.ms[stage] + seconds * 1000, 2)

    def first_token(self) -> None:
        if not self.ms["first_token"]:
            self.ms["first_token"] = round((time.perf_counter() - self.t0) * 1000, 2)

    def finish(self) -> None:
        self.ms["total"] = round((time.perf_counter() - self.t0) * 1000, 2)
        if not self.ms["first_token"]:
            self.ms["first_token"] = self.ms["total"]
