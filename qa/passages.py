"""Does one passage answer the question? Judged per passage, never on a union of unrelated sentences.

A passage is one retrieved sentence, or it with its neighbour in the same document (the name is
often in the next sentence: "... heads the group. Yevgeny Prigozhin ..."); an answer without an
answer phrase takes the best sentence with its next one (`_best_window`). Six rules, each ours
because no library judges answerability from entities (each can be switched off for ablations):
- names: every name the question is about occurs in the passage's document (under any of its
  names; one name of a long question's side phrases may be missing), one in the passage;
- dates: a date the question states ("in June 2022") fits the article's date or is in its text
  (context narrows; it need not be quoted);
- type: the passage holds an entity of the expected answer type that the question does not contain
  and that fits what was asked (`fit.py`: what a figure counts or measures, a person's calling, ...);
- terms (off unless a threshold is set): the IDF-weighted share of the question's key terms in the
  passage reaches it;
- predicate: the question's verb, or a synonym, occurs in the passage;
- role (opt-in, `QA_STRICT_ROLES`): for "who sanctioned ...", an entity fills the wh-phrase's role
  (`roles.py`); when off, such an entity is only preferred as the answer phrase.
Deliberately not here: retrieval and ranking (`evidence.py`), the question's parse (`question.py`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from qa import fit, naming, roles
from qa.idf import TermWeights
from qa.question import DATE, FIGURE, HEAD_TYPES, TIME_UNITS, Question, trimmed
from qa.terms import MAGNITUDE_ABBREVIATIONS, MAGNITUDE_WORDS, content_words, numbers, stem, words_of
from vectorstore.passage import Passage

RULES = ("names", "dates", "type", "terms", "predicate", "role")
ANCHORS = 8  # the best-ranked sentences tried as the core of a passage
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_AGE = re.compile(r"year-old|years? old|aged|age of", re.I)  # "at the age of 80"
_SPAN = re.compile(rf"\b({'|'.join(TIME_UNITS)})s?\b", re.I)  # "11 days", "within a month"
_ISO = re.compile(r"^(\d{4})-(\d{2})")
DATE_LEEWAY_MONTHS = (-1, 3)  # an article may preview an event or report it up to a season later


@dataclass(frozen=True)
class Parse:
    entities: tuple[tuple[str, str, int, str, int], ...]  # (text, label, start offset, root's tag, root)
    lemmas: frozenset[str]
    tokens: tuple[roles.Token, ...] = ()  # the dependency parse, compact


class Parser:
    """Entities, lemmas and dependencies of evidence sentences, parsed once each."""

    def __init__(self, nlp: Any, size: int = 5000) -> None:  # 9.3 KB a sentence: at most ~47 MB
        self.nlp = nlp
        self.size = size
        self._cache: dict[str, Parse] = {}
        self.lock = threading.Lock()  # the pipeline is shared: every caller of `nlp` holds this

    def parse(self, texts: Sequence[str]) -> list[Parse]:
        with self.lock:
            todo = [t for t in dict.fromkeys(texts) if t not in self._cache]
            if len(self._cache) + len(todo) > self.size:  # full: start again, with every text asked now
                self._cache.clear()
                todo = list(dict.fromkeys(texts))
            for text, doc in zip(todo, self.nlp.pipe(todo), strict=True):
                ents = tuple(_entity(e) for e in doc.ents)
                self._cache[text] = Parse(
                    ents, frozenset(t.lemma_.lower() for t in doc), roles.tokens_of(doc)
                )
            return [self._cache[t] for t in texts]


def _entity(entity: Any) -> tuple[str, str, int, str, int]:
    """(text, label, start offset, root's tag, root) of an entity, its span `trimmed`."""
    span = trimmed(entity)
    return (span.text, entity.label_, span.start_char, span.root.tag_, span.root.i)


@dataclass
class Judged:
    """One candidate passage and the rules it fails."""

    sentences: list[Passage]
    failed: list[str] = field(default_factory=list)
    answer: str = ""  # the answer phrase: an entity of the expected type, verbatim from the passage
    answer_in: int = 0  # which sentence of the passage holds it
    preference: int = 0  # the answer's label's place in the question's preferred labels (0 = best)
    tight: bool = False  # the answer fills the asked role or is an argument of a question word

    @property
    def ok(self) -> bool:
        return not self.failed


def judge(
    q: Question,
    window: list[Passage],
    parses: list[Parse],
    doc_text: str,
    weights: TermWeights,
    min_coverage: float,
    off: frozenset[str] = frozenset(),
) -> Judged:
    """Which rules the passage `window` (adjacent sentences of one document) fails, and its answer."""
    verdict = Judged(window)
    text = " ".join(s.text for s in window)
    checks: dict[str, Callable[[], bool]] = {
        "names": lambda: (
            names_ok(q.names, text, doc_text + " " + window[0].title, q.side_names, q.kinds)
            and set(q.figures) <= numbers(doc_text)
            and not _other_ordinal(q.text, text)
            and all(naming.names_body(n, text) for n in q.affiliation)
        ),
        "dates": lambda: dates_ok(q.context_dates, window[0].date, doc_text),
        "terms": lambda: weights.coverage(set(q.key_terms), content_words(text)) >= min_coverage,
        "predicate": lambda: predicate_ok(q.predicate, parses, text),
    }
    for rule, check in checks.items():
        if rule not in off and not check():
            verdict.failed.append(rule)
    if q.wh == "why":  # a passage that gives a reason ("due to", "blamed") before one that only restates
        verdict.tight = _CAUSE.search(text) is not None
    if q.expects:
        found = answer_entity(q, window, parses, off)
        if found:
            verdict.answer, verdict.answer_in, label, verdict.tight = found
            verdict.preference = q.expects.index(label)
        elif "type" not in off:
            verdict.failed.append("type")
    return verdict


_CAUSE = re.compile(
    r"\b(because|due to|owing to|as a result|blam\w*|caus\w*|reasons?|following|amid|after|since|so that|in order to|"
    r"thanks to|led to|result\w* in)\b",
    re.IGNORECASE,
)


def names_ok(
    asked: Sequence[str],
    passage: str,
    document: str,
    side: Sequence[str] = (),
    kinds: Sequence[str] = (),
) -> bool:
    """Every asked name is in the document, but for one of the `side` names (a long question's
    modifiers and relative clauses restate context the article may word otherwise: "a US spy
    agency"); at least one asked name is in the passage itself, or the passage refers back to one
    by its kind (`kinds`: "the studio" for "the Hit Factory music studio")."""
    asked = [
        n for n in asked if naming.name_parts(n) or naming.acronym(n)
    ]  # "2022" names nothing to look for
    if not asked:
        return True
    doc_words, passage_words = words_of(document), words_of(passage)
    missing = [n for n in asked if not naming.named(n, doc_words, document)]
    if len(missing) > 1 or (missing and (missing[0] not in side or len(asked) < 3)):
        return False
    return any(naming.named(n, passage_words, passage) for n in asked) or any(
        re.search(rf"\bthe {re.escape(kind)}\b", passage, re.IGNORECASE) for kind in kinds
    )


_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\s+([A-Za-z]+)(?:\s+([A-Za-z]+))?")


def _other_ordinal(question: str, passage: str) -> bool:
    """Does the passage speak of another one of the same kind ("the 13th sanctions package" for "the
    14th package")? A passage that does not number it at all is not contradicted."""
    asked = {(stem(noun.lower()), n) for n, noun, _ in _ORDINAL.findall(question)}
    said = [(n, {stem(w.lower()) for w in words if w}) for n, *words in _ORDINAL.findall(passage)]
    return any(kind in kinds and n != m for kind, n in asked for m, kinds in said)


def dates_ok(stated: Sequence[str], article_date: str, doc_text: str) -> bool:
    """A stated date (with a year) fits the article's date, or its year and month are in the text. A
    question in two parts may state two dates; a passage answers one part, so one must fit."""
    calendar = [(y, d) for d in stated if (y := _YEAR.search(d))]
    if not calendar:
        return True  # "the first days", "months": no calendar date to check
    for year, date in calendar:
        month = next((i for i, m in enumerate(_MONTHS, 1) if m in date.lower()), 0)
        if _fits(int(year.group()), month, article_date) or _mentioned(year.group(), month, doc_text):
            return True
        if month and article_date[:4] == year.group() and _MONTHS[month - 1] in doc_text.lower():
            return True  # an April 2024 article on supplies "from June" speaks of June 2024
        if month and not article_date and _MONTHS[month - 1] in doc_text.lower():
            return True  # an undated article on "Friday, December 9th" cannot be from another year
    return False


def _fits(year: int, month: int, article_date: str) -> bool:
    iso = _ISO.match(article_date)
    if not iso:
        return False
    gap = (int(iso.group(1)) * 12 + int(iso.group(2))) - (year * 12 + (month or 1))
    low, high = DATE_LEEWAY_MONTHS
    return low <= gap <= (high if month else high + 11)


def _mentioned(year: str, month: int, doc_text: str) -> bool:
    """Is the year (with the month, close together: "June 2022", "10 June, 2022") in the text?"""
    low = doc_text.lower()
    if not month:
        return year in low
    name = _MONTHS[month - 1]
    return re.search(rf"{name}\W{{1,3}}(\d{{1,2}}\w*\W{{1,3}})?{year}|{year}\W{{1,3}}{name}", low) is not None


def predicate_ok(predicate: frozenset[str], parses: list[Parse], text: str) -> bool:
    if not predicate:
        return True
    lemmas = frozenset().union(*(p.lemmas for p in parses))
    return bool(predicate & lemmas) or bool({stem(p) for p in predicate} & content_words(text))


def answer_entity(
    q: Question, window: list[Passage], parses: list[Parse], off: frozenset[str] = frozenset()
) -> tuple[str, int, str, bool] | None:
    """The best-ranked entity of the expected type (see `_candidates`), verbatim (for "which two ...",
    that many of its sentence, joined by "and"); None when the passage has none."""
    found = sorted(_candidates(q, window, parses, off))
    if not found:
        return None
    _, text, i, label, start, tight = found[0]
    if label in FIGURE:
        text = whole_figure(window[i].text, start, text)
    wanted = _count(q.counts)
    if wanted > 1:
        best_n = [(s, t) for _, t, j, lab, s, _ in found if j == i and lab == label][:wanted]
        same = sorted(set(best_n))  # the best-ranked few, in the order the sentence gives them
        text = " and ".join(t for _, t in same) if len(same) > 1 else text
    return text, i, label, tight


_CURRENCY_BEFORE = re.compile(r"(?:US|A|C|HK)?[$£€¥]\s?$")
_MAGNITUDE_AFTER = re.compile(
    rf"^(?:{'|'.join(MAGNITUDE_ABBREVIATIONS)}|\s?(?:{'|'.join(MAGNITUDE_WORDS)}))\b"
)


def whole_figure(sentence: str, start: int, text: str) -> str:
    """The figure with the currency sign and magnitude the recogniser cut off: "387" of "$387m" is
    "$387m"; verbatim from the sentence."""
    end = start + len(text)
    if sentence[start:end] != text:
        return text
    before = _CURRENCY_BEFORE.search(sentence[:start]) if text[:1] not in "$£€¥" else None
    after = _MAGNITUDE_AFTER.match(sentence[end:])
    first = before.start() if before else start
    last = end + (after.end() if after else 0)
    return sentence[first:last]


# A verb's own event noun ("when he died": "his death"); not its synonyms ("receive" is no "sale").
_NOUN_OF = {
    "die": "death",
    "kill": "killing",
    "sell": "sale",
    "deliver": "delivery",
    "ship": "shipment",
    "appoint": "appointment",
    "nominate": "nomination",
    "arrest": "arrest",
    "win": "victory",
}
_NOUN_STEM = {stem(verb): stem(noun) for verb, noun in _NOUN_OF.items()}

TIGHT = 2  # tree steps from a question word within which an answer is its argument ("in power since 1994")


def _candidates(
    q: Question, window: list[Passage], parses: list[Parse], off: frozenset[str] = frozenset()
) -> Iterator[tuple[int, str, int, str, int, bool]]:
    """(rank, text, sentence index, label, offset, tight) of every entity that could answer, best rank first:
    one in the wh-phrase's role first (with the "role" rule on, only such an entity, in a sentence
    that says the event happened), then the nearest in the dependency tree to the question's verb
    (else its key terms)."""
    asked = q.text.lower()
    plain_terms = q.key_terms - {stem(w.lower()) for n in q.names for w in n.split()}
    plain_terms |= {stem(q.office)} if q.office else set()  # "who chairs": "X, who chairs the committee"
    plain_terms |= {_NOUN_STEM[t] for t in plain_terms if t in _NOUN_STEM}  # "when he died": "his death"
    about = [_about_it(q, s.text, p, plain_terms) for s, p in zip(window, parses, strict=True)]
    if q.affiliation and any(about):  # "Despite Raisi's death, ... | That's according to X at the Council"
        about = [
            a or all(naming.names_body(n, s.text) for n in q.affiliation)
            for a, s in zip(about, window, strict=True)
        ]
    # "The head of the British Army warned ... | General Sir Patrick Sanders is set to say ...": a
    # sentence that says it happened and names the post but nobody in it lets its neighbour name who
    described = any(
        a and fit.names_post(q.head, p.tokens, singular=True) and not _names_one(q, p, asked)
        for a, p in zip(about, parses, strict=True)
    )
    post = _asks_post(q)
    posted = [post and fit.names_post(q.head, p.tokens, verb=q.office) for p in parses]
    if post and not any(posted):
        return  # "who is the secretary of the Council": a passage that names no secretary names none
    for i, (sentence, parse) in enumerate(zip(window, parses, strict=True)):
        if not about[i] and not described:
            continue
        strict = bool("role" not in off and q.role)
        said = not q.role or roles.mentions(parse.tokens, q.role_verbs)
        if strict and not said:
            continue  # "who assaulted ...": a sentence that does not say it happened names nobody who did
        anchors = _anchors(q, parse.tokens)
        chars = _term_positions(sentence.text, q.key_terms)
        entities = [fit.misread(q, e, parse.tokens) for e in parse.entities]
        if strict and not set(q.expects) & set(FIGURE + DATE):
            entities += _unrecognised(q, parse)
        entities += _named_by_head(q, sentence.text, parse)
        for text, label, start, tag, root in entities:
            if label not in q.expects or text.lower() in asked or fit.inside_question_name(text, q):
                continue
            if fit.misfit(q, (text, label, start, tag, root), parse.tokens, sentence.text):
                continue
            if label in DATE and _wrong_date(q, text):
                continue
            if posted[i] and not fit.holds_post(q.head, parse.tokens, root, q.office):
                continue  # "Mr Putin called Iran's interim president" does not say Putin is it
            in_role = said and (not q.role or roles.fills(q.role, q.role_verbs, parse.tokens, root))
            if (
                q.role
                and not in_role
                and roles.fills(roles.opposite(q.role), q.role_verbs, parse.tokens, root)
            ):
                continue  # "N. Casey was warned" says who was warned, not who warned
            if strict and not in_role:
                continue  # "Varadkar met an actor who was assaulted" names no assailant
            tree = min((roles.distance(parse.tokens, root, a) for a in anchors), default=99)
            near = min((abs(start - c) for c in chars), default=999)
            rank = 20 * min(tree, 40) + min(near // 50, 19) + 1000 * i
            rank += 0 if in_role else 1_000_000  # the one in the role first, whatever its label
            rank += 100_000 * q.expects.index(label)  # the preferred label first
            if label == "DATE" and not _calendar(text):
                rank += 50_000  # "in August 2022" before "yesterday"
            if q.wh == "how old" and not _AGE.search(text):
                rank += 200_000  # "at the age of 80" before a bare number ("the 13-strong jury")
            if label in FIGURE and fit.from_figure(parse.tokens, root):
                rank += 500  # "from 5,000 to about 24,000": the number it went to first
            if q.stranded and fit.object_of(parse.tokens, root, q.stranded):
                rank -= STRANDED  # "shipped across?": "across the Caspian Sea" before "the United States"
            if tag == fit.MISREAD:
                rank += 500_000  # a name the recogniser labelled otherwise comes after every one it did not
            yield rank, text, i, label, start, _tight(q, label, text, in_role, tree)


STRANDED = 400_000  # before a preferred label (100_000 a place), after a misread name or the role


def _wrong_date(q: Question, text: str) -> bool:
    """A date of the wrong kind: "the 39-year-old" for a date, "in 2005" for "how old", "earlier
    Saturday" for "how long" or "how many days", "on Wednesday" or "in March" for "on what date"; a score
    ("beat Fiji 26-21") is no date at all."""
    if fit.SCORE.fullmatch(text):
        return True
    age = bool(_AGE.search(text))
    if q.wh == "how old":
        return not (age or re.fullmatch(r"\d{1,3}", text))
    if q.wh == "how long" or q.counted in TIME_UNITS:
        return not _SPAN.search(text)
    return age or (q.head == "date" and not (_calendar(text) and _DAY.search(text)))


_DAY = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\b")  # "on what date": a day ("29 March"), not "in March"


def _asks_post(q: Question) -> bool:
    """ "Who is the secretary of ...", "what is the name of the president": a post, with no event to
    say who did it."""
    return q.wh in {"who", "what"} and HEAD_TYPES.get(q.head) == ("PERSON",) and not q.predicate


def _names_one(q: Question, parse: Parse, asked: str) -> bool:
    """Does the sentence hold an entity of an expected type that the question does not give?"""
    return any(label in q.expects and text.lower() not in asked for text, label, *_ in parse.entities)


def _tight(q: Question, label: str, text: str, in_role: bool, tree: int) -> bool:
    """A sure answer: in the asked role (when the question has one), else an argument of a question
    word; never a relative date ("yesterday" is weaker than "in February 2022" a passage later)."""
    if label == "DATE" and not _calendar(text):
        return False
    return in_role if q.role else tree <= TIGHT


def _unrecognised(q: Question, parse: Parse) -> list[tuple[str, str, int, str, int]]:
    """Proper nouns in the wh-phrase's role that the entity recogniser missed ("Kasparow won"), as
    entities of the first expected label."""
    spans = [(start, start + len(text)) for text, _, start, _, _ in parse.entities]
    starts = {t.start: i for i, t in enumerate(parse.tokens)}
    return [
        (text, q.expects[0], start, "NNP", starts[start])
        for text, start in roles.named_fillers(q.role, q.role_verbs, parse.tokens)
        if not any(a <= start < b for a, b in spans)
    ]


_NAMING_DEPS = frozenset({"compound", "appos", "npadvmod", "attr", "oprd"})
_MODIFIERS = frozenset({"GPE", "NORP", "LOC"})


def _named_by_head(q: Question, text: str, parse: Parse) -> list[tuple[str, str, int, str, int]]:
    """Names the recogniser missed or mislabelled that the passage itself calls by the question's head
    noun: "the Shore Club hotel", "company Shepherds Purse Cheeses", "his online name, Morquendi", a
    concert "Every Third"; as entities of the first expected label, ranked after every recognised one
    (`fit.MISREAD`)."""
    if not q.head or not q.expects or q.expects[0] == "PERSON" or set(q.expects) & set(FIGURE + DATE):
        return []  # people the recogniser finds well
    tokens = parse.tokens
    # a place that modifies the noun ("Yorkshire company") is no name of it
    places = [(start, start + len(t)) for t, label, start, *_ in parse.entities if label in _MODIFIERS]
    found: list[tuple[str, str, int, str, int]] = []
    for h, t in enumerate(tokens):
        if t.lemma != q.head:
            continue
        quoted = _QUOTED.match(text[t.start + len(t.text) :])
        if quoted:  # a concert "Every Third"
            start = t.start + len(t.text) + quoted.start(1)
            found.append((quoted.group(1), q.expects[0], start, fit.MISREAD, h))
            continue
        tied = _tied_proper(tokens, h)
        if any(i > h for i in tied):  # "Yorkshire company Shepherds Purse Cheeses": the name follows
            tied = [i for i in tied if i > h]
        for i in tied:
            span = _proper_span(tokens, i)
            first, last = tokens[span[0]], tokens[span[-1]]
            name = text[first.start : last.start + len(last.text)]
            placed = any(a <= first.start < b for a, b in places) and h > i
            if name.lower() not in q.text.lower() and not placed:
                found.append((name, q.expects[0], first.start, fit.MISREAD, i))
    return found


_QUOTED = re.compile(r"\s*[\"“‘']([A-Z][^\"”’']{1,60})[\"”’']")


def _tied_proper(tokens: Sequence[roles.Token], h: int) -> list[int]:
    """Proper nouns bound to token `h` (the head noun) as compound or apposition, either way."""
    out = []
    for i, t in enumerate(tokens):
        if t.pos != "PROPN" or i == h:
            continue
        if (t.head == h and t.dep in _NAMING_DEPS) or (tokens[h].head == i and tokens[h].dep in _NAMING_DEPS):
            out.append(i)
    return out


def _proper_span(tokens: Sequence[roles.Token], i: int) -> list[int]:
    """The run of proper nouns around token `i` ("Shepherds Purse Cheeses")."""
    lo = hi = i
    while lo > 0 and tokens[lo - 1].pos == "PROPN":
        lo -= 1
    while hi + 1 < len(tokens) and tokens[hi + 1].pos == "PROPN":
        hi += 1
    return list(range(lo, hi + 1))


def _anchors(q: Question, tokens: Sequence[roles.Token]) -> list[int]:
    """The tokens an answer should hang near: the question's verb (or a synonym), else its key terms."""
    verbs = [i for i, t in enumerate(tokens) if t.lemma in q.predicate]
    return verbs or [i for i, t in enumerate(tokens) if stem(t.text.lower()) in q.key_terms]


def _count(counts: tuple[str, ...]) -> int:
    """How many answers a "which two ..." question wants (1 when it does not say)."""
    values = [int(n) for n in numbers(" ".join(counts)) if n.isdigit()]
    return max(values, default=1)


def _calendar(text: str) -> bool:
    """Does the date name a year, a month or a day of a month ("14th" alone is a bare ordinal)?"""
    low = text.lower()
    numeric = re.search(r"\b\d{1,2}[./-]\d{1,2}\b", low)
    month = re.search(rf"\b({'|'.join(_MONTHS)}|{'|'.join(m[:3] for m in _MONTHS)}|sept)\b", low)  # "Feb. 12"
    return bool(_YEAR.search(low) or numeric or month)


def _about_it(q: Question, text: str, parse: Parse, plain_terms: frozenset[str]) -> bool:
    """The answer's own sentence says what was asked: the question's news verb (or a synonym) when it
    has one, else one of its key terms that is not a name ("141 countries endorsed it!" answers no
    question about tanks)."""
    if q.predicate and predicate_ok(q.predicate, [parse], text):
        return True
    if not plain_terms and not q.predicate:
        return True  # "which spokespeople are quoted about Iran and Russia?": only names to go on
    if bool(plain_terms & content_words(text)):
        return True
    # "Biden is elevating CIA Director Bill Burns to his Cabinet" for "give a seat in his Cabinet":
    # the question's words paraphrased, two of its core names together
    core = q.core_names
    words = words_of(text)
    return sum(naming.named(n, words, text) for n in core) >= 2


def _term_positions(text: str, terms: frozenset[str]) -> list[int]:
    return [m.start() for m in re.finditer(r"[A-Za-z][A-Za-z'\-]*", text) if stem(m.group().lower()) in terms]


def windows(anchor: Passage, spans: Sequence[tuple[int, int]], doc_text: str) -> list[list[Passage]]:
    """The anchor alone, then with its next sentence, then with its previous one (same document). A
    headline is never a passage of its own: its next sentence stands for it."""
    starts = [s for s, _ in spans]
    out = [[anchor]]
    if anchor.start not in starts:
        return out
    i = starts.index(anchor.start)
    if headline(anchor):
        return [[_sentence(anchor, spans[i + 1], doc_text)]] if i + 1 < len(spans) else []
    if i + 1 < len(spans):
        out.append([anchor, _sentence(anchor, spans[i + 1], doc_text)])
    if i > 0:
        out.append([_sentence(anchor, spans[i - 1], doc_text), anchor])
    return out


def headline(sentence: Passage) -> bool:
    """Is the sentence its article's bare headline ("BNP leader Nick Griffin arrested"), not a first
    paragraph that stands as the title (as in the war-news files)?"""
    text = sentence.text.strip()
    return text == sentence.title.strip() and not text.endswith((".", "!", "?", '"', "”", "’"))


def _sentence(like: Passage, span: tuple[int, int], doc_text: str) -> Passage:
    start, end = span
    return Passage(
        like.doc_id, start, end, doc_text[start:end], like.title, like.date, like.chunk_id, rank=like.rank
    )


@dataclass(frozen=True)
class Context:
    """What judging a passage needs besides the question and its ranked sentences."""

    doc_text: Callable[[str], str]
    spans: Callable[[str], Sequence[tuple[int, int]]]
    parser: Parser
    weights: TermWeights
    min_coverage: float
    off: frozenset[str] = frozenset()

    def judged(self, q: Question, anchor: Passage) -> list[Judged]:
        """The anchor's windows, judged."""
        text = self.doc_text(anchor.doc_id)
        return [
            judge(
                q, w, self.parser.parse([s.text for s in w]), text, self.weights, self.min_coverage, self.off
            )
            for w in windows(anchor, self.spans(anchor.doc_id), text)
        ]


def choose(q: Question, ranked: Sequence[Passage], ctx: Context) -> tuple[Judged | None, Judged | None]:
    """(The best passage that passes every rule, the nearest miss): anchors in rank order, each
    anchor's passing windows narrowed to one by `_best_window`."""
    nearest: Judged | None = None
    first: Judged | None = None
    for n, anchor in enumerate(ranked[:ANCHORS]):
        verdicts = ctx.judged(q, anchor)
        passing = [v for v in verdicts if v.ok]
        if passing:
            best = _best_window(passing, ctx.off)
            if first is None:
                first, last = best, n + LOOKAHEAD
            if best.tight and best.preference <= first.preference:
                return best, None
        if first is not None and n >= last:
            return first, None
        for verdict in verdicts:
            if nearest is None or len(verdict.failed) < len(nearest.failed):
                nearest = verdict
    return (first, None) if first is not None else (None, nearest)


def _best_window(passing: list[Judged], off: frozenset[str]) -> Judged:
    """Of one anchor's passing windows (`windows`): the one whose answer has the preferred type ("who
    leads ...": the person in the next sentence before a country in this one), the shortest on a tie;
    but with no answer phrase to lead, the anchor with its next sentence. The sentence that matches a
    "what"/"why" question best often restates it, and the answer follows ("Matt Dawson is an injury
    doubt ... | ... after injuring his right calf"); nothing in an untyped answer says which sentence
    holds it, so the quote shows both (rule "neighbour"). A "why" passage that gives a reason
    ("because", "due to": `tight`) answers by itself."""
    best = min(passing, key=lambda v: (v.preference, not v.tight))
    if best.answer or best.tight or len(best.sentences) > 1 or "neighbour" in off:
        return best
    anchor = best.sentences[0]
    return next((v for v in passing if len(v.sentences) == 2 and v.sentences[0] is anchor), best)


LOOKAHEAD = 2  # anchors after the first passing one searched for a tighter answer ("in power since 1994")
LIST_MAX = 3  # answers to a list question ("which analysts ..."), each from its own passage


def choose_more(q: Question, ranked: Sequence[Passage], first: Judged, ctx: Context) -> list[Judged]:
    """For a list question, further passing passages (anchors in rank order) whose answers are new and
    of the first answer's type, up to LIST_MAX answers in all."""
    found = [first]
    for anchor in ranked[:ANCHORS]:
        if len(found) >= LIST_MAX:
            break
        passing = [
            v
            for v in ctx.judged(q, anchor)
            if v.ok and v.preference == first.preference and _new_answer(v.answer, found)
        ]
        if passing:
            found.append(min(passing, key=lambda v: len(v.sentences)))
    return found[1:]


def _new_answer(answer: str, found: Sequence[Judged]) -> bool:
    low = answer.lower()
    return bool(low) and all(low not in f.answer.lower() and f.answer.lower() not in low for f in found)


_WHY = {
    "names": "no matching article mentions {names}",
    "dates": "no matching article is from {dates}",
    "type": "no passage gives {kind} for what was asked",
    "terms": "the best passages do not cover the question's key terms",
    "predicate": "no passage says that anything was {predicate}",
}


def reason(q: Question, nearest: Judged | None) -> str:
    """Why the documents cannot answer, for the user (from the passage that came closest)."""
    if nearest is None:
        return "nothing relevant was retrieved"
    rule = nearest.failed[0]
    kind = "a figure" if set(q.expects) & set(FIGURE) else "a date" if "DATE" in q.expects else "a name"
    return _WHY[rule].format(
        names=", ".join(q.names) or "the names asked about",
        dates=", ".join(q.context_dates),
        kind=kind,
        predicate="/".join(sorted(q.predicate)[:3]),
    )
