"""Entity names normalised for relation edges: "the White House" and "Washington" are the US government.

A small hand-made table of the actors news about conflicts and policy names in several ways (states by
their capitals and seats of government, blocs by their institutions), and the nationality adjectives
that stand for a state's forces ("Russian forces", "Ukrainian air defences"). The surface form is
always kept beside the key for display. Deliberately not here: finding the names in text (spaCy's
entities, `relations.py`) or deciding when a capital means a city rather than a state (a capital is the
state only when it is the actor of an edge, never when it is a target: "strikes on Kyiv" hit the city).
"""

from __future__ import annotations

import re

# key → the names that mean it (lower case, without a leading "the").
_TABLE = {
    "US": "us, u.s., u.s, usa, u.s.a., united states, united states of america, america, washington, "
    "white house, biden administration, pentagon, us government, state department, us administration",
    "EU": "eu, e.u., european union, the union, union, brussels, european commission, european council, "
    "council of the eu, council of the european union",
    "Russia": "russia, russian federation, moscow, kremlin, russian government",
    "Ukraine": "ukraine, kyiv, kiev, ukrainian government",
    "Iran": "iran, tehran, islamic republic, islamic republic of iran, iranian regime, iranian government",
    "UK": "uk, u.k., britain, great britain, united kingdom, london, downing street, british government",
    "China": "china, beijing, people's republic of china, prc, chinese government",
    "North Korea": "north korea, pyongyang, dprk, democratic people's republic of korea",
    "Belarus": "belarus, minsk",
    "NATO": "nato, north atlantic treaty organization, the alliance",
    "UN": "un, u.n., united nations, un security council, security council",
    "West": "west, western countries, western nations, western governments, the west",
    "Israel": "israel, jerusalem, israeli government",
    "Germany": "germany, berlin, german government",
    "France": "france, paris, french government",
    "Poland": "poland, warsaw",
    "Japan": "japan, tokyo",
    "Turkey": "turkey, turkiye, türkiye, ankara",
    "Ireland": "ireland, republic of ireland, dublin, irish government",
}
# Capitals that stand for the state only when they act (never as a target: that is the city).
CAPITALS = {
    "washington",
    "moscow",
    "kyiv",
    "kiev",
    "tehran",
    "london",
    "beijing",
    "pyongyang",
    "dublin",
    "minsk",
    "brussels",
    "jerusalem",
    "berlin",
    "paris",
    "warsaw",
    "tokyo",
    "ankara",
}
# Nationality adjectives (and plural nouns) that stand for a state's forces or government.
_ADJECTIVES = {
    "US": "us, u.s., american, americans",
    "EU": "european",
    "Russia": "russian, russians",
    "Ukraine": "ukrainian, ukrainians",
    "Iran": "iranian, iranians",
    "UK": "british",
    "China": "chinese",
    "North Korea": "north korean",
    "Belarus": "belarusian",
    "Israel": "israeli",
    "Germany": "german",
    "France": "french",
    "Poland": "polish",
    "Japan": "japanese",
    "Turkey": "turkish",
    "Ireland": "irish",
}
# Heads that make "Russian X" the state acting: "Russian forces attacked", "Ukrainian air defences
# shot down". Not "Russian drones" or "Russian people".
STATE_HEADS = {
    "force",
    "forces",
    "army",
    "troops",
    "military",
    "defense",
    "defenses",
    "defence",
    "defences",
    "navy",
    "government",
    "regime",
    "authorities",
    "officials",
    "administration",
    "leadership",
    "artillery",
    "jets",
    "aircraft",
    "ministry",
    "command",
    "strike",
    "strikes",
    "attack",
    "attacks",
    "bombardment",
    "shelling",
    "missiles",
    "sanctions",
}


def _index(table: dict[str, str]) -> dict[str, str]:
    return {name.strip(): key for key, names in table.items() for name in names.split(",")}


