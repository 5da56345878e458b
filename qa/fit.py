"""Does one entity fit what the question asks? Checks on a candidate answer in its sentence's parse:
the kind of thing a figure counts or measures, the event it belongs to, a person's calling, a place
that is really a modifier or a state, a name the question already gives, and the usual confusions
of the small entity recogniser.

Each check encodes one failure seen on questions written by people who never saw the code (the
`eval/gold_fresh*.jsonl` files), stated generally. Deliberately not here: which sentences make a
passage and which passage answers (`passages.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from qa import roles
from qa.question import FIGURE, HEAD_TYPES, MEASURE_UNITS, NOT_NAMES, PLACE, SUM, SYNONYMS, Question
from qa.terms import MAGNITUDE, MAGNITUDE_ABBREVIATIONS, MAGNITUDE_WORDS, name_key, numbers, stem
from vectorstore.aliases import CAPITALS, names_a_state, normalise, state_of_adjective


def misfit(
    q: Question, entity: tuple[str, str, int, str, int], tokens: Sequence[roles.Token], sentence: str
) -> bool:
    """Is the entity of the expected label still no answer to `q`? `entity` is (text, label, start
    offset in `sentence`, root's tag, root index in `tokens`)."""
    text, label, start, tag, root = entity
    if text.lower() in NOT_NAMES:
        return True  # "UAVs" are no organisation
    # "Ebrahim" of "Ebrahim Raisi"; "Iranian journalist Kourosh Ziabari" for "which president"
    if label == "PERSON" and (
        first_name_of(sentence[start + len(text) :], q) or another_calling(q, tokens, root)
    ):
        return True
    if tag == "JJ" and label not in FIGURE:
        return True  # "Ukrainian cities": an adjective names no country, person or group
    before, after = sentence[:start], sentence[start + len(text) :]
    if label in FIGURE and (
        _misfit_figure(q, text, tokens, root, before, after)
        or converts_given(q, before, after)
        or unit_price(q, text, after)
        or money_for_a_measure(q, after)
    ):
        return True
    if a_source(q, tokens, root):
        return True  # "according to Reuters" names who reported it, not which unit did it
    if label == "FAC" and tag != MISREAD and q.head in SETTLEMENTS - {"port"}:
        return True  # "the Music Hall of Fame" is in a city, not one
    if named_in_question(text, q) or wrong_kind_of_place(q, text):
        return True  # "Ukraine" answers no "in which Ukrainian town", "Russia" no "to which city"
    return q.expects == PLACE and modifies_thing(tokens, root)  # "US musical Sweet Charity" is no place


def _misfit_figure(
    q: Question, text: str, tokens: Sequence[roles.Token], root: int, before: str, after: str
) -> bool:
    """ "two" in "which two ...", or a figure the question gives; "three sources" for "how many members";
    "injured 37" for "how many were killed"; "a range of 2,500 km" for "what top speed"."""
    return (
        not new_figure(text, q.text)
        or (q.expects == SUM and _GLUED_UNIT.search(text) is not None)  # "15Mbps" is no sum
        or (q.expects == SUM and not _a_sum(text, before, after))  # "a one-time star" is no sum
        or _one_of_a_name(text, tokens, root)
        or counts_something_else(q, tokens, root)
        or another_event(q, tokens, root)
        or another_measure(q, tokens, root)
        or someone_elses(q, tokens, root)
        or another_date(q, tokens, root)
        or for_someone_else(q, tokens, root)
    )


def _one_of_a_name(text: str, tokens: Sequence[roles.Token], root: int) -> bool:
    """ "One" that counts nothing ("world number one", "one of the ..."), a number word written as a
    name ("BBC Two"): a name or a rank, no figure."""
    if text.isalpha() and text[:1].isupper() and root > 0:
        return True
    if text.lower() != "one" or not tokens:
        return False
    return roles.counted(tokens, root) is None or tokens[root].head == root - 1


# A unit written onto the number ("15Mbps", "1600km"), but not a magnitude ("5bn", "20m").
_GLUED_UNIT = re.compile(rf"\d(?!{MAGNITUDE}\b)[A-Za-z]{{1,5}}\b")


MEDIA = frozenset(["newspaper", "outlet", "broadcaster", "channel", "daily", "paper", "magazine"])
SETTLEMENTS = frozenset(["city", "town", "village", "capital", "port", "district", "province", "oblast"])


_PARTS = frozenset(["district", "region", "province", "oblast", "neighbourhood", "suburb"])
_CONTINENTS = frozenset(["europe", "asia", "africa", "america", "americas", "australasia", "antarctica"])


def wrong_kind_of_place(q: Question, text: str) -> bool:
    """ "Russia" or "eastern Europe" answers no "to which city ...?"; "the White House" no "which
    newspaper ...?"."""
    if q.head in _PARTS and normalise(text, acting=False).lower() in CAPITALS:
        return True  # "Tehran" is no district of Kyiv
    if q.head not in SETTLEMENTS | MEDIA:
        return False
    return names_a_state(text) or bool(_CONTINENTS & set(text.lower().split()))


def modifies_thing(tokens: Sequence[roles.Token], root: int) -> bool:
    """Is the name a modifier of a noun that is not a place ("US musical", not "the Gomel region")?"""
    if not tokens or tokens[root].dep not in {"compound", "nmod"}:
        return False
    return HEAD_TYPES.get(tokens[tokens[root].head].lemma) != PLACE


MISREAD = "misread"
_PLACE_PREPOSITIONS = frozenset(["in", "at", "near"])
_MOTION = frozenset(
    ["fly", "travel", "go", "move", "return", "come", "head", "relocate", "evacuate", "flee", "sail"]
)


SCORE = re.compile(r"\d{1,3} ?[-–] ?\d{1,3}")


def misread(
    q: Question, entity: tuple[str, str, int, str, int], tokens: Sequence[roles.Token]
) -> tuple[str, str, int, str, int]:
    """The small pipeline's usual confusions, relabelled as the question expects: an organisation or
    a one-word person after "in"/"at" as a place ("in Pokrowsk" read as ORG), a one-word PERSON as
    an organisation ("Japan's Suzuki"), a score as a figure ("beat Fiji 26-21" read as a date)."""
    text, label, start, _tag, root = entity
    if label in q.expects or not tokens:
        return entity
    t = tokens[root]
    preposition = tokens[t.head].lemma if t.dep == "pobj" else ""
    one_word = " " not in text
    # "in the Alabuga zone", "at Pokrowsk", but not "at the Atlantic Council"
    in_it = preposition == "in" or (one_word and preposition in _PLACE_PREPOSITIONS)
    if one_word and preposition in {"to", "from"} and t.dep == "pobj":
        in_it = in_it or tokens[tokens[t.head].head].lemma in _MOTION  # "flew to Volgograd"
    if q.expects == PLACE and (label == "ORG" or (label == "PERSON" and one_word)) and in_it:
        return text, q.expects[-1], start, MISREAD, root  # "in Pokrowsk", "in the Alabuga zone"
    if (
        q.expects == ("ORG",)
        and label == "PERSON"
        and one_word
        and not _titled(tokens, root)
        and not _speaks(t, tokens)
    ):
        return text, "ORG", start, MISREAD, root
    if q.head == "score" and SCORE.fullmatch(text):
        return text, "CARDINAL", start, _tag, root  # "beat Fiji 26-21" is read as a date
    return entity


def _speaks(t: roles.Token, tokens: Sequence[roles.Token]) -> bool:
    """Is the name the subject of a verb of saying ("Wenger said")? Organisations say things too, but
    a one-word name that speaks is a person far more often."""
    return t.dep == "nsubj" and tokens[t.head].lemma in roles.SPEECH


_HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "dame"])


