"""Who did what to whom, across every article: relation edges grouped, filtered, and asked about.

The store keeps one edge per (sentence, relation, subject, object) (see `vectorstore/relations.py`).
Here edges with the same normalised (subject, relation, object) become one `Group` with all its
sentences (how many sources say so, when), groups are filtered by relation and entity and ranked,
and a who-did-what-to-whom question ("Who sanctioned whom?", "Who supplied drones to Russia?",
"Whom did the EU sanction?") is read into a `RelationQuery`. Our own code: llama-index's knowledge
graph indexes build triples with an LLM call per chunk and keep no checkable sentence per edge.
Deliberately not here: extraction (`vectorstore/relations.py`) and turning groups into a cited answer
(`relation_answer.py`, numbered and rendered by `engine.py`).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.evidence import is_injection
from vectorstore.aliases import normalise, state_of_adjective
from vectorstore.edge import Edge
from vectorstore.relations import VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# How each relation reads in a table or a line ("EU — sanctioned → Iran").
PAST = {
    "sanction": "sanctioned",
    "supply": "supplied",
    "attack": "attacked",
    "produce": "produced",
    "accuse": "accused",
    "condemn": "condemned or warned",
    "meet": "met",
    "kill": "killed or injured",
}
# Verbs that ask about a relation in a question, beyond the extraction triggers ("arm", "give").
_ASKING_VERBS = {**{v: r for v, (r, _) in VERBS.items()}, "arm": "supply", "give": "supply"}
_ASKING_VERBS.pop("direct", None)  # "who directed the film" is no attack
_ASKING_VERBS.pop("fire", None)  # "who fired the minister"
_ASKING_VERBS.pop("down", None)
_ACTOR_HEADS = {
    "country",
    "state",
    "nation",
    "government",
    "company",
    "firm",
    "group",
    "organisation",
    "organization",
    "side",
    "bloc",
    "ally",
    "army",
    "force",
    "who",
    "whom",
}
_WH = {"who", "whom", "which", "what"}


@dataclass(frozen=True)
class Group:
    """Every edge that says the same (subject, relation, object), from any number of articles."""

    relation: str
    subject: str
    object: str
    edges: tuple[Edge, ...]  # document and sentence order

    @property
    def sources(self) -> int:
        """How many distinct articles say so."""
        return len({e.doc_id for e in self.edges})

    @property
    def dates(self) -> list[str]:
        """When: the dates the sentences state outright ("17 October 2022", not "yesterday"), else their
        articles' dates; distinct, in order of first use."""
        return list(dict.fromkeys(d for e in self.edges if (d := when(e))))

    @property
    def subject_text(self) -> str:
        return _most_common([e.subject_text for e in self.edges]) or self.subject

    @property
    def object_text(self) -> str:
        return _most_common([e.object_text for e in self.edges]) or self.object

    @property
    def items(self) -> list[str]:
        return list(dict.fromkeys(e.item for e in self.edges if e.item))

    @property
    def hedge(self) -> str:
        """'' when any sentence states it; else how the sentences hedge it ("alleged", "planned")."""
        hedges = {e.hedge for e in self.edges}
        return "" if "" in hedges else sorted(hedges)[0]

    @property
    def is_act(self) -> bool:
        """Whether a sentence reports it as an act, by a verb in the past ("sanctioned", "sold"), not
        as a noun ("sanctions on", "transfers")."""
        return any(_PAST_VERB.search(e.verb) for e in self.edges)

    @property
    def label(self) -> str:
        """ "EU — sanctioned → seven individuals and seven entities" (keys, for tables and graphs)."""
        return f"{self.subject or '(unnamed)'} — {PAST[self.relation]} → {self.object}"


_PAST_VERB = re.compile(r"(ed|sold|sent|struck|hit|shot|built|met|bought|made|gave|fought)$", re.I)
_YEAR = re.compile(r"\b(19|20)\d\d\b")


def when(edge: Edge) -> str:
    """The edge's date: the one its sentence states when that names a year ("17 October 2022", not
    "earlier this month"), else its article's date ('' when neither is known)."""
    return edge.date if _YEAR.search(edge.date) else edge.doc_date


def _most_common(values: Iterable[str]) -> str:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else ""


def group(edges: Iterable[Edge]) -> list[Group]:
    """Edges with the same (relation, subject, object) as one group each, ranked (see `rank_key`)."""
    by_key: dict[tuple[str, str, str], list[Edge]] = {}
    for edge in edges:
        by_key.setdefault((edge.relation, edge.subject, edge.object.lower()), []).append(edge)
    groups = [Group(r, s, es[0].object, tuple(es)) for (r, s, _), es in by_key.items()]
    return sorted(groups, key=rank_key)


