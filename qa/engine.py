"""The answering object: question (+ history) in, verified and cited answer out, streamed.

Two steps. `plan()` decides everything that comes before a model call: the standalone question
(condensed with the history), then either the lines of a who-did-what-to-whom answer from the relation
edges (`relations.py`, `relation_answer.py`; no retrieval, no model) or, per part of the question
(`parts.py`), the retrieved passages and the one that answers; then the numbered evidence, whether
to abstain (and why) and the prompt (only for answers without an answer phrase). `stream()`
then either abstains, quotes the evidence (extractive), or streams the model's draft through a
`DraftVerifier` that settles each sentence as it ends, and cites what survives. The model only
phrases: which claims survive and what they cite is decided here, by code testable without a
model. When the model's output is unusable the answer falls back to quoting evidence. Built once
(see `wiring.py`); knows nothing of Chroma or llama.cpp.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from qa import condense, confidence, evidence, naming, parts, passages, prompt, reading, relation_answer
from qa.cite import renumber, with_markers
from qa.draft import DraftVerifier, Kept
from qa.errors import InputError, ModelError, QAError
from qa.question import Question, analyse
from qa.relations import RelationIndex, matching, read_question
from qa.result import Answer, Citation, Event, Final, Mode, Token
from qa.retrieve import HybridRetriever
from qa.terms import content_words, words_of
from qa.verify import Support
from vectorstore.load import skip_ranges
from vectorstore.passage import Passage
from vectorstore.sentences import split_sentences

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

ABSTAIN_TEXT = "The documents don't say."
MODES = ("generative", "extractive")
TOP_K_RANGE = (1, 20)  # a per-question top-k (the UI slider, the /ask API) must lie in this range
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0, DEL and C1 (e.g. \x9b, a terminal CSI)
EXTRACTIVE_PASSAGES = 2  # with no answer phrase: the answering passage, topped up with evidence to this many


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    return float(sum(x * y for x, y in zip(a, b, strict=False)))  # vectors are normalized


@dataclass(frozen=True)
class Found:
    """One part of the question answered: its answer phrase and the passage it comes from."""

    answer: str  # verbatim from evidence [answer_n] ('' when no entity is wanted)
    answer_n: int
    passage: tuple[int, ...]  # the evidence numbers of the answering passage, in document order


@dataclass(frozen=True)
class Plan:
    """What is decided before any model call, for one question."""

    question: str  # as asked, cleaned
    standalone: str  # what was searched (the question, or it condensed with the history)
    mode: str  # the answer mode asked for ("generative" or "extractive")
    hits: list[Passage]  # retrieved chunks, best first
    evidence: dict[int, Passage]  # numbered evidence sentences [1]..[n]
    abstain_reason: str  # why the evidence cannot answer ('' when it may)
    messages: list[tuple[str, str]]  # the prompt (role, content); empty when no model is called
    analysis: Question | None = None  # what the question (its first part) asks for
    found: tuple[Found, ...] = ()  # the answer of each part that has one, in the question's order
    missing: tuple[str, ...] = ()  # parts of a question in parts that no passage answers
    lines: tuple[relation_answer.Line, ...] = ()  # its verified lines (evidence: their sentences)
    groups_found: int = 0  # how many groups matched (lines shows the first few)
    unmatched: tuple[str, ...] = ()  # question words an answering passage leaves out (`confidence.py`)

    @property
    def calls_model(self) -> bool:
        return bool(self.messages)


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
        nlp: Any,
        llm_error: QAError | None = None,
        rules_off: frozenset[str] = frozenset(),
        relations: RelationIndex | None = None,
        relation_lines: int = 8,
        split_parts: bool = True,
        strict_roles: bool = False,
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
        self.nlp = nlp
        self.parser = passages.Parser(nlp)
        # the "role" rule refuses only when asked for (QA_STRICT_ROLES); otherwise it only ranks
        self.rules_off = rules_off if strict_roles else rules_off | {"role"}
        self.relations = relations  # None: every question takes the ordinary path
        self.relation_lines = relation_lines
        self.split_parts = split_parts  # answer each part of a two-part question from its own passage
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
        self._spans.cache_clear()
        self.retriever.refresh(force=True)
        if self.relations is not None:
            self.relations.refresh()

    def plan(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        *,
        answer_mode: str | None = None,
        top_k: int | None = None,
        clock: Clock | None = None,
    ) -> Plan:
        """Clean and check the question and options, retrieve, pick evidence, decide on abstaining and
        build the prompt. Raises `InputError` for a bad question or option, and the model's error when
        a generative answer is asked and there is no model."""
        clock = clock or Clock()
        question = clean_question(question, self.max_question_chars)
        mode = check_mode(answer_mode or self.answer_mode)
        if top_k:
            check_top_k(top_k)
        if mode == "generative" and self.llm is None and self.llm_error is not None:
            raise self.llm_error
        with self.parser.lock:
            standalone = condense.standalone(question, history, self.nlp)
            own_doc = self.nlp(condense.own_words(standalone))  # parsed once, read three ways below
        related = self._from_relations(question, standalone, own_doc, mode, clock)
        if related is not None:
            return related
        questions = self.analyse_parts(standalone, own_doc)
        searches = [self._search(search, top_k) for _, search, _ in questions]
        clock.lap("retrieve")
        ctx = self._context()
        chosen = [
            passages.choose(analysis, ranked, ctx)
            for (_, _, analysis), (_, ranked) in zip(questions, searches, strict=True)
        ]
        more = [
            passages.choose_more(analysis, ranked, best, ctx) if best is not None and analysis.many else []
            for (_, _, analysis), (_, ranked), (best, _) in zip(questions, searches, chosen, strict=True)
        ]
        clock.lap("evidence")
        bests = [
            b
            for (best, _), extra in zip(chosen, more, strict=True)
            if best is not None
            for b in [best, *extra]
        ]
        ordered = [s for best in bests for s in best.sentences] + _interleave(
            [ranked for _, ranked in searches]
        )
        answering = sum(len(best.sentences) for best in bests)  # every part's passage gets a number
        numbered = evidence.number(_unique(ordered, _place), max(self.max_evidence, answering))
        number = {(p.doc_id, p.start): n for n, p in numbered.items()}
        found = tuple(
            Found(
                best.answer,
                number[(best.sentences[best.answer_in].doc_id, best.sentences[best.answer_in].start)]
                if best.answer
                else 0,
                tuple(number[(s.doc_id, s.start)] for s in best.sentences),
            )
            for best in bests
        )
        missing = tuple(
            text for (text, _, _), (best, _) in zip(questions, chosen, strict=True) if best is None
        )
        unmatched = tuple(
            dict.fromkeys(
                word
                for (_, _, analysis), (best, _) in zip(questions, chosen, strict=True)
                if best is not None
                for word in confidence.unmatched(
                    analysis,
                    " ".join(s.text for s in best.sentences),
                    ctx.parser.parse([s.text for s in best.sentences]),  # cached: judged already
                    self.retriever.weights,
                )
            )
        )
        first_analysis, (_, first_nearest) = questions[0][2], chosen[0]
        has_pool = any(ranked for _, ranked in searches)
        reason = "" if bests else passages.reason(first_analysis, first_nearest if has_pool else None)
        # An answer phrase and its passage are the answer: the model phrases only answers without one
        # (on the tune halves this kept answer_correct, raised source precision, and cut p50 586 -> 134 ms).
        generate = not reason and mode == "generative" and self.llm is not None and not _phrased(found)
        messages = prompt.messages(standalone, numbered) if generate else []
        return Plan(
            question,
            standalone,
            mode,
            _unique(_interleave([hits for hits, _ in searches]), _chunk),  # the first part's first
            numbered,
            reason,
            messages,
            first_analysis,
            found=found,
            missing=missing if found else (),
            unmatched=unmatched if found else (),
        )

    def analyse_parts(self, standalone: str, own_doc: Any) -> list[tuple[str, str, Question]]:
        """(text, search text, analysis) of each part of the question (one part for most questions);
        a part that leans on the first is searched with the first part's names and judged with its
        context. `own_doc` is the parse of the question's own words."""
        own = own_doc.text
        split = parts.texts(own_doc) if self.split_parts else [own]
        if len(split) == 1:
            analysis = self.analyse(standalone, own_doc)
            return [(own, _search_text(standalone, analysis), analysis)]
        first = self.analyse(split[0] + standalone[len(own) :])
        out = [(split[0], split[0] + standalone[len(own) :], first)]
        for text in split[1:]:
            with self.parser.lock:
                doc = self.nlp(text)
            analysis, search = analyse(doc), text
            if parts.leans_on_first(doc, analysis):
                analysis = parts.with_context(analysis, first)
                search = f"{text.rstrip('?')} ({', '.join(first.names)})?" if first.names else text
            out.append((text, search, analysis))
        return out

    def _search(self, text: str, top_k: int | None) -> tuple[list[Passage], list[Passage]]:
        """(The retrieved chunks, their sentences ranked) for one part of the question."""
        vec = self.retriever.embed_query(text)
        hits = self.retriever.retrieve(text, vec, top_k=top_k)
        return hits, self._rank(text, vec, hits)

    def ranked(self, question: str) -> tuple[Question, list[Passage], passages.Context]:
        """The (first part of the) question's analysis, its ranked sentences and the context that judges
        them, as `plan` sees them for a question without history: for diagnostics (`eval/misses.py`)."""
        with self.parser.lock:
            own_doc = self.nlp(condense.own_words(question))
        _, search, analysis = self.analyse_parts(question, own_doc)[0]
        return analysis, self._search(search, None)[1], self._context()

    def _context(self) -> passages.Context:
        return passages.Context(
            self.doc_text,
            self._spans,
            self.parser,
            self.retriever.weights,
            self.min_key_coverage,
            self.rules_off,
        )

    def _from_relations(
        self, question: str, standalone: str, own_doc: Any, mode: str, clock: Clock
    ) -> Plan | None:
        """The plan of a who-did-what-to-whom question answered from the relation edges, or None (the
        question is not one, or no edge answers it: then the ordinary path decides)."""
        if self.relations is None:
            return None
        query = read_question(own_doc)
        if query is None:
            return None
        found = matching(
            self.relations.groups(),
            relation=query.relation,
            subject=query.subject,
            obj=query.object,
            item=query.item,
            mentions=query.mentions,
        )
        picked = relation_answer.lines(found, self.relation_lines)
        if not picked:
            return None
        numbered: dict[int, Passage] = {}
        for line in picked:
            for p in line.passages:
                if all((q.doc_id, q.start) != (p.doc_id, p.start) for q in numbered.values()):
                    numbered[len(numbered) + 1] = p
        clock.lap("retrieve")
        return Plan(
            question,
            standalone,
            mode,
            [],
            numbered,
            "",
            [],
            lines=tuple(picked),
            groups_found=len(found),
        )

    def analyse(self, standalone: str, own_doc: Any = None) -> Question:
        """The question's analysis (its own words, parsed as `own_doc` when given; names of the
        question it follows up are kept)."""
        own = condense.own_words(standalone)
        with self.parser.lock:
            head = own_doc if own_doc is not None else self.nlp(own)
            tail = [self.nlp(standalone[len(own) :])] if own != standalone else []
        analysis = analyse(head)
        if tail:
            analysis = replace(analysis, names=analysis.names + analyse(tail[0]).names)
        return analysis

    @lru_cache(maxsize=1024)  # noqa: B019 - one Answerer per process; cleared on refresh
    def _spans(self, doc_id: str) -> list[tuple[int, int]]:
        """The document's sentences as ingestion split them: a neighbour is never a photo credit,
        a promo line or the byline that ingestion left out."""
        text = self.doc_text(doc_id)
        return split_sentences(text, skip_ranges(text))

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
        clock = Clock()
        plan = self.plan(question, history, answer_mode=answer_mode, top_k=top_k, clock=clock)
        if plan.lines:
            yield Final(self._relation_answer(plan, clock))
        elif plan.abstain_reason:
            yield Final(self._finish(plan, "", "abstain", [], clock))
        elif not plan.calls_model:
            yield Final(self._extractive(plan, clock))
        else:
            yield from self._generate(plan, clock)

    # --- steps -----------------------------------------------------------------------------
    def _rank(self, question: str, vec: list[float], hits: list[Passage]) -> list[Passage]:
        pool = evidence.candidates(hits, self.doc_text)
        if not pool:
            return []
        vectors = self.retriever.embedder.get_text_embedding_batch([s.text for s in pool])
        sims = [_cosine(vec, v) for v in vectors]
        return evidence.rank(content_words(question), pool, self.retriever.weights, sims)

    def _quoted(self, plan: Plan) -> list[Kept]:
        """Per answered part, its answer phrase first (when one is wanted), then the passage it comes
        from, verbatim; with no answer phrase at all, the passage topped up with the next best evidence
        (dropping that top-up cost three correct answers on the tune halves)."""
        quotes: list[Kept] = []
        # Two parts answered by one passage quote it once; so is a sentence two places say word for
        # word (a war-news title repeating its lede, one wire story in two papers).
        wordings: set[str] = set()

        def new(n: int) -> bool:
            return _wording(plan.evidence[n].text) not in wordings

        def quote(n: int) -> None:
            wordings.add(_wording(plan.evidence[n].text))
            quotes.append((plan.evidence[n].text, [n], Support(True, 1.0, "quoted verbatim")))

        for part in plan.found:
            if part.answer:
                quotes.append((part.answer, [part.answer_n], Support(True, 1.0, "answer phrase, verbatim")))
            for n in filter(new, part.passage):
                quote(n)
        if not _phrased(plan.found):
            picked = {n for part in plan.found for n in part.passage}
            extra = [n for n in plan.evidence if new(n) and _adds(plan, picked, n)]  # new: not picked either
            for n in extra[: max(0, EXTRACTIVE_PASSAGES - len(plan.found))]:
                quote(n)
        return quotes

    def _relation_answer(self, plan: Plan, clock: Clock) -> Answer:
        """One line per relation group, each citing the sentences that support it (no model call)."""
        number = {(p.doc_id, p.start): n for n, p in plan.evidence.items()}
        kept = [
            (line.text, [number[(p.doc_id, p.start)] for p in line.passages], line.verdict)
            for line in plan.lines
        ]
        answer = self._finish(plan, "", "relations", kept, clock, joiner="\n")
        shown = len(plan.lines)
        answer.note = f"{shown} of {plan.groups_found} relation groups" if plan.groups_found > shown else ""
        return answer

    def _extractive(self, plan: Plan, clock: Clock, draft: str = "") -> Answer:
        return self._finish(plan, draft, "extractive", self._quoted(plan), clock)

    def _generate(self, plan: Plan, clock: Clock) -> Iterator[Event]:
        verifier = DraftVerifier(
            {n: s.text for n, s in plan.evidence.items()},
            {n: s.doc_id for n, s in plan.evidence.items()},
            content_words(plan.standalone),
            reading.parsed(self.nlp, self.parser.lock),
        )
        for piece in self._tokens(plan.messages):
            clock.first_token()
            yield Token(piece)
            yield from verifier.feed(piece)
            if verifier.enough:
                break  # what is settled so far is all we keep
        yield from verifier.close()
        clock.add("verify", verifier.seconds)
        clock.lap("generate", minus=("verify",))
        if verifier.kept:
            # The model's sentences hold; the best evidence goes along verbatim, since the eval shows
            # tiny models often leave out the very fact asked for (see README: answer policy).
            said = set().union(*(content_words(text) for text, _, _ in verifier.kept))
            kept = verifier.kept + [q for q in self._quoted(plan) if not _conveyed(q[0], said)]
            answer = self._finish(plan, verifier.draft, "generative", kept, clock)
        else:  # empty, refusing, repetitive or unsupported output (an invented figure too): quote instead
            answer = self._extractive(plan, clock, verifier.draft)
        answer.dropped = [text for text, _ in verifier.dropped]
        yield Final(answer)

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
        self, plan: Plan, draft: str, mode: Mode, sentences: list[Kept], clock: Clock, joiner: str = " "
    ) -> Answer:
        """Renumber citations 1..n by first use and build the final answer object."""
        per_sentence, order = renumber([nums for _, nums, _ in sentences])
        text = joiner.join(
            _closed(with_markers(s, nums), s) for (s, _, _), nums in zip(sentences, per_sentence, strict=True)
        )
        support: dict[int, float] = {}
        for _, nums, verdict in sentences:
            for e in nums:
                support[e] = max(support.get(e, 0.0), verdict.score)
        citations = [
            Citation(i, plan.evidence[e], round(support[e], 3)) for i, e in enumerate(order, start=1)
        ]
        clock.finish()
        return Answer(
            question=plan.question,
            standalone_question=plan.standalone,
            answer=text or ABSTAIN_TEXT,
            abstained=mode == "abstain",
            mode=mode,
            citations=citations,
            retrieved=_retrieved(plan.hits),
            timings_ms=clock.ms,
            model=self.model_name,
            draft=draft,
            abstain_reason=plan.abstain_reason,
            note=f"The documents don't answer: {' '.join(plan.missing)}" if plan.missing else "",
            unmatched=list(plan.unmatched) if mode != "abstain" else [],
        )


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise InputError(f"Unknown answer mode {mode!r}.", "Use 'generative' or 'extractive'.")
    return mode