def _titled(tokens: Sequence[roles.Token], root: int) -> bool:
    """Does a person's title stand before the name ("President Zelensky", "Mr Heath")?"""
    return any(
        t.head == root
        and t.dep == "compound"
        and (t.lemma in _HONORIFICS or HEAD_TYPES.get(t.lemma) == ("PERSON",))
        for t in tokens[max(0, root - 3) : root]
    )


def named_in_question(text: str, q: Question) -> bool:
    """Is the entity the state a nationality word of the question names ("Ukrainian" -> Ukraine)?"""
    states = {state_of_adjective(n) for n in q.names} - {None, ""}
    return bool(states) and normalise(text, acting=True) in states


# Nouns for people: "how many people were killed" is answered by "198 civilians".
_PEOPLE = frozenset(
    [
        "people",
        "person",
        "civilian",
        "child",
        "adult",
        "soldier",
        "troop",
        "serviceman",
        "resident",
        "man",
        "woman",
        "worker",
        "refugee",
        "casualty",
        "victim",
        "citizen",
        "member",
        "officer",
        "fighter",
        "prisoner",
        "employee",
        "inhabitant",
        "voter",
        "fan",
        "spectator",
        "supporter",
        "visitor",
        "student",
        "patient",
        "hostage",
    ]
)


