"""Is a name in a text? By a word of it ("Mr Lakhani" for "Yaseen Lakhani"), its state ("Ukrainian"
for Ukraine), another name of the same state or body ("EU" for "the European Union") or its initials
("KSE"); not by another person's surname ("Steve Hansen" for Ashia Hansen) or by a word any body's name
may have ("the council" for "the Atlantic Council").

Deliberately not here: which names a question asks about (`question.py`) and what a passage must
hold (`passages.py`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.terms import STOPWORDS, name_in, stem, words_of
from vectorstore.aliases import adjectives_of, names_a_state, other_names, state_of_adjective

_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prime",
        "minister",
        "president",
        "general",
        "attorney",
        "secretary",
        "chancellor",
        "king",
        "queen",
        "prince",
        "patriarch",
        "pope",
        "sir",
        "lord",
        "chief",
        "deputy",
        "foreign",
        "defence",
        "defense",
        "state",
    ]
)


def named(name: str, words: set[str], text: str) -> bool:
    """Is the name in the text: by a word of it, its state ("Ukrainian" -> "Ukraine": "controlled by
    Ukraine"), or another name of the same state or body ("the European Union" -> "EU")?"""
    if acronym(name):
        found = says(name, text)  # "US" is not "us"
    elif _anothers_surname(name, text):
        found = False  # "Steve Hansen" does not name Ashia Hansen
    elif _anothers_body(name, text):
        found = False  # "the Hong Kong Rugby Football Union" does not name the Welsh Rugby Union
    else:
        adjectives = [a for a in adjectives_of(name) if " " not in a]  # "Ireland": "Irish"
        parts = name_parts(name) + name_parts(state_of_adjective(name) or "") + adjectives
        found = any(name_in(w, words) for w in parts)
    return found or _named_otherwise(name, text)


def _named_otherwise(name: str, text: str) -> bool:
    """By another name of the same state or body ("EU"), or by its initials ("the Karachi Stock
    Exchange" as "KSE")."""
    letters = initials(name)
    return any(says(other, text) for other in other_names(name)) or (bool(letters) and says(letters, text))


def _anothers_surname(name: str, text: str) -> bool:
    """Is a person's surname in the text only with another first name ("coaches Graham Henry and
    Steve Hansen" for "Ashia Hansen")? A title ("Ms Hansen") or the surname alone is hers."""
    words = re.sub(r"['’]s$", "", name).split()  # "Ashia Hansen's"
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() and w.isalpha() for w in words):
        return False
    first, last = words[0], words[-1]
    if stem(last) in _BODY_STEMS or re.search(rf"\b{re.escape(first)}\b", text):
        return False
    before = [m.group(1) for m in re.finditer(rf"(\w+\.?)\s+{re.escape(last)}\b", text)]
    alone = len(re.findall(rf"\b{re.escape(last)}\b", text)) > len(before)
    return bool(before) and not alone and all(_another_first_name(b, first) for b in before)


_NAME_RUN = re.compile(r"[A-Z][\w'’&-]*(?: +(?:of +|and +|for +)?[A-Z][\w'’&-]*)*")


def _anothers_body(name: str, text: str) -> bool:
    """Are the body's words in the text only inside other bodies' names ("London Stock Exchange" for
    "the Karachi Stock Exchange")? A shortened name ("the Rugby Union") is still the body."""
    words = [w for w in name.split() if w.lower() != "the"]
    body = name.lower().startswith("the ") or (bool(words) and stem(words[-1].lower()) in _BODY_STEMS)
    if len(words) < 2 or not body or not all(w[:1].isupper() for w in words):
        return False
    own = {w.lower() for w in words}
    hits = [run for run in _name_runs(text) if run & own]
    # another body has a word of its own where this one has another ("London" for "Karachi"); a run
    # that adds only words any body has ("Department of Constitutional Affairs") may be this one
    return bool(hits) and all(
        {w for w in run - own if stem(w) not in _BODY_STEMS} and not own <= run for run in hits
    )


@lru_cache(maxsize=64)
def _name_runs(text: str) -> tuple[frozenset[str], ...]:
    """The capitalised runs of the text ("Hong Kong Rugby Football Union"), as sets of lowercased
    words without function words or titles. Cached: a question judges every window of an article
    against the same article text."""
    return tuple(
        frozenset({w.lower() for w in run.split()} - STOPWORDS - _TITLES) for run in _NAME_RUN.findall(text)
    )


def _another_first_name(word: str, first: str) -> bool:
    """A capitalised word, no title, and not the first name in another spelling ("Volodymyr" is
    "Vladimir")."""
    if not word[:1].isupper() or word.lower().rstrip(".") in _TITLES | STOPWORDS:
        return False  # "Ms Hansen", "For China's"
    return word[:1] != first[:1] and not name_in(stem(first), {stem(word)})


def names_body(name: str, text: str) -> bool:
    """Is the body named by a word of its own ("the Atlantic Council" as "Atlantic", "BFM TV" as
    "BFM"), its initials or another name of it, and not by a word any body may have ("writing for
    the council")? A name of generic words only must be there whole; a state in it may be left out
    ("the (US) National Security Council")."""
    if acronym(name):
        found = says(name, text)
    else:
        words = words_of(text)
        parts = name_parts(" ".join(w for w in name.split() if not names_a_state(w))) or name_parts(name)
        own = [p for p in parts if p not in _BODY_STEMS]
        found = any(name_in(p, words) for p in own) if own else all(name_in(p, words) for p in parts)
    return found or _named_otherwise(name, text)


# Words any body's name may have: none of them alone says which body.
_BODY_WORDS = frozenset(
    [
        "council",
        "committee",
        "agency",
        "party",
        "group",
        "news",
        "tv",
        "television",
        "radio",
        "channel",
        "network",
        "institute",
        "institution",
        "foundation",
        "association",
        "union",
        "commission",
        "ministry",
        "department",
        "office",
        "service",
        "security",
        "national",
        "international",
        "world",
        "organisation",
        "organization",
        "corporation",
        "company",
        "bank",
        "university",
        "center",
        "centre",
        "times",
        "post",
        "daily",
        "journal",
        "press",
        "federal",
        "state",
        "general",
        "house",
        "senate",
        "court",
    ]
)
_BODY_STEMS = frozenset(stem(w) for w in _BODY_WORDS)


def initials(name: str) -> str:
    """ "the Karachi Stock Exchange" -> "KSE"; "" for a name of fewer than three capitalised words."""
    capitals = [w[0] for w in name.split() if w[:1].isupper()]
    return "".join(capitals) if len(capitals) >= 3 else ""


def acronym(name: str) -> bool:
    return len(name) == 2 and name.isupper()


def says(surface: str, text: str) -> bool:
    """An acronym in capitals as written ("US", not "us"); a longer name in any case."""
    if surface.isupper() or len(surface) <= 3:
        return re.search(rf"(?<!\w){re.escape(surface.upper())}(?!\w)", text) is not None
    return re.search(rf"(?<!\w){re.escape(surface)}(?!\w)", text, re.I) is not None


def name_parts(name: str) -> list[str]:
    return [
        stem(w)
        for w in re.findall(r"[A-Za-z][A-Za-z'\-]+", name)
        if w.lower() not in _TITLES and w.lower() != "the"
    ]
