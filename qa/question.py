"""What a question asks for, read from its parse: the wh-type, the expected answer type, the
predicate, the named arguments, the context it states, the wh-phrase's role (agent or patient of its
verb), whether it wants a list ("which analysts"), and what a "how many" counts.

Bag-of-words cannot tell "which two countries supplied drones" (two counts the answer) from "how
many of the 100 drones" (100 is a fact), or "in June 2022" (context that narrows the search) from
"Merrick Garland" (an argument the answer must be about); spaCy's entities and dependencies can.
Deliberately not here: judging passages against the analysis (`passages.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qa import roles
from qa.terms import content_words, numbers

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PERSONISH = ("PERSON", "ORG", "GPE")  # in order of preference; "Russian" (NORP) answers no "who"
FIGURE = ("MONEY", "PERCENT", "QUANTITY", "CARDINAL")
SUM = ("MONEY", "CARDINAL")  # "how much did X pay": money, or a number the recogniser left unlabelled
COUNT = ("CARDINAL",)  # "how many drones": a count, not "2,500 kilometers" or "$33bn"
DATE = ("DATE", "TIME")
DURATION = ("DATE", "TIME", "QUANTITY")  # "how long": "within a month", "for 11 days", "5 km"
AGE = ("CARDINAL", "DATE")  # "how old": "died aged 55" gives "55" as a date to the recogniser
PLACE = ("GPE", "LOC", "FAC")
NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})

_THINGS = ("FAC", "ORG", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LOC")
# "which X" / "what X": the head noun says what kind of answer is wanted.
_HEAD_TYPES: dict[tuple[str, ...], str] = {
    ("PERSON",): """person people man woman official minister leader reporter journalist
        president ambassador academic officer general commander chief spokesman spokeswoman
        spokesperson spokespeople politician actor player prince king queen premier envoy diplomat analyst
        expert lawmaker senator mp governor mayor head director secretary chairman activist
        writer author singer athlete boxer footballer soldier pilot priest patriarch pope presenter
        bishop cardinal cleric imam rabbi individual
        host anchor correspondent editor interviewer negotiator prosecutor judge lawyer economist
        historian scientist researcher professor doctor coach manager captain founder chancellor
        colonel admiral marshal sergeant lieutenant candidate attorney solicitor barrister magistrate
        businessman businesswoman entrepreneur executive boss tycoon billionaire magnate banker
        chairwoman chairperson comedian musician artist rapper guitarist drummer vocalist composer
        conductor novelist poet playwright screenwriter filmmaker photographer designer chef dancer
        striker midfielder goalkeeper batsman bowler sprinter swimmer cyclist golfer jockey referee
        fencer skier astronaut campaigner protester lobbyist adviser advisor aide commissioner
        inspector detective critic columnist commentator blogger hacker inventor engineer heir
        widow victim suspect hostage detainee""",
    PLACE: """country countries nation state city town village region province oblast
        capital place port territory island republic district""",
    ("FAC", "ORG", "LOC"): """hotel building stadium theatre theater airport hospital prison palace
        bridge museum arena venue church cathedral mosque embassy""",
    ("NORP",): "nationality",
    ("ORG",): """company firm organisation organization group agency party bank outlet
        newspaper broadcaster channel network manufacturer maker body institution club team daily
        paper magazine""",
    DATE: "year date day month week",
    ("TIME",): "time",  # "what time did the team clock": "38.07 seconds", not "in 2002"
    ("PERCENT",): "percentage percent",
    ("MONEY",): "price fee salary wage",
    SUM: """cost budget profit revenue earnings debt deficit fine fortune wealth bonus payout
        payoff damages compensation turnover value""",  # money: a bare number needs its currency
    FIGURE: """number share amount figure total sum tally score size toll rate population speed
        range age distance capacity turnout margin level loss height length weight stake pension
        attendance""",
}
HEAD_TYPES = {word: labels for labels, words in _HEAD_TYPES.items() for word in words.split()}
_TITLE_WORDS = frozenset(
    ["prime", "attorney", "mr", "mrs", "ms", "dr", "sir", "lord", "deputy", "foreign", "defence", "defense"]
)
_AUX_WORDS = frozenset(
    [
        "did",
        "do",
        "does",
        "was",
        "were",
        "is",
        "are",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
    ]
)
# Acronyms of common nouns the recogniser takes for names ("Iranian UAVs" are drones, named or not).
NOT_NAMES = frozenset(["uav", "uavs", "ceo", "ceos", "gdp", "mp", "mps", "ngo", "ngos"])
_TIED = frozenset(["xcomp", "conj"])  # "visiting to attend", "met and signed"
MEASURE_UNITS = frozenset(
    [
        "tonne",
        "ton",
        "barrel",
        "kilometre",
        "kilometer",
        "km",
        "mile",
        "metre",
        "meter",
        "litre",
        "liter",
        "gallon",
        "kilogram",
        "kg",
        "hectare",
        "acre",
    ]
)
TIME_UNITS = frozenset(["second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade"])
# "Who chairs the WRU?" asks for its chairman, and articles say "WRU chairman David Pickering": the
# post a verb of holding it names by another word. ("Who leads/heads X" is answered by many posts,
# "X's leader", "head of X", "X chief", so those stay plain "who" questions.)
_OFFICES = {"chair": "chairman"}
_AUTHORING = frozenset(
    ["create", "write", "design", "direct", "invent", "compose", "paint", "devise", "coin"]
)
_PAYING = frozenset(["pay", "cost", "spend", "charge", "earn", "fetch", "price"])
_FIGURE_ADJ = frozenset(
    ["many", "much", "large", "big", "old", "long", "far", "fast", "high", "heavy", "deep", "wide", "tall"]
)
# Verbs that frame a question rather than say what happened ("did X say that ...", "was there ...").
_LIGHT_VERBS = frozenset(
    ["be", "have", "do", "say", "tell", "report", "call", "make", "take", "give", "get", "state", "according"]
)
# News verbs and the words that say the same thing (the predicate may appear as any of them).
_SYNONYMS = [
    "sanction sanctions impose blacklist penalise penalize fine",
    "supply send sell deliver delivery transfer provide give ship shipment export receive arm sale",
    "attack strike hit launch shell bomb target shoot fire assault raid",
    "kill die dead death killed",
    "injure wound hurt injured",
    "produce manufacture build make",
    "accuse blame charge",
    "condemn denounce criticise criticize warn slam",
    "meet talk hold visit",
    "talk interview",
    "appoint appointment name nominate nomination pick choose",
    "win beat defeat victory",
    "sign approve adopt pass authorize authorise",
    "resign quit",
    "found establish",
    "arrest detain jail imprison sentence",
]
# Event nouns that stand for the verb ("the sanctions on ...", "the attack on ..."); other nouns
# ("ship", "charge", "fire") are too often something else.
_NOMINAL = frozenset(
    [
        "sanction",
        "attack",
        "strike",
        "death",
        "killing",
        "victory",
        "delivery",
        "supply",
        "shipment",
        "transfer",
        "sale",
        "arrest",
        "appointment",
        "nomination",
    ]
)
SYNONYMS: dict[str, frozenset[str]] = {}
for _group in _SYNONYMS:
    _words = frozenset(_group.split())
    for _w in _words:
        SYNONYMS[_w] = SYNONYMS.get(_w, frozenset()) | _words


@dataclass(frozen=True)
class Question:
    """The parts of a question that decide what an answering passage must hold."""

    text: str
    wh: str  # who, whom, whose, what, which, when, where, why, how, how many, how much, ... or ""
    expects: tuple[str, ...]  # entity labels an answer may have, preferred first (empty: any answer)
    head: str  # the lemma of the noun after "which"/"what" ("country"), or ""
    predicate: frozenset[str]  # lemmas of the question's verbs or event nouns, with their synonyms
    names: tuple[str, ...]  # named arguments: entities the answer must be about
    context_dates: tuple[str, ...]  # dates the question states: narrow the search, need not be quoted
    context_names: tuple[str, ...]  # who reported it ("according to X"): narrows, need not be quoted
    counts: tuple[str, ...]  # number words that count the answer ("which two ...")
    figures: tuple[str, ...]  # numbers the question gives (not counts, not in dates): facts to find
    key_terms: frozenset[str]  # content words that are neither context nor the wh-phrase
    counted: str = ""  # the lemma of the noun "how many" counts ("drone"), "" for a proper noun or none
    many: bool = False  # a plural "which X" ("which analysts are cited ..."): a list of answers wanted
    role: str = ""  # what the wh-phrase is to its verb: roles.AGENT ("who sanctioned"), roles.PATIENT, ""
    role_verbs: frozenset[str] = frozenset()  # that verb's lemma with the verbs that say the same
    side_names: tuple[str, ...] = ()  # names in a modifier or a subordinate clause ("a US spy agency")
    affiliation: tuple[str, ...] = ()  # bodies the wh-phrase names ("which Atlantic Council writer")
    office: str = ""  # a verb of holding a post ("who chairs Ofcom": "chair"; `head` is then "chairman")
    kinds: tuple[str, ...] = ()  # what the named things are ("the Hit Factory music studio": "studio")
    stranded: str = ""  # a preposition left at the end for the wh-phrase ("shipped across?": "across")

    @property
    def core_names(self) -> tuple[str, ...]:
        """The names the question is about, not those of a modifier or subordinate clause."""
        return tuple(n for n in self.names if n not in self.side_names)

    @property
    def wants_entity(self) -> bool:
        return bool(self.expects)


def analyse(doc: Doc) -> Question:
    """The analysis of a question parsed by the spaCy pipeline."""
    wh_token = _wh_token(doc)
    wh = _wh_phrase(wh_token)
    head = _head_noun(wh_token)
    office = _office(wh_token)
    head = head or _OFFICES.get(office, "")
    expects = _expected(wh, head, _asks_name(doc))
    if wh == "how much" and any(t.lemma_.lower() in _PAYING for t in doc):
        expects = SUM  # "how much did Russia pay": a sum ("300 roubles"), not "1600km"
    if expects == PERSONISH and wh_token is not None and wh_token.head.lemma_.lower() in _AUTHORING:
        expects = ("PERSON", "ORG")  # "who created Jeremiah": a person or a firm, never a place
    counted = _counted(wh_token)
    if wh == "how many" and counted in TIME_UNITS:
        expects = DATE + COUNT  # "how many days after": "11 days" is a date to the recogniser
    elif wh == "how many" and counted in MEASURE_UNITS:
        expects = (*COUNT, "QUANTITY")  # "how many barrels": "120,000 barrels" is a quantity
    counts = _counts(doc, wh_token)
    context_names = _context_names(doc)
    dates = [e for e in doc.ents if e.label_ in DATE and not _is_wh(e)]
    context_dates = tuple(e.text for e in dates if not _names_an_event(e.root))
    side_dates = tuple(e.text for e in dates if _names_an_event(e.root))
    spans = [(trimmed(e).text, e.root) for e in doc.ents if e.label_ in NAMED and not _is_wh(e)]
    spans += [(t.text, t) for t in _loose_names(doc)]
    names = tuple(text for text, _ in spans if text not in context_names and text.lower() not in NOT_NAMES)
    context_words = set().union(
        *(content_words(t) for t in context_dates + side_dates + context_names + counts)
    )
    wh_words = content_words(" ".join(t.text for t in _wh_span(wh_token))) if wh_token is not None else set()
    key = content_words(doc.text) - context_words - wh_words
    if office:  # "chairs" is found as "chairman"
        key = (key - content_words(office)) | content_words(_OFFICES[office])
    return Question(
        text=doc.text,
        wh=wh,
        expects=expects,
        head=head,
        predicate=_predicate(doc, wh_token),
        names=names,
        context_dates=context_dates,
        context_names=context_names,
        counts=counts,
        figures=_figures(doc, counts, context_dates + side_dates + context_names),
        key_terms=frozenset(key),
        many=_plural_head(wh_token) and not counts,
        counted=counted,
        side_names=tuple(text for text, root in spans if text in names and _on_the_side(root)),
        affiliation=_affiliation(doc, wh_token),
        office=office,
        kinds=_kinds(spans),
        stranded=_stranded(doc),
        **_role(wh_token),
    )


def _stranded(doc: Doc) -> str:
    """The preposition whose object is the wh-phrase, left behind it ("Which club did Arsenal sign
    him from?": "from"; "Where were the drones shipped across?": "across"), or ""."""
    for t in doc:
        if t.dep_ != "prep" or t.pos_ != "ADP" or t.i < 2 or any(c.i > t.i for c in t.children):
            continue  # "according to X", "along with X", "17-12": not left behind
        after = doc[t.i + 1] if t.i + 1 < len(doc) else None
        if after is None or after.is_punct or after.dep_ == "prep":  # "lose to in the final?"
            return t.lemma_.lower()
    return ""


def _role(wh_token: Token | None) -> dict[str, Any]:
    """The wh-phrase's role: the subject of an active verb is its agent ("who assaulted ...", "which
    country imposed ..."), a passive's subject or an object its patient ("whom did ... sanction")."""
    words = _head_nouns(wh_token)
    phrase = words[-1] if words else wh_token
    if phrase is None:
        return {}
    verb = phrase.head
    lemma = verb.lemma_.lower()
    if verb.pos_ not in {"VERB", "AUX"} or (lemma not in SYNONYMS and lemma not in roles.SPEECH):
        return {}  # only verbs whose paraphrases we list: "took part" is said as "participated"
    if _phrasal(verb):
        return {}  # "which player was sent off": not the news verb's roles
    role = (
        roles.AGENT
        if phrase.dep_ == "nsubj"
        else roles.PATIENT
        if phrase.dep_ in {"nsubjpass", "dobj"}
        else ""
    )
    if not role:
        return {}
    return {"role": role, "role_verbs": roles.role_verbs(lemma, SYNONYMS.get(lemma, frozenset()))}


def _office(wh_token: Token | None) -> str:
    """ "Who chairs Ofcom": the verb's lemma when it asks who holds a post, or ""."""
    if wh_token is None or wh_token.lower_ != "who" or wh_token.dep_ != "nsubj":
        return ""
    verb = wh_token.head
    lemma = verb.lemma_.lower()
    if lemma not in _OFFICES:
        return ""
    return lemma if any(c.dep_ == "dobj" for c in verb.children) else ""


def _counted(wh_token: Token | None) -> str:
    """ "how many members voted" -> "member"; "how many of the Shahed drones" -> "drone"."""
    if wh_token is None or wh_token.lower_ != "how" or wh_token.i + 1 >= len(wh_token.doc):
        return ""
    many = wh_token.nbor(1)
    if many.lower_ != "many":
        return ""
    if many.dep_ in {"nsubj", "acomp"} and many.head.lemma_ == "be":  # "how many of the bodies were children"
        attr = next((c for c in many.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)
        if attr is not None:
            return str(attr.lemma_.lower())
    noun = (
        many.head
        if many.dep_ == "amod"
        else next(
            (c for p in many.children if p.lower_ == "of" for c in p.children if c.dep_ == "pobj"), None
        )
    )
    return noun.lemma_.lower() if noun is not None and noun.pos_ == "NOUN" else ""


def _head_nouns(wh_token: Token | None) -> list[Token]:
    """The nouns of the wh-phrase ("which Atlantic Council writer": Atlantic, Council, writer)."""
    return [t for t in _head_words(wh_token) if t.pos_ in {"NOUN", "PROPN"}]


def _plural_head(wh_token: Token | None) -> bool:
    """ "Which analysts ...", "what countries ...": the wh-phrase asks for several."""
    words = _head_nouns(wh_token)
    return bool(words) and words[-1].tag_ in {"NNS", "NNPS"} and words[-1].lower_ != "news"


def _wh_token(doc: Doc) -> Token | None:
    """The main clause's wh-word: "When the US pulled out, to which city were they moved?" asks
    "which city", not "when"."""
    found = [t for t in doc if t.tag_ in {"WDT", "WP", "WP$", "WRB"}]
    main = [t for t in found if not (t.tag_ == "WRB" and t.head.dep_ == "advcl")]
    return (main or found)[0] if found else None


_LOOSE_END = frozenset({"ADP", "SCONJ", "CCONJ", "DET", "PART"})


def trimmed(entity: Span) -> Span:
    """The entity without the small model's overrun into a possessive or a lowercase function word
    ("Kimberly Quinn's", "the Daily Telegraph as" in "writing in the Daily Telegraph as Ukraine ...")."""
    end = entity.end
    while end - 1 > entity.start and entity.doc[end - 1].pos_ in _LOOSE_END and entity.doc[end - 1].is_lower:
        end -= 1
    return entity if end == entity.end else entity.doc[entity.start : end]


def _is_wh(span: Span) -> bool:
    return any(t.tag_ in {"WDT", "WP", "WP$", "WRB"} for t in span)


def _wh_phrase(token: Token | None) -> str:
    """'who', 'which', 'how many', 'how large', ...; '' for a question without a wh-word."""
    if token is None:
        return ""
    word = token.lower_
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if word == "how" and nxt is not None and nxt.lower_ in _FIGURE_ADJ:
        return f"how {nxt.lower_}"
    return word


def _wh_span(token: Token | None) -> list[Token]:
    """The wh-word with what it asks about ("how many", "which two countries")."""
    if token is None:
        return []
    span = [token]
    if token.lower_ == "how" and token.i + 1 < len(token.doc):
        span.append(token.nbor(1))
    return span + _head_words(token)


def _head_words(token: Token | None) -> list[Token]:
    """The words a 'which'/'what' asks about, read from the surface (the parser often attaches the
    wh-word wrongly): "which two countries", "what extra tariff", "which French BFM TV reporter"."""
    if token is None or token.lower_ not in {"which", "what", "whose"}:
        return []
    out: list[Token] = []
    for t in token.doc[token.i + 1 : token.i + 6]:
        if t.pos_ in {"AUX", "ADP", "DET", "PRON", "PUNCT", "PART", "CCONJ"} or t.lower_ in _AUX_WORDS:
            break
        if t.pos_ == "VERB" and t.tag_ not in {"VBG", "VBZ", "NNS"} and out:
            break  # the question's verb ("which academic described ...")
        out.append(t)
    return out


def _head_noun(token: Token | None) -> str:
    """The noun a 'which'/'what' asks about ('which country' -> 'country'; 'the name of X' -> X;
    'what is the population of X' -> 'population')."""
    words = [t for t in _head_words(token) if t.pos_ != "NUM"]
    if words and token is not None and _hyphenated_head(token, words[-1]):
        return _singular(token.head)  # "what dollar-per-barrel level" -> "level"
    if words:
        return _singular(words[-1])
    if token is not None and token.lower_ in {"what", "who"}:
        return _copula_head(token)  # "who is the head of ...": a person
    return ""


def _hyphenated_head(token: Token, last: Token) -> bool:
    """Does the wh-word's noun lie past a hyphenated compound that cut the surface reading short?"""
    head = token.head
    if token.dep_ != "det" or head.pos_ != "NOUN" or head.i <= last.i or head.i - token.i > 8:
        return False
    between = token.doc[last.i + 1 : head.i]
    return any(t.text == "-" for t in between) and all(
        t.pos_ in {"NOUN", "PROPN", "ADJ", "ADP", "NUM", "PUNCT"} for t in between
    )


def _singular(token: Token) -> str:
    if token.pos_ == "NOUN":
        return token.lemma_.lower()
    word = token.lower_
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _asks_name(doc: Doc) -> bool:
    return any(t.lemma_.lower() == "name" and t.pos_ == "NOUN" for t in doc)


def _copula_head(token: Token) -> str:
    """'What is the population of Kyiv?' -> 'population'; 'the Senate vote tally' -> 'tally';
    'the name of the reporter' -> 'reporter'."""
    doc = token.doc
    if not any(t.lemma_ in {"be", "become"} for t in doc[token.i + 1 : token.i + 3]):
        return ""  # "who is the head of ...", "who became Iran's interim president"
    chunks = [c for c in doc.noun_chunks if c.start > token.i and c.root.pos_ == "NOUN"]
    if not chunks or chunks[0].start > token.i + 4:
        return ""
    head = chunks[0].root
    if head.lemma_.lower() == "name":
        if not chunks[1:2]:
            return "person"
        # "the name of the rapper C-Murder": the noun that says what kind, not the name's last word
        kinds = [t for t in chunks[1] if t.pos_ != "PROPN" and _singular(t) in HEAD_TYPES]
        return _singular(kinds[-1] if kinds else chunks[1].root)
    return head.lemma_.lower()


def _expected(wh: str, head: str, asks_name: bool = False) -> tuple[str, ...]:
    if asks_name and head not in HEAD_TYPES:
        return _THINGS  # "what is the name of the dam ...": some named thing
    if head in HEAD_TYPES:
        return HEAD_TYPES[head]
    if wh in {"who", "whom", "whose"}:
        return PERSONISH
    if wh == "when":
        return DATE
    if wh == "where":
        return PLACE
    if wh == "how many":
        return COUNT
    if wh == "how long":
        return DURATION
    if wh == "how old":
        return AGE
    return FIGURE if wh.startswith("how ") else ()


def _figures(doc: Doc, counts: tuple[str, ...], context: tuple[str, ...]) -> tuple[str, ...]:
    """Numbers the question states as facts ("the 2022 World Cup", "$33bn"): not counts, not in dates
    or the context it states ("ahead of Victory Day 2024")."""
    skip = numbers(" ".join(counts + context))
    stated = _ONE.sub(" ", doc.text)  # "at number one", "one of": the word "one" states no figure
    return tuple(sorted(numbers(stated) - skip))


_ONE = re.compile(r"\bone\b", re.I)


def _names_an_event(root: Token) -> bool:
    """ "the 1991 Gulf War": a year that names an event is no time the article must be from."""
    return root.dep_ in {"compound", "nummod", "nmod", "amod"} and root.head.ent_type_ == "EVENT"


def _affiliation(doc: Doc, wh_token: Token | None) -> tuple[str, ...]:
    """Bodies named inside the wh-phrase: "which Atlantic Council writer", "who at the Atlantic
    Council", "which BBC correspondent". They describe the answer, so its passage names them too."""
    if wh_token is None:
        return ()
    words = _head_nouns(wh_token)
    phrase = words[-1] if words else wh_token
    if words and HEAD_TYPES.get(_singular(phrase)) != ("PERSON",):
        return ()  # "which US Army division": a unit of the body, named without it
    out = []
    for e in doc.ents:
        if e.label_ != "ORG":
            continue
        up = e.root.head
        if e.root.dep_ in {"compound", "nmod", "poss"} and up == phrase:
            out.append(e.text)
        elif e.root.dep_ == "pobj" and up.dep_ == "prep" and up.head == phrase == wh_token:
            out.append(e.text)  # "who at the Atlantic Council"
    return tuple(out)


def _kinds(spans: list[tuple[str, Token]]) -> tuple[str, ...]:
    """The common nouns the question's names modify ("the Hit Factory music studio": "studio"), by
    which an article refers back to them ("The studio was founded by ...")."""
    out = []
    for _, root in spans:
        up = root
        while up.dep_ == "compound" and up.head is not up:
            up = up.head
        if up is not root and up.pos_ == "NOUN":
            out.append(up.lemma_.lower())
    return tuple(dict.fromkeys(out))


def _on_the_side(root: Token) -> bool:
    """Is the name a modifier ("a US spy agency", "the Arizona senator") or inside a relative or
    participle clause ("papers that Washington had handed", "a poll reported by the Guardian")?"""
    if root.dep_ in {"amod", "compound", "nmod", "poss"} and not _misread_verb(root.head):
        return True  # not "did Portugal pledge", read as the noun "Portugal pledge"
    return any(a.dep_ in {"relcl", "acl"} for a in root.ancestors)


def _loose_names(doc: Doc) -> list[Token]:
    """Proper nouns the entity recogniser missed ("the population of Kyiv")."""
    return list(
        t
        for t in doc
        if t.pos_ == "PROPN"
        and not t.ent_type_
        and t.i > 0
        and t.lower_ not in HEAD_TYPES
        and t.lower_ not in _TITLE_WORDS
    )


def _counts(doc: Doc, wh_token: Token | None) -> tuple[str, ...]:
    """Number words that say how many answers are wanted ("which two countries", "what two steps")."""
    return tuple(t.text for t in _head_words(wh_token) if t.pos_ == "NUM")


_REPORTS = frozenset(
    ["analysis", "report", "reporting", "survey", "investigation", "poll", "article", "story", "piece"]
)
_IN_PHRASE = frozenset({"compound", "poss", "amod", "nmod", "npadvmod"})


def _context_names(doc: Doc) -> tuple[str, ...]:
    """Who reported or said it: names under 'according to', the owner of an 'analysis'/'report'."""
    spans = [(trimmed(e).text, e.root) for e in doc.ents if e.label_ in NAMED]
    spans += [(t.text, t) for t in doc if t.pos_ == "PROPN" and not t.ent_type_]
    return tuple(text for text, root in spans if _according_to(root) or _reporter(root))


def _according_to(token: Token) -> bool:
    return any(a.lower_ == "to" and a.i > 0 and a.nbor(-1).lower_ == "according" for a in token.ancestors)


def _reporter(token: Token) -> bool:
    """A name inside a phrase about a report ("the TVN24 report", "the Kyiv bombardment article")."""
    while token.dep_ in _IN_PHRASE and token.head is not token:
        token = token.head
        if token.lemma_.lower() in _REPORTS and not _misread_verb(token):
            return True
    return False


def _frames_clause(token: Token) -> bool:
    """ "X warned that Poland must be ready", "X accused Russia of stepping up ...": a verb of saying
    with a clause says what X said, like "said" (the article may have "told Polish Radio")."""
    lemma = token.lemma_.lower()
    if lemma in roles.SPEECH and any(c.dep_ == "ccomp" for c in token.children):
        return True
    of_clause = any(c.lower_ == "of" and any(g.dep_ == "pcomp" for g in c.children) for c in token.children)
    return lemma in SYNONYMS.get("accuse", frozenset()) and of_clause


def _misread_verb(token: Token) -> bool:
    """ "What profit did Tata Motors report?": the parser may read the verb as a noun with "did"."""
    if (
        token.head.lemma_ == "do"
        and token.head.dep_ == "ROOT"
        and not any(c.dep_ == "det" for c in token.children)
    ):
        return True  # "did [Portugal pledge]": the bare object of a "did" is its verb
    return token.pos_ != "NOUN" or any(c.dep_ == "aux" for c in token.children)


def _tied(verb: Token) -> bool:
    """Is the verb its head's complement, coordinate or purpose ("sent members to train troops"),
    not a clause of context ("the package announced in April")?"""
    purpose = verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    return verb.dep_ in _TIED or purpose


def _phrasal(token: Token) -> bool:
    """ "Sent off", "hit out at": a particle "off" or "out" makes the news verb another verb (a red
    card, a criticism). Other particles keep it ("shot down" is still an attack)."""
    return any(c.dep_ == "prt" and c.lower_ in {"off", "out"} for c in token.children)


def _plain_receipt(token: Token) -> bool:
    """ "Receive" is a transfer between parties only "from" someone ("what did Russia receive from
    Iran"); "receive in his settlement", "receiving drugs" name no supply to look for."""
    return token.lemma_.lower() == "receive" and not any(
        c.dep_ == "prep" and c.lower_ == "from" for c in token.children
    )


def _event_held(token: Token) -> bool:
    """ "Where was the premiere held", "in which city is the fair held": an event takes place; no
    talks were held (the parser reads these passives several ways: no object is what they share)."""
    return token.lemma_.lower() == "hold" and not any(c.dep_ == "dobj" for c in token.children)


def _in_a_relative_clause(token: Token, doc: Doc) -> bool:
    """ "Who chairs the committee that criticised ...": when the main verb says what is asked, a verb
    of a relative clause describes one of its arguments. ("Who was the man who attacked ..." keeps
    "attacked": its main verb says nothing.)"""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ != "VERB" or root.lemma_.lower() in _LIGHT_VERBS:
        return False
    return any(a.dep_ == "relcl" for a in [token, *token.ancestors])


def _circumstance(token: Token) -> bool:
    """ "Who scored the winner in their 2-1 victory": an event noun in a prepositional phrase of a
    verb that says something else is the occasion, not what is asked."""
    prep = token.head
    verb = prep.head
    return (
        token.pos_ == "NOUN"
        and token.dep_ == "pobj"
        and prep.dep_ == "prep"
        and verb.pos_ == "VERB"
        and verb.lemma_.lower() not in _LIGHT_VERBS
        and verb.lemma_.lower() not in SYNONYMS
    )


def _predicate(doc: Doc, wh_token: Token | None) -> frozenset[str]:
    """The news verbs of the question's main clause (those with a synonym group), with their synonyms
    and the verbs tied to them ("visiting to attend police drills": "attended" says it too). Other
    verbs frame the question ("quoted", "described") and verbs of an adverbial clause ("after X
    resigned, whom did ...") are context; neither is required."""
    tokens = [
        t
        for t in doc
        if (t.pos_ == "VERB" or t.dep_ == "ROOT" or t.lemma_.lower() in _NOMINAL)
        and t.lemma_.lower() not in _LIGHT_VERBS
        and t.pos_ != "PROPN"  # "Victory Day" names a day, not a victory
        and not _frames_clause(t)
        and not any(a.dep_ == "advcl" for a in [t, *t.ancestors])
        and not _circumstance(t)
        and t.dep_ != "amod"  # "the winning goal" describes the goal: no win is asked
    ]
    news = [
        t
        for t in tokens
        if t.lemma_.lower() in SYNONYMS
        and not _phrasal(t)
        and not _plain_receipt(t)
        and not _event_held(t)
        and not _in_a_relative_clause(t, doc)
    ]
    # "sent off": the verb itself, without the synonyms of its news sense
    phrasal = frozenset(t.lemma_.lower() for t in tokens if t.lemma_.lower() in SYNONYMS and _phrasal(t))
    if not news:
        return phrasal
    tied = [
        t.lemma_.lower()
        for t in doc
        if t.pos_ == "VERB"
        and t.lemma_.lower() not in _LIGHT_VERBS
        and any((n.i == t.head.i and _tied(t)) or (t.i == n.head.i and _tied(n)) for n in news)
    ]
    return frozenset().union(*(SYNONYMS[t.lemma_.lower()] for t in news), tied, phrasal)