_CURRENCIES = frozenset(
    [
        "dollar",
        "euro",
        "pound",
        "rouble",
        "ruble",
        "hryvnia",
        "yuan",
        "yen",
        "franc",
        "krona",
        "zloty",
        "pence",
        "cent",
    ]
)
_UNITS = (
    _CURRENCIES | MEASURE_UNITS | frozenset(["percent", "year", "month", "week", "day", "hour", "minute"])
)


def _a_sum(text: str, before: str, after: str) -> bool:
    """Is the figure an amount of money: a currency sign, code or word in it or beside it ("USD2.1
    billion", "648m Australian dollars")? The recogniser leaves some sums unlabelled, so a bare number
    may answer "how much did X pay" only with its currency in sight ("three series" does not)."""
    near = before[-_CUE_REACH:] + " " + text + " " + after[:_CUE_REACH]
    return _CURRENCY_CUE.search(near) is not None


_CUE_REACH = 14  # characters either side: "Australian dollars 648m", "2.1bn roubles"
_CURRENCY_CUE = re.compile(  # the currency words of `_CURRENCIES` (and a few it lacks), "cent" not after "per"
    r"[$£€¥]|\b(?-i:USD|EUR|GBP|JPY|CNY|RUB|UAH|Rs)"
    rf"|\b(?:{'|'.join(sorted((_CURRENCIES - {'cent'}) | {'rupee', 'peso'}))})s?\b"
    r"|\b(?:sterling|kronor|zlotych)\b|(?<!per )\bcents?\b",
    re.IGNORECASE,
)


def counts_something_else(q: Question, tokens: Sequence[roles.Token], root: int) -> bool:
    """Does the number count another kind of thing than asked? "how many members" vs "three sources";
    "how much capacity" vs "two refineries" (an amount is not a count of things). A bare number, or
    one counting a proper noun ("59 Shaheds"), is given the benefit of the doubt."""
    if tokens and tokens[root].pos == "NOUN":
        at: int | None = root  # "120,000 barrels": the entity's root is what it counts
    else:
        at = roles.counted(tokens, root) if tokens else None
    if at is None:
        return False
    noun = tokens[at]
    if q.expects == SUM and noun.lemma.rstrip(".") in _MAGNITUDES:
        return False  # "a budget of $5m": the "m" is part of the sum, no thing it counts ("3,000m" may be metres)
    if noun.lemma in _UNITS:  # "300 roubles", "1600km": an amount, no count of members
        if q.expects == SUM and noun.lemma not in _CURRENCIES:
            return True  # "how much did Russia pay" is not answered by "more than 1600km"
        return q.wh == "how many" and bool(q.counted) and q.counted not in _UNITS
    if noun.pos == "PRON":  # "three of which": a count of things named before
        return q.wh == "how much"  # an amount is no count of things
    if noun.pos != "NOUN" or noun.text[:1].isupper():
        return False  # a bare number or a named kind ("59 Shaheds")
    if q.wh == "how old":
        return True  # "one of the ringleaders" is no age
    if q.head in _LENGTHS and noun.text.lower() != noun.lemma:
        return True  # "carrying four missiles" gives no top speed
    if q.head in _MEASURES and not (q.head in _HEADCOUNTS and noun.lemma in _PEOPLE):
        return True  # "scored one try" gives no attendance ("52,000 fans" may)
    if q.wh == "how much":
        return noun.text.lower() != noun.lemma  # a plural noun: a count of things, not an amount
    if not q.counted or stem(noun.lemma) in {stem(q.counted), *_counted_kinds(q)}:
        return False
    return not (noun.lemma in _PEOPLE and q.counted in _PEOPLE)


_MAGNITUDES = frozenset(MAGNITUDE_ABBREVIATIONS + MAGNITUDE_WORDS)