def check_top_k(top_k: int) -> int:
    low, high = TOP_K_RANGE
    if not isinstance(top_k, int) or not low <= top_k <= high:
        raise InputError(
            f"top_k must be between {low} and {high} (got {top_k!r}).", "Pick a value in that range."
        )
    return top_k


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


def _closed(marked: str, text: str) -> str:
    """An answer phrase ("In August [1]") ends as a sentence, so the quote after it reads as one."""
    return marked if text.rstrip()[-1:] in {".", "!", "?", '"', "”", "’", "'", ")"} else marked + "."


def _phrased(found: Sequence[Found]) -> bool:
    """Does any answered part carry an answer phrase (then no model call and no top-up)?"""
    return any(part.answer for part in found)


def _adds(plan: Plan, picked: set[int], n: int) -> bool:
    """May evidence `n` top up the quoted passage: not a bare headline, and from the passage's
    document, or holding a word of the question the passage lacks and naming one of the question's
    own names (a sentence of another article saying only the same again, or the same word about
    something else, would cite a source that adds nothing)."""
    sentence = plan.evidence[n]
    if passages.headline(sentence):
        return False  # a bare headline is no evidence
    if not picked or sentence.doc_id in {plan.evidence[p].doc_id for p in picked}:
        return True
    have = set().union(*(content_words(plan.evidence[p].text) for p in picked))
    if not (content_words(plan.standalone) - have) & content_words(sentence.text):
        return False
    core = plan.analysis.core_names if plan.analysis else ()
    words = words_of(sentence.text)
    return not core or any(naming.named(name, words, sentence.text) for name in core)


