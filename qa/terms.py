"""The terms a claim is made of: content words (lightly stemmed), numbers and proper names.

Support checking, evidence selection and abstention all compare texts by these terms, so they
live in one place. Deliberately simple and deterministic (no model, no corpus statistics): the
point is a check a person can predict, not a clever one.
"""

from __future__ import annotations

import re
from functools import lru_cache

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "let",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
        "say",
        "told",
        "according",
        "also",
        "however",
        "meanwhile",
        "whose",
        "many",
        "much",
        "did",
        "does",
        "do",
        "done",
        "get",
        "got",
        "one's",
        "s",
        "t",
        "don",
        "should've",
        "ve",
        "ll",
        "re",
        "d",
        "m",
        "o",
        "y",
        "ain",
        "isn't",
        "wasn't",
        "weren't",
        "hasn't",
        "haven't",
        "hadn't",
        "doesn't",
        "didn't",
        "won't",
        "wouldn't",
        "shan't",
        "shouldn't",
        "mustn't",
        "can't",
        "couldn't",
        "mightn't",
        "needn't",
        "tell",
        "please",
        "describe",
        "explain",
        "give",
        "list",
        "name",
        "happen",
        "happened",
        "documents",
        "document",
        "article",
        "articles",
        "news",
        "source",
        "sources",
    ]
)
# Words asked about rather than asserted: never required in the evidence.
QUESTION_WORDS = frozenset(
    [
        "who",
        "whom",
        "whose",
        "what",
        "which",
        "when",
        "where",
        "why",
        "how",
        "many",
        "much",
        "does",
        "did",
        "do",
        "is",
        "are",
        "was",
        "were",
    ]
)
NEGATIONS = frozenset(
    ["not", "no", "never", "n't", "without", "neither", "nor", "none", "denied", "denies", "deny"]
)

_NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
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
    """A tiny suffix stripper: enough to match 'sanctioned'/'sanctions'/'sanction'."""
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s$", "", w)
    for suffix, keep in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            return w[: -len(suffix)] + keep
    return w


def content_words(text: str) -> set[str]:
    """Stemmed words that carry meaning (stopwords and question words removed)."""
    words = (w.lower().replace("’", "'") for w in _WORD.findall(strip_markers(text)))
    return {stem(w) for w in words if w not in STOPWORDS and w not in QUESTION_WORDS and len(w) > 1}


def numbers(text: str) -> set[str]:
    """Numbers as canonical strings: '2,500' -> '2500', 'seven' -> '7', '1.5' -> '1.5'."""
    text = strip_markers(text)
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    found |= {str(_NUMBER_WORDS[w.lower()]) for w in _WORD.findall(text) if w.lower() in _NUMBER_WORDS}
    return {n.rstrip(".") for n in found}


def names(text: str) -> set[str]:
    """Proper-name words: capitalized words that do not start a sentence, plus acronyms anywhere."""
    text = strip_markers(text)
    out: set[str] = set()
    for m in _WORD.finditer(text):
        before = text[: m.start()].rstrip(" \t\"'“‘(")
        sentence_start = not before or before[-1] in ".!?:\n"
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
    """A name counts as present when a word starts with it or it with a word ("Russia" ~ "Russian")."""
    if name in vocabulary:
        return True
    return any(
        len(w) >= 4 and (w.startswith(name) or name.startswith(w)) for w in vocabulary if w[:1] == name[:1]
    )


def has_negation(text: str) -> bool:
    low = strip_markers(text).lower().replace("’", "'")
    return any(w in NEGATIONS for w in re.findall(r"[a-z']+", low)) or "n't" in low