def _counted_kinds(q: Question) -> set[str]:
    """The words before the counted noun that name its kind: "how many mobile phones" counts
    "mobiles" too."""
    found = re.search(rf"\bmany\s+([a-z\s-]*?)\b{re.escape(q.counted)}", q.text.lower())
    return {stem(w) for w in found.group(1).split()} if found else set()


_HEADCOUNTS = frozenset(["population", "attendance", "turnout"])  # measures that count people
# Measures no count of things answers: "four missiles" is no speed (a population counts people).
_LENGTHS = frozenset(["speed", "range", "distance", "height", "length", "weight", "depth", "altitude"])


def another_event(q: Question, tokens: Sequence[roles.Token], root: int) -> bool:
    """Is the figure an argument of a news verb of another kind than the question's ("injured at
    least 37" for "how many were killed")?"""
    verb = _governor(tokens, root, lambda t: t.pos == "VERB")
    return bool(q.predicate) and verb is not None and verb.lemma in SYNONYMS and verb.lemma not in q.predicate


# Quantities that are never one another: "a range of 2,500 km" gives no speed. Generic words ("figure",
# "number", "total", "cost") are left out: they may stand for any of these.
_MEASURES = frozenset(
    [
        "speed",
        "range",
        "distance",
        "height",
        "length",
        "weight",
        "age",
        "population",
        "capacity",
        "salary",
        "budget",
        "turnout",
        "profit",
        "revenue",
        "debt",
        "deficit",
        "turnover",
        "attendance",
        "loss",
        "cost",
        "price",
    ]
)


def another_measure(q: Question, tokens: Sequence[roles.Token], root: int) -> bool:
    """Does the figure measure another quantity than asked (a range for a speed, a share of gas for
    a share of oil)?"""
    measure = _governor(tokens, root, lambda t: t.lemma in _MEASURES and t.pos == "NOUN")
    if measure is None and tokens and tokens[root].dep == "attr":  # "production costs were £1.30"
        measure = next((t for t in tokens if t.head == tokens[root].head and t.dep == "nsubj"), None)
    if q.head in _MEASURES and measure is not None and measure.lemma in _MEASURES and measure.lemma != q.head:
        return True
    return (q.head in _SHARES and _share_of_another(q, tokens, root)) or _rate_of_another(q, tokens, root)


_KINDED = frozenset(["rate", "level", "index"])  # measures named by their kind: "the unemployment rate"


def _rate_of_another(q: Question, tokens: Sequence[roles.Token], root: int) -> bool:
    """ "Last year's growth rate of 6%" gives no unemployment rate: the kind the passage names must
    be one the question asks about."""
    if q.head not in _KINDED:
        return False
    same = _governor(tokens, root, lambda t: t.lemma == q.head and t.pos == "NOUN")
    if same is None:
        return False
    at = next(i for i, t in enumerate(tokens) if t.start == same.start)
    kinds = [t for t in tokens if t.head == at and t.dep == "compound" and t.pos == "NOUN"]
    return any(stem(t.lemma) not in q.key_terms for t in kinds)


_SHARES = frozenset(["percentage", "percent", "share", "proportion"])


def _share_of_another(q: Question, tokens: Sequence[roles.Token], root: int) -> bool:
    """ "55 percent of their gas" gives no share of oil: the thing a share is of must be asked about."""
    unit = tokens[root].head if tokens[tokens[root].head].lemma in {"percent", "%"} else root
    of = next((i for i, t in enumerate(tokens) if t.head == unit and t.lemma == "of" and i != unit), None)
    whole = next((t for t in tokens if of is not None and t.head == of and t.dep == "pobj"), None)
    return whole is not None and whole.pos == "NOUN" and stem(whole.lemma) not in q.key_terms


def someone_elses(q: Question, tokens: Sequence[roles.Token], root: int) -> bool:
    """Is the figure another party's ("with China adding 178 million PCs" for "how many will Russia
    add", "Mr Glazer holds 28.1%" for the Irish investors' stake)? Its clause's subject is a name the
    question does not give, and the sentence names nobody the question names."""
    verb = _governor(tokens, root, _clause_verb)
    if not q.names or verb is None:
        return False
    # "Scotland were beaten 33-15 by Samoa": a passive's subject is a party too
    subject = next((t for t in tokens if tokens[t.head] is verb and t.dep in {"nsubj", "nsubjpass"}), None)
    if subject is not None and subject.pos == "NOUN":  # "American Airlines' parent AMR reported"
        subject = next((t for t in tokens if tokens[t.head] is subject and t.dep == "appos"), subject)
    if subject is None or subject.pos != "PROPN" or not subject.text[:1].isupper():
        return False  # "population 1.3bn" is tagged a proper noun
    asked = {normalise(n) for n in q.names}
    if normalise(subject.text) in asked or any(subject.text in n for n in q.names):
        return False
    words = {t.text.lower() for t in tokens}
    return not any(w.lower() in words for n in q.names for w in n.split() if w[:1].isupper() and len(w) > 2)


