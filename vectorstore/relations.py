"""Relation edges from news text at ingest: spaCy's dependency parse and entities, no model call.

For the relations news about conflicts and policy needs (sanction, supply, attack, produce, accuse,
condemn, meet, kill) each sentence that holds a trigger word is parsed, and a trigger yields edges
when the parse names both sides: a verb through its subject and object (passive, relative clauses,
infinitives and conjoined verbs inherit their controller's subject; "accused X of supplying" makes X
the supplier), a noun through its possessor, nationality adjective or "by/from" phrase and its
"on/against/to" phrase ("Iran's drone transfers to Russia", "Iran, which is under US sanctions").
Coordinated names give one edge each; a pronoun is resolved only when exactly one compatible name
precedes it in its paragraph, else the edge is dropped. Negated and conditional triggers give nothing;
allegations and plans are kept with a `hedge`. Precision over recall throughout: an edge needs a
named actor (except "sanctions on X", whose imposer news often leaves unsaid).

Deliberately not here: storing edges (`store.py`), grouping or answering from them (`qa/relations.py`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from vectorstore.aliases import STATE_HEADS, known, normalise, state_of_adjective
from vectorstore.edge import Edge

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

# verb lemma → (relation, the subject receives rather than gives)
VERBS: dict[str, tuple[str, bool]] = {
    "sanction": ("sanction", False),
    **{
        v: ("supply", False)
        for v in ("supply", "sell", "send", "deliver", "transfer", "provide", "ship", "export")
    },
    **{v: ("supply", True) for v in ("receive", "buy", "purchase", "acquire", "import", "obtain")},
    **{
        v: ("attack", False)
        for v in (
            "attack",
            "strike",
            "hit",
            "target",
            "shell",
            "bomb",
            "bombard",
            "pound",
            "down",
            "shoot",
            "launch",
            "fire",
            "direct",
            "invade",
        )
    },
    **{v: ("produce", False) for v in ("produce", "manufacture", "build", "assemble")},
    "accuse": ("accuse", False),
    "condemn": ("condemn", False),
    "warn": ("condemn", False),
    "meet": ("meet", False),
    "kill": ("kill", False),
    "injure": ("kill", False),
    "wound": ("kill", False),
    # only with sanctions/restrictions as their object ("slapped sanctions on Moscow")
    **{
        v: ("sanction", False)
        for v in ("impose", "slap", "levy", "introduce", "adopt", "announce", "unveil", "extend", "tighten")
    },
}
NOUNS: dict[str, str] = {
    "sanction": "sanction",
    **{n: "attack" for n in ("attack", "strike", "airstrike", "bombardment", "shelling", "assault")},
    **{n: "supply" for n in ("transfer", "delivery", "supply", "sale", "shipment", "provision")},
    **{n: "produce" for n in ("production", "manufacture", "manufacturing")},
}
# A cheap pre-filter: only sentences holding one of these stems are parsed at all.
TRIGGER = re.compile(
    r"\b(sanction\w*|suppl(y|ies|ied|ying)|sell(s|ing)?|sold|sales?|sen(d|ds|ding|t)|deliver\w*|"
    r"transfer\w*|provid\w*|provision|ship(s|ped|ping|ment|ments)?|export\w*|receiv\w*|bought|buy\w*|"
    r"purchas\w*|acquir\w*|import(s|ed|ing)?|obtain\w*|attack\w*|strik\w*|struck|airstrikes?|"
    r"hit(s|ting)?|target\w*|shell(s|ed|ing)?|bomb\w*|pound(s|ed|ing)?|down(s|ed|ing)?|shoot\w*|shot|"
    r"launch\w*|fir(e|es|ed|ing)|direct(s|ed|ing)?|invad\w*|produc(e|es|ed|ing|tion)|manufactur\w*|"
    r"buil(d|ds|ding|t)|assembl\w*|accus\w*|condemn\w*|warn(s|ed|ing)?|meet(s|ing)?|met|kill\w*|"
    r"injur\w*|wound\w*|impos\w*|assault\w*)\b",
    re.I,
)
_ACTORS = {"GPE", "ORG", "NORP", "PERSON"}
_TARGETS = _ACTORS | {"LOC", "FAC"}
_NOT_ATTACK = {
    "deal",
    "agreement",
    "accord",
    "note",
    "tone",
    "balance",
    "chord",
    "record",
    "high",
    "low",
    "headline",
    "headlines",
    "post",
    "bar",
    "wall",
    "shelf",
    "market",
    "shop",
    "store",
    "button",
    "jackpot",
    "ground",
    "road",
    "nerve",
    "spot",
    "pitch",
    "goal",
    "century",
    "six",
}
_DENY = {"deny", "reject", "refute", "dismiss", "rule", "refuse", "decline", "fail"}
_ALLEGE = {"accuse", "allege", "claim", "suspect", "blame", "charge"}
_PLAN = {
    "plan",
    "intend",
    "consider",
    "prepare",
    "threaten",
    "seek",
    "want",
    "look",
    "expect",
    "fear",
    "propose",
    "aim",
    "agree",
    "set",
    "hope",
    "try",
    "discuss",
    "mull",
    "weigh",
    "deal",
    "concern",
    "possibility",  # "signal the possibility of sanctions against Beijing"
    "threat",
    "prospect",
    "option",
    "call",  # "called for sanctions on …": asked, not imposed
    "urge",
    "demand",
    "schedule",  # "is scheduled to meet"
    "due",
}
_MODALS = {"could", "would", "might", "may", "should", "will", "can", "must", "'ll", "wo"}
_IMPOSING = {v for v, (relation, _) in VERBS.items() if relation == "sanction" and v != "sanction"}
_SANCTION_WORDS = {"sanction", "restriction", "measure", "embargo", "ban", "tariff", "penalty"}
_PRONOUNS = {
    "it": {"GPE", "ORG"},
    "its": {"GPE", "ORG"},
    "they": {"GPE", "ORG", "NORP"},
    "their": {"GPE", "ORG", "NORP"},
    "them": {"GPE", "ORG", "NORP"},
    "he": {"PERSON"},
    "his": {"PERSON"},
    "him": {"PERSON"},
    "she": {"PERSON"},
    "her": {"PERSON"},
}
_PHRASE_DEPS = {
    "det",
    "nummod",
    "amod",
    "compound",
    "poss",
    "nmod",
    "quantmod",
    "cc",
    "conj",
    "case",
    "advmod",
    "predet",
    "punct",
    "npadvmod",
}


@lru_cache(maxsize=1)
def version() -> str:
    """The extractor's version: a hash of the code that decides edges, so a change to it makes the next
    ingest re-extract every document's edges (without re-embedding anything)."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("relations.py", "aliases.py", "edge.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:12]


