"""Which entity of a sentence fills the role the question's wh-word holds, read from the dependency parse.

"Who assaulted the actor?" wants whoever did the assaulting: the subject of an active "assault", the
"by" phrase of a passive one. "Varadkar met an actor who was assaulted" names no assailant, though a
name stands next to the word; the nearest-entity reading answered "Varadkar". And "how many drones did
Ukraine shoot down?" wants the number the verb governs ("shot down 59 of the 116 drones"), which tree
distance finds and character distance does not.

Sentences are kept as compact token tuples (text, lemma, head, dep, POS, offset), not spaCy Docs, so
thousands can be cached. Also here: the noun a number counts ("59 of the 116 drones" counts drones).
Deliberately not here: reading the question's role (`question.py`), the passage rules
(`passages.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from spacy.tokens import Doc

AGENT, PATIENT = "agent", "patient"
# Verbs of saying stand for one another: "who said ..." is answered by "X noted", "according to X".
SPEECH = frozenset(
    [
        "say",
        "tell",
        "note",
        "write",
        "add",
        "claim",
        "state",
        "warn",
        "announce",
        "call",
        "describe",
        "insist",
        "argue",
        "suggest",
        "declare",
        "accord",
        "explain",
        "stress",
        "comment",
        "remark",
        "post",
        "tweet",
        "report",
    ]
)
_THROUGH = frozenset({"compound", "appos", "conj", "flat", "nmod"})  # "Kremlin spokesman Dmitry Peskov"
_SUBJECTS = frozenset({"nsubj", "csubj"})
_PASSIVE_SUBJECTS = frozenset({"nsubjpass", "csubjpass"})
_OTHER_DIRECTION = frozenset({"die", "dead", "death", "receive"})
_INHERIT = frozenset({"xcomp", "conj", "advcl"})  # "decided to sanction", "met and praised" share a subject


class Token(NamedTuple):
    text: str
    lemma: str
    head: int  # index of the head token in the same sentence (itself for the root)
    dep: str
    pos: str
    start: int  # character offset in the sentence


def tokens_of(doc: Doc) -> tuple[Token, ...]:
    return tuple(Token(t.text, t.lemma_.lower(), t.head.i, t.dep_, t.pos_, t.idx) for t in doc)


def role_verbs(lemma: str, synonyms: frozenset[str]) -> frozenset[str]:
    """The verbs that say what the question's verb says, in the same direction ("who killed" is not
    answered by "X died", "who supplied" not by "X received")."""
    if lemma in SPEECH:
        return SPEECH
    return (synonyms | {lemma}) - _OTHER_DIRECTION


def mentions(tokens: Sequence[Token], verbs: frozenset[str]) -> bool:
    """Does the sentence say it happened: one of `verbs` as a verb, or its event noun ("the sanctions")?"""
    return any(t.lemma in verbs and t.pos in {"VERB", "AUX", "NOUN"} for t in tokens)


def opposite(role: str) -> str:
    return PATIENT if role == AGENT else AGENT


def fills(role: str, verbs: frozenset[str], tokens: Sequence[Token], root: int) -> bool:
    """Does the phrase whose head is token `root` stand in `role` to one of `verbs`?"""
    i = _phrase_head(tokens, root)
    t = tokens[i]
    if role == AGENT:
        if t.dep in _SUBJECTS and _is_verb(tokens, t.head, verbs):
            return True
        if t.dep == "pobj" and _agent_of(tokens, t.head, verbs):
            return True
        if _nominal_agent(tokens, i, verbs):
            return True
        return _subject_of_relative(tokens, i, verbs) or _inherited_subject(tokens, i, verbs)
    if role == PATIENT:
        if t.dep in _PASSIVE_SUBJECTS | {"dobj"} and _is_verb(tokens, t.head, verbs):
            return True
        return _nominal_patient(tokens, i, verbs)
    return False


def _nominal_agent(tokens: Sequence[Token], i: int, verbs: frozenset[str]) -> bool:
    """ "Britain's sanctions", "the assault by two men", "the Russian attack": the event noun's owner."""
    t = tokens[i]
    if t.dep in {"poss", "compound", "amod"}:
        return _is_noun(tokens, t.head, verbs)
    if t.dep == "pobj" and tokens[t.head].lemma in {"by", "from"}:
        return _is_noun(tokens, tokens[t.head].head, verbs)
    return False


def _nominal_patient(tokens: Sequence[Token], i: int, verbs: frozenset[str]) -> bool:
    """ "sanctions on Tehran", "the attack against Kyiv", "the killing of ...": the event noun's target."""
    t = tokens[i]
    return (
        t.dep == "pobj"
        and tokens[t.head].lemma in {"on", "against", "of", "to"}
        and _is_noun(tokens, tokens[t.head].head, verbs)
    )