_YEAR = re.compile(r"(19|20)\d\d")


def _clause_verb(t: roles.Token) -> bool:
    return t.pos in {"VERB", "AUX"} and t.dep not in {"compound", "amod"}  # not "phishing e-mails"


def another_date(q: Question, tokens: Sequence[roles.Token], root: int) -> bool:
    """Is the figure dated to a year or weekday the question does not ask about ("In September 2003,
    MessageLabs caught only 273" for "over the course of 2004"; "by Monday's close" for "on the
    Friday")?"""
    verb = _governor(tokens, root, _clause_verb)
    if verb is None:
        return False
    near = [t.text.lower() for i, t in enumerate(tokens) if _below(tokens, i, verb)]
    stated = " ".join(q.context_dates).lower().split()
    for kind in (_YEAR.fullmatch, _WEEKDAYS.__contains__):
        asked, found = {w for w in stated if kind(w)}, {w for w in near if kind(w)}
        if asked and found and not asked & found:
            return True
    return False


_WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])


def _below(tokens: Sequence[roles.Token], i: int, top: roles.Token, steps: int = 3) -> bool:
    """Is token `i` at most `steps` below `top` in the tree?"""
    for _ in range(steps):
        if tokens[i].head == i:
            return False
        i = tokens[i].head
        if tokens[i] is top:
            return True
    return False


def for_someone_else(q: Question, tokens: Sequence[roles.Token], root: int) -> bool:
    """Is the figure for another party than the one the question names after "for" ("$61 billion
    earmarked for Ukraine" for "how much support for Taiwan")?"""
    asked = [n for n in q.names if re.search(rf"\bfor (the )?{re.escape(n)}", q.text)]
    if not asked or not tokens:
        return False
    verb = _governor(tokens, root, _clause_verb)
    heads = {root} | {i for i, t in enumerate(tokens) if t is verb or (t.head == root and t.dep == "acl")}
    fors = {i for i, t in enumerate(tokens) if t.lemma == "for" and t.head in heads}
    parties = [t.text for t in tokens if t.dep == "pobj" and t.head in fors and t.pos == "PROPN"]
    keys = {normalise(n) for n in asked}
    return bool(parties) and not any(normalise(p) in keys or any(p in n for n in asked) for p in parties)


_ASKS_SPEECH = re.compile(
    r"\b(sa(y|ys|id)|t(ell|ells|old)|report|claim|announc|stat(e|ed)|according|quot|wr(ite|ote))", re.I
)


def a_source(q: Question, tokens: Sequence[roles.Token], root: int) -> bool:
    """Is the entity only the source of the report ("according to Reuters") while the question asks
    for something else than who said it?"""
    if not object_of(tokens, root, "to"):
        return False
    if tokens[tokens[tokens[root].head].head].lemma != "accord" or q.head in MEDIA:
        return False
    return not _ASKS_SPEECH.search(q.text)


def from_figure(tokens: Sequence[roles.Token], root: int) -> bool:
    """Is the figure where a change started ("risen from 5,000 to about 24,000")? The asked number is
    usually where it went."""
    if not object_of(tokens, root, "from"):
        return False
    verb = tokens[tokens[root].head].head
    return any(c.head == verb and c.lemma == "to" for c in tokens)


def object_of(tokens: Sequence[roles.Token], root: int, preposition: str) -> bool:
    """Is the entity (its root) the object of this preposition ("according *to* Reuters", "across the
    Caspian Sea")?"""
    t = tokens[root] if tokens else None
    return t is not None and t.dep == "pobj" and tokens[t.head].lemma == preposition


def _governor(
    tokens: Sequence[roles.Token], root: int, wanted: Callable[[roles.Token], bool], steps: int = 4
) -> roles.Token | None:
    """The nearest token above `root` (at most `steps` up the tree) that is `wanted`."""
    i = root
    for _ in range(steps):
        if not tokens or tokens[i].head == i:
            return None
        i = tokens[i].head
        if wanted(tokens[i]):
            return tokens[i]
    return None


