"""The terms a claim is made of: content words (lightly stemmed), numbers and proper names.

Support checking, evidence selection and abstention all compare texts by these terms, so they
live in one place. Deliberately simple and deterministic (no model, no corpus statistics): the
point is a check a person can predict, not a clever one.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

# Words that carry no claim. Question words are among them: they are asked about, not asserted,
# so they are never required in the evidence.
_FUNCTION_WORDS = """
a about above according after again against ain all also am an and any aren't article articles
as at be because been before being below between both but by can can't could couldn't d describe
didn't document documents doesn't doing don done down during each explain few for from further
get give got had hadn't happen happened has hasn't have haven't having he her here hers herself
him himself his however i if in into isn't it its itself just let list ll m me meanwhile
mightn't more most mustn't my myself name needn't news no nor not o of off on once one's only or
other our ours ourselves out over own please re s said same say says shan't she should should've
shouldn't so some source sources such t tell than that the their theirs them themselves then
there these they this those through to told too under until up ve very wasn't we weren't while
will with won't would wouldn't y you your yours yourself yourselves
across among amid amidst around along behind beyond despite inside outside throughout toward towards
upon within via per onto quote quoted quotes cite cited cites mention mentioned mentions
"""
_QUESTION_WORDS = """
are did do does how is many much was were what when where which who whom whose why
"""
STOPWORDS = frozenset(_FUNCTION_WORDS.split()) | frozenset(_QUESTION_WORDS.split())
_NEGATION_WORDS = "not no never n't without neither nor none denied denies deny"
NEGATIONS = frozenset(_NEGATION_WORDS.split())

# How news writes a figure's magnitude: glued abbreviations ("$5m", "2.1bn") and words ("3 million").
MAGNITUDE_ABBREVIATIONS = ("bn", "mn", "m", "k", "tn")
MAGNITUDE_WORDS = ("million", "billion", "trillion")
MAGNITUDE = "(?:" + "|".join(MAGNITUDE_ABBREVIATIONS + MAGNITUDE_WORDS) + ")"  # a regex alternation

_UNITS = """
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty
"""
_TENS = "thirty forty fifty sixty seventy eighty ninety"
_NUMBER_WORDS = (
    {word: value for value, word in enumerate(_UNITS.split())}
    | dict(zip(_TENS.split(), range(30, 100, 10), strict=True))
    | {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
)
# letters of any script: "Domański" is one word, not "Doma" + "ski"
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-])*[^\W\d_]|[^\W\d_]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MARKER = re.compile(r"\[\d+\]")


_DOTTED = re.compile(r"\b([A-Z])\.([A-Z])\.(?:([A-Z])\.)?")  # U.S. -> US, U.K. -> UK


_ALIASES = re.compile(r"\b(United States|United Kingdom|European Union|United Nations)\b")
_ALIAS = {"United States": "US", "United Kingdom": "UK", "European Union": "EU", "United Nations": "UN"}


def strip_markers(text: str) -> str:
    """Text without [n] markers; "U.S." and "United States" both become "US" (and likewise UK, EU, UN)."""
    text = _DOTTED.sub(lambda m: "".join(g for g in m.groups() if g), _MARKER.sub("", text))
    return _ALIASES.sub(lambda m: _ALIAS[m.group()], text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball English stem (the keyword index's): 'charge', 'charges' and 'charged' are one word.
    A suffix stripper of our own left 'charge' and 'charg(es)' apart, so a sentence saying "in charge"
    missed the question's "charges"."""
    w = re.sub(r"'s$", "", word.lower().replace("’", "'"))
    with _STEM_LOCK:  # a PyStemmer object is not thread-safe
        return str(_snowball().stemWord(w))


_STEM_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _snowball() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def content_words(text: str) -> set[str]:
    """Stemmed words that carry meaning (stopwords and question words removed), with the parts of a
    hyphenated word ("majority-owned" says "majority" and "owned" too)."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(strip_markers(text))]
    words += [p for w in words if "-" in w for p in w.split("-")]
    return {stem(w) for w in words if w not in STOPWORDS and len(w) > 1}


def numbers(text: str) -> set[str]:
    """Numbers as canonical strings: '2,500' -> '2500', 'seven' -> '7', '1.5' -> '1.5'."""
    text = strip_markers(text)
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    found |= {str(_NUMBER_WORDS[w.lower()]) for w in _WORD.findall(text) if w.lower() in _NUMBER_WORDS}
    return {n.rstrip(".") for n in found}


def names(text: str, leads_with_name: bool = False) -> set[str]:
    """Proper-name words: capitalized words that do not start a sentence, plus acronyms anywhere; the
    first word too when the caller knows it is a name (`leads_with_name`: "Putin said ...")."""
    text = strip_markers(text)
    out: set[str] = set()
    for n, m in enumerate(_WORD.finditer(text)):
        before = text[: m.start()].rstrip(" \t\"'“‘(")
        sentence_start = (not before or before[-1] in ".!?:\n") and not (leads_with_name and n == 0)
        for word in re.split(r"[-–]", m.group()):  # "Russia-Iran" names Russia and Iran
            if len(word) > 1 and word.isupper():
                out.add(word.lower())
            elif word and word[0].isupper() and not sentence_start and word.lower() not in STOPWORDS:
                out.add(stem(word))
            sentence_start = False
    return out


def words_of(text: str) -> set[str]:
    """Every lowercased word and hyphen part (for loose name matching)."""
    found = set()
    for w in _WORD.findall(strip_markers(text)):
        low = w.lower().replace("’", "'")
        found.add(stem(low))
        found.update(stem(p) for p in re.split(r"[-–]", low) if p)
    return found


def name_in(name: str, vocabulary: set[str]) -> bool:
    """A name counts as present when a word starts with it or it with a word ("Russia" ~ "Russian"), or
    when both spell the same name in another transliteration ("Peskov" ~ "Pieskow")."""
    if name in vocabulary:
        return True
    if any(
        len(w) >= 4 and (w.startswith(name) or name.startswith(w)) for w in vocabulary if w[:1] == name[:1]
    ):
        return True
    key = name_key(name)
    return len(key) >= 5 and any(name_key(w) == key for w in vocabulary if len(w) >= 5)


# Polish, German and English spellings of the same Slavic name ("Miedwiediew", "Medvedev"; "Cyril",
# "Kirill"; "Szojgu", "Shoigu"): news translated from Polish keeps the Polish ones.
_SPELLINGS = (
    ("ł", "l"),
    ("sz", "sh"),
    ("cz", "ch"),
    ("ie", "e"),
    ("w", "v"),
    ("ck", "k"),
    ("c", "k"),
    ("y", "i"),
    ("j", "i"),
)


@lru_cache(maxsize=65536)
def name_key(word: str) -> str:
    """One spelling for a name's transliterations: accents dropped, Polish digraphs and letters mapped,
    doubled letters single ("Zełenski", "Zelenskyy" -> "zelenski")."""
    w = word.lower()
    for a, b in _SPELLINGS[:1]:
        w = w.replace(a, b)
    w = unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode()
    for a, b in _SPELLINGS[1:]:
        w = w.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", w)


def negations(text: str) -> int:
    """How many negations the text holds ("not", "never", "n't", "denied", ...)."""
    low = strip_markers(text).lower().replace("’", "'")
    words = re.findall(r"[a-z']+", low)  # "n't" is counted once, whether glued ("didn't") or split ("did n't")
    return sum(w in NEGATIONS and not w.endswith("n't") for w in words) + low.count("n't")