def _search_text(standalone: str, analysis: Question) -> str:
    """The question with the post a verb asks for, the word its answer is written with ("who chairs
    Ofcom": "Lord Currie, chairman of Ofcom")."""
    return f"{standalone} ({analysis.head})" if analysis.office else standalone


def _interleave(lists: list[list[Passage]]) -> list[Passage]:
    """The ranked sentences of each part, taken in turn (one part: its list)."""
    longest = max((len(x) for x in lists), default=0)
    return [x[i] for i in range(longest) for x in lists if i < len(x)]


def _unique(items: list[Passage], key: Callable[[Passage], object]) -> list[Passage]:
    """`items` in order, the first of each `key` only."""
    seen: set[object] = set()
    out = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            out.append(item)
    return out


def _place(p: Passage) -> tuple[str, int]:
    return p.doc_id, p.start  # a sentence, wherever it was found


def _chunk(p: Passage) -> str:
    return p.chunk_id


def _retrieved(hits: list[Passage]) -> list[Passage]:
    return [replace(h, score=round(h.score, 6)) for h in hits]


def _wording(text: str) -> str:
    return " ".join(text.split())


def _conveyed(text: str, said: set[str], share: float = 0.9) -> bool:
    """True when the answer's sentences already contain nearly all of `text`'s content words."""
    words = content_words(text)
    return bool(words) and len(words & said) / len(words) >= share


class Clock:
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
