"""Does a cited sentence say only what its evidence says? A check that needs no LLM judge.

Our own code because no library does this: every number, proper name and negation in the
sentence must appear in the cited text, and most of its content words must be covered. The cited
text is one document's sentences, never a union across articles, and the words it lacks may not
all come from another article's evidence (the slack is for the model's wording, not another
source's). A sentence that fails is re-cited to evidence that does support it, or dropped.
Lexical on purpose: on tiny models the typical error is a wrong number or name, which embeddings
barely notice. What only a parse can tell (a name opening the sentence, its superlatives) comes in
as `SentenceFacts` from the caller (`reading.py`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from qa.terms import content_words, name_in, names, negations, numbers, words_of

# The share of the sentence's content words that the evidence must contain. On the hand labels
# (eval/support_labels.jsonl), with Snowball stems, 0.6 and 0.7 keep the same 23 of 28 supported
# sentences; 0.7 lets 6 unsupported ones through instead of 7.
MIN_COVERAGE = 0.7
MIN_WORDS = 2  # a sentence with fewer content words asserts nothing worth citing ("Sure!")


@dataclass(frozen=True)
class Support:
    ok: bool
    score: float  # coverage of content words, 0..1 (0 when a hard check fails)
    reason: str


@dataclass(frozen=True)
class SentenceFacts:
    """What a parse of the sentence tells the lexical check (the caller parses; nothing here does)."""

    leads_with_name: bool = False  # its first word is a proper name: "Britain sanctioned ..." is checked
    degree_words: frozenset[str] = frozenset()  # its superlatives and ordinals: "largest", "first"


def support(sentence: str, evidence: str, facts: SentenceFacts = SentenceFacts()) -> Support:
    """Check one sentence against the concatenated text it cites. With `facts` from a parse, a name
    that opens the sentence is checked like any other ("Britain sanctioned seven individuals" is not
    the EU's sanctions), and so is each superlative or ordinal ("the smallest attack" is not "the
    largest attack", though every other word matches)."""
    words = content_words(sentence)
    if len(words) < MIN_WORDS:
        return Support(False, 0.0, "says nothing checkable")
    missing_numbers = numbers(sentence) - numbers(evidence)
    if missing_numbers:
        return Support(False, 0.0, f"number(s) not in the source: {', '.join(sorted(missing_numbers))}")
    evidence_words = content_words(evidence) | names(evidence)
    vocabulary = words_of(evidence)
    missing_names = {n for n in names(sentence, facts.leads_with_name) if not name_in(n, vocabulary)}
    if missing_names:
        return Support(False, 0.0, f"name(s) not in the source: {', '.join(sorted(missing_names))}")
    missing_degree = {w for w in facts.degree_words if w not in vocabulary}
    if missing_degree:
        return Support(False, 0.0, f"not in the source: {', '.join(sorted(missing_degree))}")
    if negations(sentence) > negations(evidence):  # "would not lead to" for "would lead to ... never"
        return Support(False, 0.0, "negation not in the source")
    if negations(sentence) < sum(negations(c) for c in _clauses_said(sentence, evidence)):
        return Support(False, 0.0, "leaves out the source's negation")  # "supplied" for "denied supplying"
    quotation = misquotation(sentence, evidence)
    if quotation:
        return Support(False, 0.0, f"quotation not word for word in the source: {quotation[:80]}")
    coverage = len(words & evidence_words) / len(words)
    if coverage < MIN_COVERAGE:
        return Support(False, coverage, f"only {coverage:.0%} of its words are in the source")
    return Support(True, coverage, "supported")


_CLAUSE_BREAK = re.compile(
    r"[,;:()\u2013\u2014]|\s-\s|\s(?:but|while|although|though|whereas)\s", re.IGNORECASE
)
CLAUSE_SAID = 0.6  # the share of a clause's content words a sentence must hold to say that clause


def _clauses_said(sentence: str, evidence: str) -> list[str]:
    """The clauses of the evidence the sentence says again (most of their content words), else the one
    it shares most with: where a negation of what it says would stand."""
    words = content_words(sentence)
    clauses = [(c, content_words(c)) for c in _CLAUSE_BREAK.split(evidence) if c and c.strip()]
    said = [c for c, own in clauses if own and len(own & words) >= CLAUSE_SAID * len(own)]
    closest = max(clauses, key=lambda pair: len(words & pair[1]), default=("", set()))[0]
    return said or [closest]


_QUOTATION = re.compile(r"[“\"]([^”\"]+)[”\"]")  # double quotation marks, straight or curly
MIN_QUOTED_WORDS = 3  # shorter quoted bits are titles and scare quotes ("a “core” number")


def misquotation(sentence: str, evidence: str) -> str:
    """A quotation in the sentence that the evidence does not hold word for word ("" if none): words in
    quotation marks are someone's own words, so "Raisi is an outstanding politician" misquotes
    "Raisi was an outstanding politician" however much else matches. Case, punctuation and an
    ellipsis that leaves words out are forgiven."""
    source = _plain(evidence)
    for match in _QUOTATION.finditer(sentence):
        for fragment in re.split(r"…|\.\.\.", match.group(1)):
            words = _plain(fragment)
            if len(words.split()) >= MIN_QUOTED_WORDS and f" {words} " not in f" {source} ":
                return match.group(0)
    return ""


def _plain(text: str) -> str:
    """Lowercased words only, apostrophes straightened: what a quotation is compared by."""
    text = text.replace("’", "'").replace("‘", "'").lower()
    return " ".join(re.sub(r"[^\w\s']", " ", text).split())


def best_support(
    sentence: str,
    cited: list[int],
    evidence: Mapping[int, str],
    documents: Mapping[int, str],
    facts: SentenceFacts = SentenceFacts(),
) -> tuple[list[int], Support]:
    """Keep the model's citations if they support the sentence; otherwise find evidence that does.

    Support is judged within one document (`documents` maps an evidence number to its document id):
    the cited sentences of each cited document in turn, then each single evidence sentence, then
    neighbouring evidence numbers of one document. A union across documents is never judged: words
    of two articles joined ("He wrote: <another article's words>") make a claim neither source makes,
    and nor may the words a supported sentence lacks all come from another article (`borrowed`).
    Returns the smallest supporting citation list with the best score, or `([], failure)`.
    `facts` as for `support`.
    """

    words = document_words(evidence, documents)

    def check_one(text: str, numbers: list[int]) -> Support:  # the support of one document's sentences
        verdict = support(sentence, text, facts)
        other = borrowed(sentence, documents.get(numbers[0]), words) if verdict.ok else ""
        return Support(False, verdict.score, f"joins words of another article: {other}") if other else verdict

    def check(text: str) -> Support:
        return support(sentence, text, facts)

    valid = [n for n in dict.fromkeys(cited) if n in evidence]
    for group in _by_document(valid, documents):
        verdict = check_one(" ".join(evidence[n] for n in group), group)
        if verdict.ok:
            # Drop citations the sentence does not need (each kept one must contribute).
            needed = [
                n
                for n in group
                if len(group) == 1 or not check(" ".join(evidence[m] for m in group if m != n)).ok
            ]
            return needed or group[:1], verdict
    candidates: list[tuple[list[int], Support]] = [
        ([n], check_one(text, [n])) for n, text in evidence.items()
    ]
    candidates += [
        ([a, b], check_one(evidence[a] + " " + evidence[b], [a, b]))
        for a, b in itertools.pairwise(sorted(evidence))
        if documents.get(a) == documents.get(b)
    ]
    passing = [c for c in candidates if c[1].ok]
    if not passing:  # why: the verdict of the candidate that came closest
        return [], max(
            (c[1] for c in candidates), key=lambda v: v.score, default=Support(False, 0.0, "no evidence")
        )
    return max(passing, key=lambda c: (c[1].score, -len(c[0])))


MIN_BORROWED = 2  # one word outside the source is paraphrase; two, all from one other article, are its words


def document_words(
    evidence: Mapping[int, str], documents: Mapping[int, str]
) -> dict[str | None, tuple[set[str], set[str]]]:
    """Per document, in evidence order: the content words and the names of its evidence sentences
    (worked out once per model sentence, for every candidate `borrowed` judges)."""
    out: dict[str | None, tuple[set[str], set[str]]] = {}
    for n in sorted(evidence):
        words, found = out.setdefault(documents.get(n), (set(), set()))
        words |= content_words(evidence[n])
        found |= names(evidence[n])
    return out


def borrowed(sentence: str, own: str | None, words: Mapping[str | None, tuple[set[str], set[str]]]) -> str:
    """The other article whose words the sentence takes ("" if none): its content words that the
    evidence of its own article `own` lacks number at least MIN_BORROWED and all occur in one other
    article's evidence (`words` from `document_words`). The coverage slack is for the model's own
    wording, not for another source's facts."""
    content, found = words[own]
    missing = content_words(sentence) - (content | found)
    if len(missing) < MIN_BORROWED:
        return ""
    return next((str(doc) for doc, (other, _) in words.items() if doc != own and missing <= other), "")


def _by_document(numbers: list[int], documents: Mapping[int, str]) -> list[list[int]]:
    """The evidence numbers grouped by document, in order of first citation."""
    groups: dict[str, list[int]] = {}
    for n in numbers:
        groups.setdefault(documents.get(n, f"#{n}"), []).append(n)
    return list(groups.values())