# Kinds of calling a person has: "which president" is not answered by a journalist.
_CALLINGS = [
    frozenset(["journalist", "reporter", "correspondent", "presenter", "host", "anchor", "editor", "writer"]),
    frozenset(["president", "premier", "chancellor", "king", "queen", "prince"]),
    frozenset(["minister", "secretary"]),
    frozenset(["ambassador", "envoy"]),
    frozenset(["senator", "lawmaker", "mp", "governor", "mayor"]),
    frozenset(["spokesman", "spokeswoman", "spokesperson"]),
    frozenset(["general", "commander", "officer", "soldier", "pilot", "colonel", "admiral", "marshal"]),
    frozenset(["academic", "professor", "researcher", "scientist", "economist", "historian", "analyst"]),
    frozenset(["player", "footballer", "athlete", "boxer", "coach", "actor", "singer"]),
    frozenset(["cleric", "ayatollah", "imam", "rabbi", "priest", "bishop", "patriarch", "pope"]),
]


# Titles written short before a name ("Sen. Mark Kelly", "Gen. Valery Gerasimov").
_TITLES = {
    "sen.": "senator",
    "rep.": "lawmaker",
    "gov.": "governor",
    "pres.": "president",
    "amb.": "ambassador",
    "gen.": "general",
    "col.": "colonel",
    "adm.": "admiral",
    "lt.": "officer",
    "sgt.": "soldier",
}


def _calling(word: str) -> int | None:
    word = _TITLES.get(word, word)
    return next((n for n, group in enumerate(_CALLINGS) if word in group), None)


def names_post(head: str, tokens: Sequence[roles.Token], singular: bool = False, verb: str = "") -> bool:
    """Does the sentence name the asked post ("Secretary of the Council" for "who is the secretary"),
    or the `verb` of holding it ("who chairs the committee")? Not one of its kind: a prime minister is
    no secretary. `singular`: as a singular noun only ("the head of the army", not "officials")."""
    if singular:
        return bool(head) and any(t.lemma == head == t.text.lower() and t.pos == "NOUN" for t in tokens)
    return any(head in (t.lemma, t.text.lower()) or (verb and t.lemma == verb) for t in tokens)


_TITLE_DEPS = frozenset(["compound", "appos", "nmod", "amod"])


def holds_post(head: str, tokens: Sequence[roles.Token], root: int, verb: str = "") -> bool:
    """Does the person hold the asked post in this sentence: "Foreign Secretary James Cleverly", "Danilov,
    secretary of ...", "the new president is X", "Alan Beith - who chairs the committee" (`verb`)? Not
    "Mr Putin called Iran's interim president"."""
    person = tokens[root]
    for i, t in enumerate(tokens):
        if (
            verb
            and t.lemma == verb
            and ((person.head == i and person.dep == "nsubj") or (t.head == root and t.dep == "relcl"))
        ):
            return True  # "X chairs the committee", "X, who chairs the committee"
        if head not in (t.lemma, t.text.lower()):
            continue
        if (t.head == root and t.dep in _TITLE_DEPS) or (person.head == i and person.dep in _TITLE_DEPS):
            return True
        pair = {t.dep, person.dep}
        if t.head == person.head and (pair <= {"nsubj", "attr", "appos"} or pair <= {"nsubjpass", "oprd"}):
            return True  # "X is the secretary", "X was named secretary"
    return False


def another_calling(q: Question, tokens: Sequence[roles.Token], root: int) -> bool:
    """Is the person introduced by a calling of another kind than the asked one ("Iranian journalist
    Kourosh Ziabari" for "which president")?"""
    asked = _calling(q.head)
    if asked is None or not tokens:
        return False
    near = [t for t in tokens if t.head == root and t.dep in {"compound", "appos"}]
    if tokens[root].dep == "appos":
        near.append(tokens[tokens[root].head])
    callings = {_calling(t.lemma) for t in near} - {None}
    if callings and asked not in callings:
        return True
    return _of_another_state(q, tokens, [root] + [i for i, t in enumerate(tokens) if t in near])