class _Sentence:
    """One parsed sentence, where it sits, and (parsed only when a pronoun needs them: most sentences
    never do) the names earlier in its paragraph."""

    def __init__(self, doc: Doc, text: str, start: int, nlp: Language) -> None:
        self.doc, self.text, self.start, self.nlp = doc, text, start, nlp
        self._before: list[tuple[str, str]] | None = None

    @property
    def before(self) -> list[tuple[str, str]]:
        if self._before is None:
            self._before = _names_before(self.text, self.start, self.doc, self.nlp)
        return self._before


def paragraphs(text: str) -> list[tuple[int, int]]:
    """[start, end) of each non-empty line of `text`: a paragraph of a news article."""
    out, at = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((at, at + len(line)))
        at += len(line) + 1
    return out


@dataclass(frozen=True)
class Article:
    """What extraction needs of one document: its id, text, sentence spans, date and headline."""

    doc_id: str
    text: str
    sentences: Sequence[tuple[int, int]]  # [start, end) spans into `text`
    date: str = ""
    title: str = ""


def extract(article: Article, nlp: Language) -> list[Edge]:
    """Every edge the sentences of one document state."""
    return extract_many([article], nlp)


def extract_many(articles: Iterable[Article], nlp: Language, batch_size: int = 64) -> list[Edge]:
    """`extract` for many documents, parsing all their candidate sentences in one `nlp.pipe` stream."""
    work: list[tuple[Article, int, int]] = []
    for a in articles:
        work += [(a, s, e) for s, e in a.sentences if TRIGGER.search(a.text, s, e)]
    parsed = nlp.pipe((a.text[s:e] for a, s, e in work), batch_size=batch_size)
    edges: list[Edge] = []
    for (a, s, e), doc in zip(work, parsed, strict=True):
        sentence = _Sentence(doc, a.text, s, nlp)
        for edge in _edges(sentence):
            edges.append(
                Edge(
                    doc_id=a.doc_id, start=s, end=e, quote=a.text[s:e], doc_date=a.date, title=a.title, **edge
                )
            )
    return _dedupe(edges)


def _names_before(text: str, start: int, doc: Doc, nlp: Language) -> list[tuple[str, str]]:
    """(label, key) of the names earlier in the paragraph, parsed (entities only) only when the sentence
    has a pronoun that might need them."""
    if not any(t.lower_ in _PRONOUNS for t in doc):
        return []
    para = text.rfind("\n", 0, start) + 1
    if para >= start:
        return []
    prefix = nlp(text[para:start])
    names = [(ent.label_, normalise(ent.text)) for ent in prefix.ents if ent.label_ in _ACTORS]
    return names + _state_phrases(prefix)