def rank_key(g: Group) -> tuple[bool, bool, bool, bool, int, str]:
    """Firm, named acts first: stated before alleged or planned; a named actor before none; an act
    ("the EU sanctioned …", "Iran sold …") before a standing state ("Iran, which is under US
    sanctions"); a counted or named object ("seven individuals", "Iran") before a bare common noun;
    then more sources, then the label (stable)."""
    specific = bool(re.search(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten)\b", g.object))
    named = g.object[:1].isupper() or specific
    return (g.hedge != "", g.subject == "", not g.is_act, not named, -g.sources, g.label.lower())


def key_of(entity: str) -> str:
    """An entity as the user typed it, as the key edges use ("Tehran" -> "Iran", "the EU" -> "EU")."""
    return normalise(state_of_adjective(entity) or entity)


def matching(
    groups: Iterable[Group],
    *,
    relation: str | None = None,
    entity: str | None = None,
    subject: str | None = None,
    obj: str | None = None,
    item: str | None = None,
    mentions: Sequence[str] = (),
) -> list[Group]:
    """The groups of `relation` that involve `entity` (either side or the reason given, as typed:
    aliases count), whose
    subject / object is the key `subject` / `obj`, that supply or produce `item`, and one of whose
    sentences mentions every one of `mentions`; rank order kept."""
    names = {key_of(entity).lower(), " ".join(entity.split()).lower()} if entity else set()
    out = []
    for g in groups:
        if relation and g.relation != relation:
            continue
        if names and not (_is(g.subject, names) or _is(g.object, names) or _in_reason(g, names)):
            continue
        if subject and not _is(g.subject, {subject.lower()}):
            continue
        if obj and not _is(g.object, {obj.lower()}):
            continue
        if item and not any(_has_word(t, item) for t in [g.object, *g.items]):
            continue
        if mentions and not any(all(_mentioned(g, e, m) for m in mentions) for e in g.edges):
            continue
        out.append(g)
    return out


def _in_reason(g: Group, keys: set[str]) -> bool:
    """Whether the reason a sentence gives names the entity ("… following Iran's drone transfers")."""
    return any(e.reason and any(_has_word(e.reason, k) for k in keys) for e in g.edges)


def _mentioned(g: Group, e: Edge, name: str) -> bool:
    """A name the question states is in the edge: one of its sides (aliases count) or its sentence."""
    key = key_of(name).lower()
    return key in (g.subject.lower(), g.object.lower()) or _has_word(e.quote, name)


def _is(side: str, keys: set[str]) -> bool:
    """Whether a group's side is one of these keys, or holds one as whole words ("Iranian drone makers"
    is not Iran; "Kyiv region" holds Kyiv)."""
    low = side.lower()
    return low in keys or any(len(k) > 2 and _has_word(low, k) for k in keys)


def _has_word(text: str, word: str) -> bool:
    stem = re.escape(word.lower().rstrip("s"))
    return re.search(rf"\b{stem}(s|es)?\b", text.lower()) is not None


# --- questions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelationQuery:
    """What a who-did-what-to-whom question asks of the edges."""

    relation: str
    subject: str = ""  # a key the edges' subject must be ("" = any: that is what is asked)
    object: str = ""
    item: str = ""  # what was supplied or produced ("drones")
    mentions: tuple[str, ...] = ()  # other names the question states ("over Iran's transfers")


def read_question(doc: Doc) -> RelationQuery | None:
    """The relation query of a parsed question, or None when it is not a who-did-what-to-whom question.

    Narrow on purpose, so factual questions keep the ordinary path: a who/whom (or which country,
    company …) asks for one side of a relation verb, and the question states no date, figure or
    reporting context ("in June 2022", "according to …"), which edges do not answer. The sides are
    read from word order around the verb ("Who sold drones to Russia?", "Whom did the EU sanction?",
    "Who was sanctioned by the EU?"): the small parser often mis-tags the verb of a do-question."""
    wh = next((t for t in doc if t.tag_ in {"WP", "WDT", "WP$"} and t.lower_ in _WH), None)
    if wh is None or any(e.label_ in _NOT_EDGE_FACTS for e in doc.ents) or "according" in doc.text.lower():
        return None
    if wh.lower_ in ("which", "what") and _asked_head(wh) not in _ACTOR_HEADS:
        return None
    verb = _relation_verb(doc, wh)
    if verb is None:
        return None
    relation = "sanction" if verb.lemma_.lower() == "impose" else _ASKING_VERBS[verb.lemma_.lower()]
    return _sides(doc, wh, verb, relation)


_NOT_EDGE_FACTS = {"DATE", "TIME", "CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"}
_DO = {"did", "does", "do", "has", "have", "had", "will", "would", "could"}


def _asked_head(wh: Token) -> str:
    """The noun "which"/"what" asks about ("which countries" -> "country")."""
    nxt = wh.doc[wh.i + 1] if wh.i + 1 < len(wh.doc) else None
    if nxt is not None and nxt.pos_ in ("NOUN", "PROPN"):
        return nxt.lemma_.lower()
    return ""


def _relation_verb(doc: Doc, wh: Token) -> Token | None:
    """The relation verb the wh-word asks about: the question's main verb (the root, or the clause the
    root "did"/"has" governs), never one inside a relative clause ("Who was the spokesman who talked
    about drones used to strike Kyiv?" asks for a person, not an attacker). A word tagged as a noun
    counts in a do-question ("Whom did the EU sanction?"), where the parser often takes it for one;
    "impose" counts with sanctions as its object."""
    for token in doc[wh.i + 1 :]:
        if not _main_clause(token):
            continue
        lemma = token.lemma_.lower()
        if lemma == "impose":
            return token if any(t.lemma_.lower() == "sanction" for t in doc[token.i + 1 :]) else None
        if lemma not in _ASKING_VERBS or token.dep_ == "compound":
            continue
        if token.pos_ in ("VERB", "AUX") or any(t.lower_ in _DO for t in doc[wh.i + 1 : token.i]):
            return token
    return None


def _main_clause(token: Token) -> bool:
    """The root, or a verb (or mis-tagged verb) the root governs directly: "did … attack", "was … sold"."""
    if token.dep_ == "ROOT":
        return True
    head = token.head
    return (
        head.dep_ == "ROOT"
        and token.dep_ in ("xcomp", "ccomp", "dobj", "conj")
        and (head.lemma_.lower() in ("do", "have", "be", "will") or token.dep_ in ("xcomp", "conj"))
    )


def _sides(doc: Doc, wh: Token, verb: Token, relation: str) -> RelationQuery:
    """Which side of the relation each name of the question is, by word order around the verb: the
    doer before the verb of a do-question or after "by"; the source after "from"; the target after
    the verb. With "receive"/"buy" the doer is the edge's object (the supplier is its subject)."""
    inverse = VERBS.get(verb.lemma_.lower(), ("", False))[1]
    do_question = any(t.lower_ in _DO for t in doc[wh.i + 1 : verb.i])
    target = relation in ("attack", "kill")  # "Who attacked Kyiv?": the city, not the state
    sides = {"subject": "", "object": ""}
    mentions: list[str] = []
    for ent in (e for e in doc.ents if e.label_ in ("GPE", "ORG", "NORP", "PERSON", "LOC", "FAC")):
        if ent.label_ == "NORP" and ent.root.dep_ in ("amod", "compound"):
            continue  # "Iranian drones": a description, not a side
        role = _role(doc, wh, verb, ent.start, do_question)
        if role == "target":
            sides["object"] = normalise(ent.text, acting=False) if target else key_of(ent.text)
        elif role == "source" and relation == "supply":
            sides["subject"] = key_of(ent.text)
        elif role == "doer":
            sides["object" if inverse else "subject"] = key_of(ent.text)
        else:
            mentions.append(ent.text)
    covered = {i for e in doc.ents for i in range(e.start, e.end)}
    mentions += [t.text for t in doc if t.pos_ == "PROPN" and t.i not in covered]  # names the tagger missed
    item = ""
    if relation in ("supply", "produce"):
        noun = next((t for t in doc[verb.i + 1 :] if t.pos_ == "NOUN" and not t.ent_type_), None)
        item = noun.lemma_.lower() if noun is not None else ""
    return RelationQuery(relation, sides["subject"], sides["object"], item, tuple(mentions))


def _role(doc: Doc, wh: Token, verb: Token, at: int, do_question: bool) -> str:
    """'doer', 'source', 'target' or '' for a name starting at token `at`."""
    if at > verb.i:
        # the preposition that opens the phrase the name is in ("over Iran's transfers to Russia": over)
        prep = next((t.lower_ for t in doc[verb.i + 1 : at] if t.pos_ == "ADP"), "")
        if prep == "by":
            return "doer"
        if prep == "from":
            return "source"
        return "target" if prep in ("", "to", "on", "against", "at", "with", "into") else ""
    return "doer" if do_question and at > wh.i else ""


class RelationIndex:
    """The store's edges, grouped once per store version (another process's ingest is noticed); edges
    of documents without a record, and from sentences addressed to an AI, are left out, as they are
    from evidence."""

    def __init__(
        self,
        load: Callable[[], list[Edge]],
        version: Callable[[], str],
        known: Callable[[set[str]], set[str]] | None = None,
    ) -> None:
        self._load, self._version = load, version
        self._known = known  # which of these documents have records (None: all of them)
        self._seen = None  # type: str | None
        self._groups: list[Group] = []
        self._lock = threading.Lock()

    def groups(self) -> list[Group]:
        """Every group, ranked; reloaded when the store's version stamp changed."""
        with self._lock:
            now = self._version()
            if now != self._seen or (not self._groups and now == ""):
                edges = self._load()
                # edges of a document whose record is not written yet (an ingest killed in between)
                # are not answerable, like its chunks; nor is a sentence addressed to an AI
                known = self._known({e.doc_id for e in edges}) if self._known else None
                self._groups = group(
                    e for e in edges if (known is None or e.doc_id in known) and not is_injection(e.quote)
                )
                self._seen = now
            return self._groups

    def refresh(self) -> None:
        with self._lock:
            self._seen = None