def _is_noun(tokens: Sequence[Token], i: int, verbs: frozenset[str]) -> bool:
    return tokens[i].lemma in verbs and tokens[i].pos in {"NOUN", "PROPN"}


def named_fillers(role: str, verbs: frozenset[str], tokens: Sequence[Token]) -> list[tuple[str, int]]:
    """(Text, start offset) of each proper-noun phrase that fills `role` to one of `verbs`, entity or not:
    the recogniser misses names ("Kasparow won") that the parse still puts in the role."""
    out = []
    for i, t in enumerate(tokens):
        if t.pos == "PROPN" and t.dep not in _THROUGH and fills(role, verbs, tokens, i):
            first = i
            while first > 0 and tokens[first - 1].pos == "PROPN" and tokens[first - 1].head == i:
                first -= 1
            out.append((" ".join(x.text for x in tokens[first : i + 1]), tokens[first].start))
    return out


def counted(tokens: Sequence[Token], i: int) -> int | None:
    """The index of the noun a number counts: "59 [of the 116] drones", "Three sources"; None for a
    bare number."""
    t = tokens[i]
    if t.dep == "nummod" and tokens[t.head].pos in {"NOUN", "PROPN"}:
        return t.head
    of = next((j for j, c in enumerate(tokens) if c.head == i and j != i and c.lemma == "of"), None)
    if of is not None:
        return next((j for j, c in enumerate(tokens) if c.head == of and j != of and c.dep == "pobj"), None)
    return None


def distance(tokens: Sequence[Token], a: int, b: int) -> int:
    """Edges between tokens `a` and `b` in the dependency tree."""
    up_a = _path_up(tokens, a)
    depth = {node: d for d, node in enumerate(up_a)}
    for d, node in enumerate(_path_up(tokens, b)):
        if node in depth:
            return depth[node] + d
    return len(tokens)  # different sentences of one span: no path


def _phrase_head(tokens: Sequence[Token], i: int) -> int:
    """Climb from a name to the phrase it heads or stands in apposition/coordination with."""
    seen = {i}
    while tokens[i].dep in _THROUGH and tokens[i].head not in seen:
        i = tokens[i].head
        seen.add(i)
    return i


def _is_verb(tokens: Sequence[Token], i: int, verbs: frozenset[str]) -> bool:
    return tokens[i].lemma in verbs and tokens[i].pos in {"VERB", "AUX"}


def _agent_of(tokens: Sequence[Token], prep: int, verbs: frozenset[str]) -> bool:
    """ "... imposed by Britain" (a passive's agent) or "according to X" (a speaker)."""
    p = tokens[prep]
    if p.dep == "agent":
        return _is_verb(tokens, p.head, verbs)
    return p.lemma == "to" and tokens[p.head].lemma == "accord" and "accord" in verbs


def _subject_of_relative(tokens: Sequence[Token], i: int, verbs: frozenset[str]) -> bool:
    """ "Peskov, who called it ...": the relative clause's verb hangs on the name, "who" is its subject."""
    return any(
        t.dep == "relcl"
        and t.head == i
        and t.lemma in verbs
        and any(s.head == j and s.dep in _SUBJECTS and s.pos == "PRON" for s in tokens)
        for j, t in enumerate(tokens)
    )


def _inherited_subject(tokens: Sequence[Token], i: int, verbs: frozenset[str]) -> bool:
    """ "Britain decided to sanction ...", "Peskov arrived and called it ...": a role verb without a
    subject of its own takes the subject of the verb it hangs on."""
    t = tokens[i]
    if t.dep not in _SUBJECTS:
        return False
    return any(
        _is_verb(tokens, j, verbs)
        and v.dep in _INHERIT
        and not _own_subject(tokens, j)
        and _reaches(tokens, j, t.head)
        for j, v in enumerate(tokens)
    )


def _own_subject(tokens: Sequence[Token], verb: int) -> bool:
    return any(
        s.head == verb and s.dep in _SUBJECTS | _PASSIVE_SUBJECTS and k != verb for k, s in enumerate(tokens)
    )


def _reaches(tokens: Sequence[Token], verb: int, governor: int) -> bool:
    """Does `verb` hang on `governor` through xcomp/conj/advcl links only?"""
    seen = {verb}
    while tokens[verb].dep in _INHERIT and tokens[verb].head not in seen:
        verb = tokens[verb].head
        if verb == governor:
            return True
        seen.add(verb)
    return False


def _path_up(tokens: Sequence[Token], i: int) -> list[int]:
    path = [i]
    while tokens[i].head != i and tokens[i].head not in path:
        i = tokens[i].head
        path.append(i)
    return path