def _dedupe(edges: list[Edge]) -> list[Edge]:
    """One edge per id; "sanctions on Iran" with no imposer goes when the sentence names one for it."""
    seen: dict[str, Edge] = {}
    for edge in edges:
        seen.setdefault(edge.id, edge)
    named = {(e.doc_id, e.start, e.relation, e.object) for e in seen.values() if e.subject}
    return [e for e in seen.values() if e.subject or (e.doc_id, e.start, e.relation, e.object) not in named]


# --- triggers ------------------------------------------------------------------------------------


def _edges(sentence: _Sentence) -> Iterable[dict[str, str]]:
    for token in sentence.doc:
        if token.pos_ == "VERB" and token.lemma_.lower() in VERBS:
            yield from _verb_edges(sentence, token)
        elif token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in NOUNS:
            yield from _noun_edges(sentence, token)


def _verb_edges(sentence: _Sentence, verb: Token) -> Iterable[dict[str, str]]:
    relation, inverse = VERBS[verb.lemma_.lower()]
    if _negated(verb) or _conditional(verb):
        return
    lemma = verb.lemma_.lower()
    dobj = _child(verb, "dobj")
    preps = _preps(verb)
    if lemma in _IMPOSING:
        word = dobj
        if word is not None and word.lemma_.lower() in ("round", "package", "set", "wave", "raft"):
            word = _preps(word).get("of")  # "imposing a fresh round of sanctions on Iran"
            preps = {**_preps(dobj), **preps} if dobj is not None else preps
        allowed = _SANCTION_WORDS if lemma == "impose" else {"sanction", "embargo"}  # not "a ban on smoking"
        if word is None or word.lemma_.lower() not in allowed:
            return
        preps = {**_preps(word), **preps}
        dobj = None
    if lemma == "shoot" and not any(
        c.dep_ in ("prt", "advmod") and c.lower_ == "down" for c in verb.children
    ):
        return
    if any(c.dep_ == "prt" and c.lower_ in _OTHER_SENSE for c in verb.children):
        return  # "hit out at", "killing off demand", "built up troops": another verb altogether
    if lemma in ("launch", "fire", "direct") and (dobj is None or _head_word(_item(dobj)) not in _LAUNCHED):
        return  # "launched an attack on Kyiv", not "launched infringement action" or "his defence"
    if lemma in ("launch", "fire", "direct"):  # a target only through "at/against/on", maybe on the weapon
        for weapon in [dobj, *([dobj and _preps(dobj).get("of")] if dobj is not None else [])]:
            if weapon is not None:
                preps = {**_preps(weapon), **preps}
        dobj = None
    if lemma in _IMPOSING and dobj is None and "on" not in preps and "against" not in preps:
        return
    passive = _child(verb, "nsubjpass")
    subjects = _agents(sentence, verb, passive)
    if relation == "produce":
        subjects += _partners(sentence, verb, subjects)
    if relation == "sanction" and passive is not None and not subjects:
        subjects = [("", "")]  # "both nations being heavily sanctioned": by whom, unsaid
    if relation == "supply":
        recipient, item = _supply_sides(verb, dobj, preps, passive)
        if inverse:  # "Russia received drones from Iran": the receiver is the object, the source the subject
            supplier = preps.get("from")
            objects = subjects
            subjects = _names(sentence, supplier, True) if supplier is not None else []
        else:
            objects = _names(sentence, recipient, True) if recipient is not None else []
        detail = {"item": _item(item)}
    else:
        target = passive if passive is not None else dobj
        if target is None:
            target = preps.get("at") or preps.get("against") or preps.get("on")
        if target is None or (lemma in ("strike", "hit") and target.lemma_.lower() in _NOT_ATTACK):
            return
        acting = relation not in ("attack", "kill")  # a capital hit is the city; one sanctioned, the state
        objects = _names(
            sentence, target, acting, phrases=relation in ("attack", "produce", "kill", "sanction")
        )
        detail = {}
    yield from _combine(sentence, verb, relation, subjects, objects, detail)