_NAMES = _index(_TABLE)
_ADJ = _index(_ADJECTIVES)
_ADJECTIVES_OF = {key: tuple(a.strip() for a in names.split(",")) for key, names in _ADJECTIVES.items()}
_LEAD = re.compile(r"^(the|a|an)\s+", re.I)
_TAIL = re.compile(r"(['’]s|['’])$")


def _plain(surface: str) -> str:
    text = _TAIL.sub("", _LEAD.sub("", " ".join(surface.split())))
    return text.strip(" .,;:").lower()


def normalise(surface: str, *, acting: bool = True) -> str:
    """The key of a name ("Tehran" → "Iran" when it acts; "Kyiv" as a target stays "Kyiv"); an unknown
    name is its own key, tidied ("the Kyiv Independent" → "Kyiv Independent")."""
    plain = _plain(surface)
    key = _NAMES.get(plain)
    if key and (acting or plain not in CAPITALS):
        return key
    tidy = _TAIL.sub("", _LEAD.sub("", " ".join(surface.split()))).strip(" .,;:")
    return tidy


def known(surface: str) -> bool:
    """Whether the table knows this name (or it is a nationality adjective used for a state)."""
    plain = _plain(surface)
    return plain in _NAMES or plain in _ADJ


def adjectives_of(surface: str) -> tuple[str, ...]:
    """ "Ireland" → ("irish",): the words that name the state as an adjective."""
    return _ADJECTIVES_OF.get(_NAMES.get(_plain(surface), ""), ())


def state_of_adjective(word: str) -> str | None:
    """ "Russian" → "Russia"; None for a word that is not a nationality in the table."""
    return _ADJ.get(_plain(word))


# Other sovereign states, for telling a country from a city or a province ("which city": not Taiwan).
_COUNTRY_NAMES = """afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan
    bahamas bahrain bangladesh barbados belgium belize benin bhutan bolivia bosnia botswana brazil
    brunei bulgaria burkina burundi cambodia cameroon canada chad chile colombia comoros congo
    croatia cuba cyprus czechia denmark djibouti dominica ecuador egypt eritrea estonia eswatini
    ethiopia fiji finland gabon gambia georgia ghana greece grenada guatemala guinea guyana haiti
    honduras hungary iceland india indonesia iraq ireland italy jamaica jordan kazakhstan kenya
    kiribati kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein
    lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania mauritius mexico
    micronesia moldova monaco mongolia montenegro morocco mozambique myanmar namibia nauru nepal
    netherlands nicaragua niger nigeria norway oman pakistan palau palestine panama paraguay peru
    philippines portugal qatar romania rwanda samoa senegal serbia seychelles singapore slovakia
    slovenia somalia spain sudan suriname sweden switzerland syria taiwan tajikistan tanzania
    thailand togo tonga tunisia turkmenistan tuvalu uganda uruguay uzbekistan vanuatu venezuela
    vietnam yemen zambia zimbabwe"""
_COUNTRIES = frozenset(_COUNTRY_NAMES.split()) | frozenset(
    ["south korea", "south africa", "saudi arabia", "new zealand", "sri lanka", "czech republic"]
)


def names_a_state(surface: str) -> bool:
    """ "Russia", "the United States", "Taiwan" → True; "Kyiv" (a capital named as a place) → False."""
    return normalise(surface, acting=False) in _ADJECTIVES or _plain(surface) in _COUNTRIES


# Table names too common as words to stand for the body on their own.
_VAGUE = frozenset(["union", "the union", "the alliance", "west", "america"])


_ACRONYMS = frozenset(["us", "usa", "eu", "uk", "un", "prc", "dprk", "nato"])  # not "iran", "kyiv"


def other_names(surface: str) -> list[str]:
    """The table's other names for the same state or body ("the European Union" → "EU", "Brussels",
    ...), as written for matching: acronyms in capitals. Empty for a name the table does not know."""
    key = _NAMES.get(_plain(surface))
    if key is None:
        return []
    names = [n.strip() for n in _TABLE[key].split(",")]
    return [n.upper() if n in _ACRONYMS else n for n in names if n and n not in _VAGUE]