def _of_another_state(q: Question, tokens: Sequence[roles.Token], person: list[int]) -> bool:
    """Is the person's title of another state than the question's ("Russian President Vladimir Putin"
    for "Iran's interim president")?"""
    asked = {_state(n) for n in q.names} - {None}
    theirs = {
        _state(t.text) for t in tokens if t.head in person and t.dep in {"amod", "compound", "poss", "nmod"}
    }
    theirs -= {None}
    # a state the question names in any form: "Taiwanese" names Taiwan, though the table lacks it
    written = {w[:4].lower() for w in re.findall(r"[A-Z][a-z]+", q.text)}
    return (
        bool(asked and theirs) and not asked & theirs and not {str(t)[:4].lower() for t in theirs} & written
    )


def _state(name: str) -> str | None:
    """The state a name or nationality word stands for ("Russian", "Iran's" -> the key), else None."""
    adjective = state_of_adjective(name)
    if adjective:
        return adjective
    return normalise(name) if names_a_state(name) else None


_BEFORE_BRACKET = re.compile(r"(\S*\d\S*)\s*\(\s*[$£€¥]?$")
_IN_BRACKET = re.compile(r"^\s*\(([^)]*\d[^)]*)\)")


def converts_given(q: Question, before: str, after: str) -> bool:
    """Is the figure (between the sentence's `before` and `after`) the other currency of one the
    question gives: "$6bn (£3.12bn)" after "$6bn"?"""
    found = (_BEFORE_BRACKET.search(before), _IN_BRACKET.match(after))
    return any(m is not None and not new_figure(m.group(1), q.text) for m in found)


_MONEY_AFTER = re.compile(rf"^\s?{MAGNITUDE}?\s*([a-z]+)")


def money_for_a_measure(q: Question, after: str) -> bool:
    """Is the figure a sum ("15m euros") when the question counts a measure ("how many hectares")?"""
    m = _MONEY_AFTER.match(after)
    unit = m.group(1).rstrip("s") if m else ""
    return q.wh == "how many" and q.counted in _UNITS - _CURRENCIES and unit in _CURRENCIES


_PER_UNIT = re.compile(
    r"^\s*(?:(?:a|an|per)\s+(?:share|unit|head|barrel|tonne|ton|litre|gallon|night|ticket|copy)\b|each\b)"
)


def unit_price(q: Question, text: str, after: str) -> bool:
    """Is the figure a price of one unit ("4.17 Australian dollars per share") when the question asks
    what a deal cost in all ("how much did Foster's pay for its stake"), or a sum in millions ("to
    raise $443m") when it asks the price of one ("at what price per share")?"""
    if re.search(r"\b(?:per|each|a share|apiece)\b", q.text, re.IGNORECASE):
        return "MONEY" in q.expects and _IN_MILLIONS.search(text + after[:9]) is not None
    return q.expects == SUM and _PER_UNIT.match(after) is not None


_IN_MILLIONS = re.compile(rf"^[^()]*\d\s?{MAGNITUDE}\b")


def new_figure(entity: str, question: str) -> bool:
    """Does the entity give a figure the question does not ("$33 billion" is not new after "$33bn")?"""
    digits = set(re.findall(r"\d+(?:[.,]\d+)*", entity))
    if digits:
        return bool({d.replace(",", "") for d in digits} - numbers(question))
    return bool(numbers(entity) - numbers(question))


def inside_question_name(text: str, q: Question) -> bool:
    """Is the entity a name the question gives, or part of one, word for word ("US" is not inside
    "Lloyd Austin")?"""
    # "Donbass" is the question's "Donbas"; "Ms Mohd-Saaid" is its "Ainum Mohd-Saaid"
    words = tuple(name_key(w) for w in text.split() if w.lower().strip(".") not in _HONORIFICS)
    if not words:
        return False
    return any(
        _contains(words, asked) or _contains(asked, words)
        for asked in (tuple(name_key(w) for w in n.split()) for n in q.names)
    )


def first_name_of(rest: str, q: Question) -> bool:
    """Does the sentence go on with a surname the question gives (the recogniser cut the name short)?"""
    following = re.findall(r"\w+", rest[:40])[:1]
    asked = {name_key(w) for n in q.names for w in n.split()}
    return bool(following) and following[0][:1].isupper() and name_key(following[0]) in asked


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    return any(outer[i : i + len(inner)] == inner for i in range(len(outer) - len(inner) + 1))