def _noun_edges(sentence: _Sentence, noun: Token) -> Iterable[dict[str, str]]:
    relation = NOUNS[noun.lemma_.lower()]
    if noun.dep_ == "compound" or _negated(noun.head) or _conditional(noun.head):
        return  # "attack drones" names a weapon, not an attack
    preps = _preps(noun)
    subjects = _noun_agents(sentence, noun, preps)
    if relation == "supply":
        recipient = preps.get("to")
        objects = _names(sentence, recipient, True) if recipient is not None else []
        item = preps.get("of") or next((c for c in noun.children if c.dep_ in ("nmod", "compound")), None)
        detail = {"item": _item(item)}
    else:
        target = preps.get("on") or preps.get("against") or preps.get("across")
        if target is None and relation in ("attack", "produce"):
            target = preps.get("of")
        if target is None and relation == "sanction":  # "sanctions introduced against Russia"
            clause = next((c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"), None)
            target = (
                (_preps(clause).get("on") or _preps(clause).get("against")) if clause is not None else None
            )
        acting = relation == "sanction"
        objects = _names(sentence, target, acting, phrases=True) if target is not None else []
        if not objects and relation == "sanction":
            objects = _sanctioned_by_clause(sentence, noun)
        detail = {}
    if relation != "sanction" and not subjects:
        return
    yield from _combine(sentence, noun, relation, subjects or [("", "")], objects, detail)


def _combine(
    sentence: _Sentence,
    trigger: Token,
    relation: str,
    subjects: list[tuple[str, str]],
    objects: list[tuple[str, str]],
    detail: dict[str, str],
) -> Iterable[dict[str, str]]:
    if not _plausible_kind(relation, trigger, detail.get("item", "")):
        return
    if relation == "meet" and any(t.lemma_.lower() in _SPORT for t in sentence.doc):
        return  # "Hewitt will meet Clement in the first round": a match, not a meeting
    military = relation != "attack" or _military(sentence.doc, trigger)
    reason = _reason(trigger) if relation in ("sanction", "accuse", "condemn") else ""
    extra = {"date": _date(trigger), "place": _place(trigger), "reason": reason, "hedge": _hedge(trigger)}
    for subject, subject_text in subjects:
        for obj, obj_text in objects:
            if not (obj and obj != subject and _plausible_object(relation, obj, obj_text)):
                continue
            # a state acting or attacked needs no more; anyone else needs armed force in the sentence
            # ("Kennedy attacked Mr Brown", "Holmes hit the front", "Apple are targeting people")
            if not military and not known(obj) and not known(subject):
                continue
            yield {
                "relation": relation,
                "subject": subject,
                "object": obj,
                "subject_text": subject_text,
                "object_text": obj_text,
                "verb": trigger.text,
                **extra,
                **detail,
            }


# What can be produced or supplied, and who can be sanctioned, by the head word of the phrase: on real
# news "built up its military", "built a rationale", "sent documents to Russia", "sanctions on the
# global economy" were the typical false edges. Precision over recall: a word not listed drops the edge.
_PRODUCTS = set(
    [
        "drone",
        "uav",
        "missile",
        "rocket",
        "weapon",
        "arm",
        "shell",
        "munition",
        "ammunition",
        "tank",
        "plant",
        "factory",
        "aircraft",
        "jet",
        "helicopter",
        "vehicle",
        "component",
        "chip",
        "system",
        "engine",
        "warhead",
        "bomb",
        "gun",
        "howitzer",
        "artillery",
        "satellite",
        "ship",
        "submarine",
        "vessel",
        "interceptor",
    ]
)
_GOODS = _PRODUCTS | set(
    [
        "equipment",
        "aid",
        "assistance",
        "support",
        "gas",
        "oil",
        "fuel",
        "petroleum",
        "coal",
        "grain",
        "wheat",
        "food",
        "goods",
        "fertiliser",
        "fertilizer",
        "electricity",
        "energy",
        "money",
        "fund",
        "funding",
        "loan",
        "cash",
        "supply",
        "package",
        "tranche",
        "technology",
        "part",
        "material",
        "medicine",
        "vaccine",
        "battery",
        "defence",
        "defense",
    ]
)
_SANCTIONABLE = set(
    [
        "individual",
        "entity",
        "person",
        "people",
        "official",
        "company",
        "firm",
        "bank",
        "oligarch",
        "business",
        "member",
        "leader",
        "minister",
        "executive",
        "organisation",
        "organization",
        "group",
        "officer",
        "commander",
        "exporter",
        "importer",
        "producer",
        "manufacturer",
        "supplier",
    ]
)
_PEOPLE = set(
    [
        "people",
        "person",
        "civilian",
        "soldier",
        "troop",
        "worker",
        "child",
        "resident",
        "man",
        "woman",
        "fighter",
        "journalist",
        "officer",
        "member",
        "employee",
        "passenger",
        "citizen",
        "villager",
        "servicemen",
        "serviceman",
        "volunteer",
        "staff",
        "pilot",
        "crew",
        "student",
        "refugee",
        "victim",
        "prisoner",
    ]
)
_TARGET_HEADS = (
    _PEOPLE
    | _PRODUCTS
    | set(
        [
            "city",
            "town",
            "village",
            "region",
            "area",
            "oblast",
            "district",
            "infrastructure",
            "target",
            "base",
            "port",
            "facility",
            "building",
            "hospital",
            "school",
            "convoy",
            "position",
            "border",
            "territory",
            "country",
            "state",
            "capital",
            "station",
            "bridge",
            "depot",
            "airport",
            "airfield",
            "grid",
            "line",
            "home",
            "house",
            "apartment",
            "neighbourhood",
            "neighborhood",
            "street",
            "market",
            "centre",
            "center",
            "plant",
            "power",
            "energy",
            "frontline",
            "coast",
            "island",
            "peninsula",
            "embassy",
            "headquarters",
            "site",
            "installation",
            "network",
            "system",
            "radar",
            "warehouse",
            "refinery",
            "terminal",
            "dam",
            "railway",
            "road",
        ]
    )
)
# What "launch" or "fire" must launch to be an attack.
_LAUNCHED = set(
    [
        "attack",
        "strike",
        "offensive",
        "missile",
        "drone",
        "rocket",
        "operation",
        "assault",
        "raid",
        "invasion",
        "war",
        "bombardment",
        "counteroffensive",
        "shell",
        "artillery",
        "barrage",
        "airstrike",
        "wave",
        "salvo",
    ]
)
_OTHER_SENSE = {"out", "off", "up", "back", "on", "over"}  # particles that change a trigger's sense
# An attack by or on no state in the alias table needs one of these words beside its trigger: on real
# news "attacked", "hit" and "target" were as often verbal, sporting or commercial as military.
_MILITARY = set(
    [
        "missile",
        "drone",
        "uav",
        "rocket",
        "shell",
        "shelling",
        "bomb",
        "bombing",
        "bombardment",
        "artillery",
        "troop",
        "force",
        "military",
        "army",
        "armed",
        "soldier",
        "war",
        "invasion",
        "weapon",
        "fighter",
        "jet",
        "tank",
        "navy",
        "occupation",
        "occupier",
        "kamikaze",
        "shahed",
        "iskander",
        "ballistic",
        "cruise",
        "sabotage",
        "airstrike",
        "warplane",
        "munition",
        "howitzer",
        "mortar",
        "grenade",
        "frontline",
        "combat",
        "militant",
        "terrorist",
        "gunman",
        "airforce",
    ]
)
_WHEN = re.compile(
    r"^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|tonight|"
    r"(early|late|last|next|this)\b.*)$|\b(january|february|march|april|may|june|july|august|september|"
    r"october|november|december)\b|\b(19|20)\d\d\b",
    re.I,
)


# In sport "meet" is a match; these words in the sentence say it is sport (seen on the BBC articles).
_SPORT = set(
    [
        "round",
        "final",
        "semi",
        "quarter",
        "match",
        "game",
        "seed",
        "champion",
        "championship",
        "cup",
        "league",
        "tournament",
        "fixture",
        "title",
        "goal",
        "team",
        "side",
        "club",
        "player",
        "coach",
        "victory",
        "defeat",
        "win",
        "trophy",
        "open",
        "race",
        "tie",
        "draw",
    ]
)


def _military(doc: Doc | Span, trigger: Token) -> bool:
    """Whether the sentence speaks of armed force in words other than its trigger."""
    return any(t.i != trigger.i and t.lemma_.lower() in _MILITARY for t in doc)


def _head_word(phrase: str) -> str:
    """The last word of a phrase, lower case and singular ("seven entities" -> "entity")."""
    words = re.findall(r"[A-Za-z]+", phrase.lower())
    if not words:
        return ""
    word = words[-1]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _plausible_kind(relation: str, trigger: Token, item: str) -> bool:
    """Whether the trigger means the relation here: "built up" forces is no production, and what was
    supplied must be goods ("documents" sent to Russia are no supply)."""
    if relation == "produce" and any(c.dep_ == "prt" and c.lower_ == "up" for c in trigger.children):
        return False
    return not (relation == "supply" and item and _head_word(item) not in _GOODS)


def _plausible_object(relation: str, key: str, text: str) -> bool:
    """Whether the object fits the relation: never a date; a product for "produce"; a name, or people
    and organisations, for "sanction"; a name or something physical for "attack" ("hit out at the
    quality of films", "an attack on spending plans" are not attacks); a name or people for "kill"."""
    if _WHEN.search(text.strip()):  # "Thursday", "August 6-8, 2016": a date, not a target
        return False
    words = re.findall(r"[A-Za-z]+", text)
    named = key[:1].isupper() or bool(words and words[-1][:1].isupper())  # "Poltava" the parser missed
    head = _head_word(text)
    if relation == "produce":
        return head in _PRODUCTS
    if relation == "sanction":
        return named or head in _SANCTIONABLE
    if relation == "attack":
        return named or head in _TARGET_HEADS
    if relation == "kill":
        return named or head in _PEOPLE
    return True


# --- who: subjects, objects, names ---------------------------------------------------------------


def _agents(sentence: _Sentence, verb: Token, passive: Token | None, depth: int = 0) -> list[tuple[str, str]]:
    """The actor of a verb: its subject, its passive agent, or the subject of the verb it depends on."""
    if passive is not None or (verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl")):
        agent = _child(verb, "agent")
        pobj = _child(agent, "pobj") if agent is not None else None
        return _names(sentence, pobj, True) if pobj is not None else []
    subject = _child(verb, "nsubj")
    if subject is not None:
        return _names(sentence, subject, True)
    head = verb.head
    if head is verb:
        return []
    if verb.dep_ == "pcomp" and head.dep_ == "prep" and head.head.lemma_.lower() in _ALLEGE:
        accused = _child(head.head, "dobj") or _child(head.head, "nsubjpass")  # accused X of doing
        return _names(sentence, accused, True) if accused is not None else []
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        head = head.head
    if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp") and head.pos_ in ("VERB", "AUX"):
        passive_head = _child(head, "nsubjpass")
        if passive_head is not None and verb.dep_ == "conj":
            return []
        controller = _child(head, "nsubj") or passive_head
        if controller is None and depth < 3:  # "continues to intensify …, using … to strike": climb on
            return _agents(sentence, head, None, depth + 1)
        return _names(sentence, controller, True) if controller is not None else []
    return []


def _partners(sentence: _Sentence, verb: Token, subjects: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """ "Russia is working with Iran to produce …": Iran produces too."""
    head = verb.head
    if verb.dep_ not in ("xcomp", "advcl") or head.lemma_.lower() not in (
        "work",
        "cooperate",
        "collaborate",
        "partner",
    ):
        return []
    partner = _preps(head).get("with")
    found = _names(sentence, partner, True) if partner is not None else []
    return [p for p in found if p not in subjects]


def _noun_agents(sentence: _Sentence, noun: Token, preps: dict[str, Token]) -> list[tuple[str, str]]:
    """Who imposes, launches or sends what a trigger noun names."""
    modifiers = [c for c in noun.children if c.dep_ in ("nmod", "compound")]
    for child in [*noun.children, *[g for m in modifiers for g in m.children]]:
        if child.dep_ == "poss":  # "Iran's drone transfers", "Iran's missile and drone transfers"
            return _names(sentence, child, True)
    for child in noun.children:
        if child.dep_ in ("compound", "amod", "nmod") and (child.ent_type_ in _ACTORS or known(child.text)):
            state = state_of_adjective(child.text)
            if state:
                return [(state, child.text)]
            if child.ent_type_ in ("GPE", "ORG") or known(child.text):
                return _names(sentence, child, True)
    for word in ("by", "from"):
        if word in preps:
            return _names(sentence, preps[word], True)
    for child in noun.children:
        if child.dep_ == "acl":
            agent = _child(child, "agent")
            if agent is not None and _child(agent, "pobj") is not None:
                return _names(sentence, _child(agent, "pobj"), True)
    return []


def _sanctioned_by_clause(sentence: _Sentence, noun: Token) -> list[tuple[str, str]]:
    """ "X, which is under US sanctions" / "X faced sanctions from the West": the sanctioned is X."""
    head = noun.head
    if head.dep_ == "prep" and head.lower_ == "under":
        head = head.head
    elif not (noun.dep_ == "dobj" and head.lemma_.lower() in ("face", "suffer", "receive")):
        return []
    if head.pos_ not in ("VERB", "AUX"):
        return []
    subject = _child(head, "nsubj") or _child(head, "nsubjpass")
    return _names(sentence, subject, True) if subject is not None else []


def _supply_sides(
    verb: Token, dobj: Token | None, preps: dict[str, Token], passive: Token | None
) -> tuple[Token | None, Token | None]:
    """(recipient, item) of a giving verb: "sent Moscow drones", "supplied drones to Russia",
    "supplying Russia with drones", "drones were sent to Russia"."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if passive is None and len(objects) == 2:  # "sent Moscow a few drones", parsed as two objects
        return objects[0], objects[1]
    dative = _child(verb, "dative")
    if dative is not None and dative.pos_ == "ADP":
        dative = _child(dative, "pobj")
    if "with" in preps and dobj is not None:
        return dobj, preps["with"]
    item = passive if passive is not None else dobj
    if item is None and verb.dep_ == "relcl":  # "the documents the US sent to Russia"
        item = verb.head
    recipient = dative if dative is not None else preps.get("to")
    if recipient is None and item is not None:  # "providing a level of support to Iran"
        inner = _preps(item)
        recipient = inner.get("to") or (_preps(inner["of"]).get("to") if "of" in inner else None)
    return recipient, item


def _names(
    sentence: _Sentence, token: Token | None, acting: bool, phrases: bool = False
) -> list[tuple[str, str]]:
    """(key, surface) for each name a noun phrase holds (coordinated names give one each); with
    `phrases`, a phrase that names nobody ("civilian targets") is its own key."""
    if token is None:
        return []
    if token.pos_ == "PRON":
        return _pronoun(sentence, token, acting)
    if _PAIR.match(_phrase(token)):  # "both nations": the two states named before, if just two
        return _single(sentence, token, {"GPE"}, count=2)
    for child in token.children:  # "the Ukrainian capital, Kyiv": the name in apposition
        if child.dep_ == "appos" and _name(child, acting):
            token = child
    parts = [token, *_conjuncts(token)]
    names = [_name(part, acting) for part in parts]
    if all(names):
        return [n for n in names if n]
    if not phrases:
        return [n for n in names if n]
    if not any(names):  # "seven individuals and seven entities": one phrase, one edge
        text = _item(token) if token.pos_ == "NUM" else _phrase(token)  # "59 of the 116 … drones"
        return [(_phrase_key(token, text), text)] if text and token.pos_ in ("NOUN", "PROPN", "NUM") else []
    out = []
    for part, name in zip(parts, names, strict=True):  # "Kharkiv, Poltava, and Odesa regions"
        text = _phrase(part, bare=True)
        out.append(name or (_phrase_key(part, text), text))
    return out


def _phrase_key(token: Token, text: str) -> str:
    """A phrase that names nobody known is its own key: a proper name as written ("Kharkiv", which the
    recogniser missed), a common phrase in lower case ("civilian areas")."""
    return text if token.pos_ == "PROPN" else text.lower()


def _name(token: Token, acting: bool) -> tuple[str, str] | None:
    span = _entity(token)
    if span is not None and span.label_ in (_ACTORS if acting else _TARGETS):
        if span.label_ == "NORP":
            state = state_of_adjective(span.text)
            return (state, span.text) if state else None
        return normalise(span.text, acting=acting), span.text
    if token.lemma_.lower() in STATE_HEADS:
        for child in token.children:
            state = state_of_adjective(child.text) if child.dep_ in ("amod", "compound", "nmod") else None
            if state:
                return state, _phrase(token)
    text = _phrase(token, bare=True)
    if token.tag_ in ("NNS", "NNPS") and state_of_adjective(token.text):  # "Russians attacked"
        return state_of_adjective(token.text) or "", token.text
    if known(text) and not state_of_adjective(text):  # "the West", "the Kremlin" without an entity
        return normalise(text, acting=acting), text
    return None


def _pronoun(sentence: _Sentence, token: Token, acting: bool) -> list[tuple[str, str]]:
    """A relative pronoun is its clause's noun; a personal one the single compatible name before it."""
    if token.tag_ in ("WDT", "WP") and token.head.dep_ == "relcl":
        if token.dep_ in ("dobj", "pobj") and token.head.lemma_.lower() in ("condemn", "accuse", "warn"):
            return []  # "a war against Ukraine, which France condemns": which noun is unsure
        return _names(sentence, token.head.head, acting)
    labels = _PRONOUNS.get(token.lower_)
    if not labels:
        return []
    return _single(sentence, token, labels)


def _single(sentence: _Sentence, token: Token, labels: set[str], count: int = 1) -> list[tuple[str, str]]:
    """The `count` distinct compatible names before `token` in its paragraph, if exactly that many."""
    earlier = [(e.label_, normalise(e.text)) for e in sentence.doc.ents if e.end <= token.i]
    earlier += _state_phrases(sentence.doc[: token.i])
    keys = list(dict.fromkeys(key for label, key in sentence.before + earlier if label in labels))
    if len(keys) != count:
        return []
    return [(key, token.text) for key in keys]


_PAIR = re.compile(r"^(both|the two)\s+(countries|nations|states|governments)$", re.I)


def _item(token: Token | None) -> str:
    """What was supplied: "hundreds of attack drones", "more than two thousand drones"."""
    if token is None:
        return ""
    text = _phrase(token)
    of = _preps(token).get("of")
    return f"{text} of {_phrase(of)}" if of is not None and " of " not in text else text


def _state_phrases(doc: Doc | Span) -> list[tuple[str, str]]:
    """("ORG", state) for each "Ukrainian air force"-like phrase: a state acting, without an entity."""
    out = []
    for token in doc:
        if token.lemma_.lower() in STATE_HEADS and token.pos_ in ("NOUN", "PROPN"):
            for child in token.children:
                state = state_of_adjective(child.text) if child.dep_ in ("amod", "compound") else None
                if state:
                    out.append(("ORG", state))
    return out


def _entity(token: Token) -> Span | None:
    if not token.ent_type_:
        return None
    return next((e for e in token.doc.ents if e.start <= token.i < e.end), None)


def _conjuncts(token: Token) -> list[Token]:
    out, stack = [], [c for c in token.children if c.dep_ == "conj"]
    while stack:
        part = stack.pop(0)
        out.append(part)
        stack += [c for c in part.children if c.dep_ == "conj"]
    return out


def _phrase(token: Token, bare: bool = False) -> str:
    """The noun phrase a token heads, without clauses or prepositional tails; `bare`: without conjuncts."""
    keep = {token.i}
    stack = [token]
    while stack:
        head = stack.pop()
        for child in head.children:
            if child.dep_ in _PHRASE_DEPS and not (bare and child.dep_ in ("conj", "cc")):
                if child.dep_ == "punct" and child.text not in ("-", "–"):
                    continue
                keep.add(child.i)
                stack.append(child)
    lo, hi = min(keep), max(keep)
    words = token.doc[lo : hi + 1]
    text = re.sub(r"[“”\"]", "", words.text).strip(" ,;:'‘’")  # quote marks around a phrase are no part of it
    return re.sub(r"^(the|a|an|its|their|his|her)\s+", "", text, flags=re.I)


# --- how firmly, when, where, why ----------------------------------------------------------------


def _child(token: Token | None, dep: str) -> Token | None:
    if token is None:
        return None
    return next((c for c in token.children if c.dep_ == dep), None)


def _preps(token: Token) -> dict[str, Token]:
    """preposition → its object, for the token's own prepositional phrases."""
    out: dict[str, Token] = {}
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.pos_ == "ADP":
            pobj = _child(child, "pobj")
            if pobj is not None:
                out.setdefault(child.lower_, pobj)
    return out


def _negated(token: Token) -> bool:
    """Negated itself, or inside a negated or denied clause: "we will not participate … whether by
    sending forces or attack Russian forces"; "Iran denied selling drones"."""
    for t in [token, *_clause_ancestors(token)[:3]]:
        for child in t.children:
            if child.dep_ == "neg" and not (
                child.i + 1 < len(child.doc) and child.doc[child.i + 1].lower_ == "only"
            ):
                return True
    return any(a.lemma_.lower() in _DENY for a in _clause_ancestors(token)[:3])


def _clause_ancestors(token: Token) -> list[Token]:
    """The token's ancestors up to the edge of its clause: "Iran, which is under US sanctions, denied
    …" — the denial is not of the sanctions."""
    out = []
    for t in [token, *token.ancestors]:
        if t is not token:
            out.append(t)
        if t.dep_ in ("relcl", "acl", "appos", "advcl", "parataxis"):
            break
    return out


def _conditional(token: Token) -> bool:
    for t in [token, *list(token.ancestors)[:2]]:
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in t.children):
            return True
        subject = _child(t, "nsubj")
        if t.lower_ == "were" and subject is not None and t.i < subject.i:  # "were Iran to transfer"
            return True
    return False


def _hedge(token: Token) -> str:
    chain = [token, *list(token.ancestors)[:3]]
    lemmas = {t.lemma_.lower() for t in chain[1:]}
    if lemmas & _ALLEGE or any(
        c.lower_ in ("alleged", "allegedly", "reportedly") for t in chain for c in t.children
    ):
        return "alleged"
    modals = {c.lower_ for t in chain[:2] for c in t.children if c.tag_ == "MD"}
    if lemmas & _PLAN or modals & _MODALS:
        return "planned"
    return ""


def _date(token: Token) -> str:
    for t in [token, *list(token.ancestors)[:1]]:
        for sub in t.subtree:
            if sub.ent_type_ == "DATE" and sub.ent_iob_ == "B":
                span = _entity(sub)
                if span is not None:
                    return span.text
    return ""


def _place(token: Token) -> str:
    for word in ("in", "across", "over"):
        pobj = _preps(token).get(word)
        if pobj is not None and pobj.ent_type_ in ("GPE", "LOC", "FAC"):
            span = _entity(pobj)
            return span.text if span is not None else pobj.text
    return ""


def _reason(token: Token) -> str:
    """ "following …", "over …", "for …" in the trigger's own phrase (sanctions and accusations)."""
    for child in token.subtree:
        if child.lower_ in ("following", "over", "for") and child.dep_ in ("prep", "acl"):
            pobj = _child(child, "pobj") or _child(child, "dobj") or _child(child, "pcomp")
            if pobj is not None:
                return f"{child.text} {token.doc[pobj.left_edge.i : pobj.right_edge.i + 1].text}"
    return ""
