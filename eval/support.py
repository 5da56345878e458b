"""The harness's own strict check that a quote supports a sentence, and its calibration against labels.

Rule: after `[n]` markers are stripped and curly quotes straightened, a sentence is supported by a
quote only if (a) every number in the sentence occurs as a number in the quote, where digits with or
without thousands commas, decimals, number words (one..nineteen, the tens, pronoun "one" excluded) and
scales (hundred/thousand/million/billion, glued k/m/bn, shared across a range as in "4-8 thousand") are
compared by value, so "2,500" == "2500" and "1.5 million" == "1,500,000"; (b) every capitalised name
token (possessive 's stripped, hyphenated parts separate; a sentence-initial word only when plainly
proper: an acronym, an inner capital, or capitalised again later) occurs in the quote, ignoring case
and plural endings, or is an acronym of a capitalised run on the other side ("US" = "United States";
a demonym is not its country); (c) every month, weekday and four-digit year occurs in the quote;
(d) at least 80% of the sentence's distinct non-name content words (lowercased, stopwords dropped,
stemmed by stripping -s/-es/-ed/-ing plus a short list of irregular forms such as got -> get) occur in
the quote; and (e) the sentence and the quote clause sharing most of its content agree on negation
(not, no, never, n't, denied, ...; "not only" is not a negation).

Known blind spot, by construction: swapped relations ("Iran supplies Russia" vs "Russia supplies Iran",
numbers exchanged between "killed" and "injured") use the same words and pass.

Deliberately independent of the engine's verifier (nothing from `qa` but errors is imported) and
deliberately lexical: no model, no synonyms, so a verdict is reproducible and explainable by its
reasons. It judges one sentence against one quote; splitting answers and ALCE scoring live in
`eval.metrics`, its agreement with hand labels in `eval.support_calibration`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTENT_THRESHOLD = 0.8  # share of the sentence's content words the quote must contain

_MARKER = re.compile(r"\s*\[\d+\]")
# Curly quotes, the modifier apostrophe and the no-break space to plain ones (also used by `eval.metrics`).
STRAIGHTEN = str.maketrans("’‘ʼ“”\u00a0", "'''\"\" ")
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)|\d+(?:\.\d+)?"
# Numbers and letter-only words, in order; a number glued to letters on its left ("G7") is not a number.
_TOKEN = re.compile(rf"(?P<num>(?<![^\W\d_])(?:{_NUMBER}))|(?P<word>[^\W\d_]+(?:'t)?)")
# Name candidates: words that may carry apostrophes, dots ("U.S.") and hyphens ("Iranian-made").
_NAME_TOKEN = re.compile(r"[^\W_]+(?:['.\-][^\W_]+)*\.?")

# Word lists are kept as plain text and split once: easier to read and extend than long literals.
_STOPWORD_TEXT = """
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself of
off on once only or other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves s t d ll re ve
m o y mr mrs ms dr st per via amid among upon within around across along toward towards onto since ago yet
still even though although whether may might must shall
said say says saying told tell tells according reported reportedly added adding
"""
_NEGATION_TEXT = (
    "not no never nor neither none nobody nothing nowhere cannot without deny denies denied denying "
    "reject rejects rejected rejecting refuse refuses refused refusing"  # denial verbs negate their object
)
_UNIT_TEXT = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
)
_TENS_TEXT = "twenty thirty forty fifty sixty seventy eighty ninety"
_MONTH_TEXT = "january february march april may june july august september october november december"
_MONTH_ABBREVIATIONS = "jan feb mar apr may jun jul aug sep oct nov dec"
_WEEKDAY_TEXT = "monday tuesday wednesday thursday friday saturday sunday"
# Common irregular forms, so "got through" matches "get through"; a fixed list, not a lemmatiser.
_IRREGULAR_TEXT = """
got:get gotten:get made:make took:take taken:take went:go gone:go gave:give given:give came:come saw:see
seen:see began:begin begun:begin found:find held:hold kept:keep brought:bring bought:buy sent:send
spent:spend built:build fought:fight fell:fall fallen:fall struck:strike shot:shoot won:win lost:lose
paid:pay met:meet led:lead ran:run rose:rise risen:rise thought:think knew:know known:know wrote:write
written:write stood:stand became:become chose:choose chosen:choose drew:draw drawn:draw grew:grow
grown:grow flew:fly flown:fly threw:throw thrown:throw broke:break broken:break spoke:speak spoken:speak
sold:sell children:child men:man women:woman
"""

_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_NEGATIONS = frozenset(_NEGATION_TEXT.split())
_UNITS = {w: i for i, w in enumerate(_UNIT_TEXT.split())}
_TENS = {w: 10 * i for i, w in enumerate(_TENS_TEXT.split(), start=2)}
_SCALES = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SUFFIX_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9}  # only when glued to digits: "$5m", "2bn"
_MONTHS = {
    **{m: i for i, m in enumerate(_MONTH_TEXT.split(), start=1)},
    **{a: i for i, a in enumerate(_MONTH_ABBREVIATIONS.split(), start=1)},
    "sept": 9,
}
_AMBIGUOUS_MONTHS = frozenset({"may", "mar", "jan"})  # also ordinary words/names; need a digit next to them
_WEEKDAYS = frozenset(_WEEKDAY_TEXT.split())
_IRREGULAR = dict(pair.split(":") for pair in _IRREGULAR_TEXT.split())
_CLAUSE_BREAK = re.compile(r"[.;:!?]\s+|,\s+|\s+(?:but|while|whereas)\s+")
_RANGE = re.compile(
    r"(\d+(?:\.\d+)?)(\s*(?:-|to|or)\s*|\s+and\s+)(\d+(?:\.\d+)?\s+(hundred|thousand|million|billion))"
)


@dataclass(frozen=True)
class SupportDetail:
    """The verdict with its evidence: `reasons` is empty exactly when `supported` is true."""

    supported: bool
    reasons: tuple[str, ...]
    coverage: float  # share of the sentence's content words found in the quote
    missing_numbers: tuple[str, ...] = ()
    missing_names: tuple[str, ...] = ()
    missing_dates: tuple[str, ...] = ()
    missing_words: tuple[str, ...] = ()
    negation_mismatch: bool = False


def supports(sentence: str, quote: str) -> bool:
    """True when `quote` supports `sentence` under the strict lexical rule of this module."""
    return support_detail(sentence, quote).supported


def support_detail(sentence: str, quote: str) -> SupportDetail:
    """Apply rules (a)-(e) and say which failed, so a disagreement can be read, not guessed at."""
    sent, quo = _clean(sentence), _clean(quote)
    if not _content_words(sent) and not _numbers(sent) and not _names(sent):
        return SupportDetail(True, (), 1.0)  # nothing is claimed, so nothing can be unsupported
    if not quo.strip():
        return SupportDetail(False, ("the quote is empty",), 0.0)
    quote_numbers = _numbers(quo, include_parts=True)
    years = {v for v in _numbers(sent) if _is_year(v)}
    missing_numbers = tuple(_fmt(v) for v in sorted(_numbers(sent) - years) if v not in quote_numbers)
    names = _names(sent)
    missing_names = _missing_names(names, sent, quo)
    missing_dates = _missing_dates(sent, quo, years, quote_numbers)
    # Names are judged by rule (b) alone, so an acronym match ("US") is not undone by rule (d).
    words = _content_words(sent) - {_stem(n.lower()) for n in names}
    missing_words = tuple(sorted(w for w in words if w not in _content_stems(quo)))
    coverage = 1.0 if not words else 1 - len(missing_words) / len(words)
    negation = _negation_mismatch(sent, quo)
    reasons = _reasons(missing_numbers, missing_names, missing_dates, coverage, missing_words, negation)
    return SupportDetail(
        not reasons,
        reasons,
        round(coverage, 4),
        missing_numbers,
        missing_names,
        missing_dates,
        missing_words,
        negation,
    )


def _reasons(
    numbers: tuple[str, ...],
    names: tuple[str, ...],
    dates: tuple[str, ...],
    coverage: float,
    words: tuple[str, ...],
    negation: bool,
) -> tuple[str, ...]:
    reasons = [f"number {n} not in quote" for n in numbers]
    reasons += [f"name {n!r} not in quote" for n in names]
    reasons += [f"date {d!r} not in quote" for d in dates]
    if coverage < CONTENT_THRESHOLD:
        reasons.append(f"only {coverage:.0%} of content words in quote (missing: {', '.join(words)})")
    if negation:
        reasons.append("negation differs between sentence and quote")
    return tuple(reasons)


# --- normalisation --------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Strip citation markers; straighten curly quotes and odd spaces so both sides tokenise alike."""
    text = _MARKER.sub("", text)
    text = text.translate(STRAIGHTEN)
    return re.sub(r"[\u2010-\u2015]", "-", text)


def _words(text: str) -> list[str]:
    """Lowercased letter-only words ("didn't" stays one word so its negation is visible)."""
    return [m.group("word").lower() for m in _TOKEN.finditer(text) if m.group("word")]


def _stem(word: str) -> str:
    """Light suffix stripping, the same on both sides: plural -s/-es, -ed, -ing; then a final e/double."""
    word = _IRREGULAR.get(word, word)
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    else:
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
                word = word[: -len(suffix)]
                break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2]:
        word = word[:-1]  # "stopped" -> "stopp" -> "stop", matching "stop"
    return word


def _content_words(text: str) -> set[str]:
    """Distinct stems of the words that carry meaning (no stopwords, negations or number words)."""
    return {
        _stem(w)
        for w in _words(text)
        if len(w) > 1
        and w not in _STOPWORDS
        and w not in _NEGATIONS
        and not _is_number_word(w)
        and "'" not in w
    }


def _content_stems(text: str) -> set[str]:
    return {_stem(w) for w in _words(text)}


# --- (a) numbers ----------------------------------------------------------------------------------


def _is_number_word(word: str) -> bool:
    return word in _UNITS or word in _TENS or word in _SCALES


_Tok = tuple[str | None, str, int, int]  # (digits or None, lowercased word or "", start, end)


def _numbers(text: str, include_parts: bool = False) -> set[float]:
    """Values of the numbers in `text`; with `include_parts`, also the unscaled part of "1.5 million"."""
    text = _RANGE.sub(r"\1 \4\2\3", text)  # "4-8 thousand" -> "4 thousand-8 thousand"
    tokens: list[_Tok] = [
        (m.group("num"), (m.group("word") or "").lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]
    values: set[float] = set()
    i = 0
    while i < len(tokens):
        value, part, i = _read_number(tokens, i, text)
        if value is not None:
            values.add(round(value, 6))
        if include_parts and part is not None:
            values.add(round(part, 6))
    return values


def _read_number(tokens: list[_Tok], i: int, text: str) -> tuple[float | None, float | None, int]:
    """Read the number starting at token `i`, if any: (value, unscaled digits, index after it)."""
    num, word, _, end = tokens[i]
    if num:
        digits = float(num.replace(",", ""))
        i += 1
        if i < len(tokens) and tokens[i][1] in _SUFFIX_SCALES and tokens[i][2] == end:
            return digits * _SUFFIX_SCALES[tokens[i][1]], digits, i + 1  # "$5m": glued, so not a word
        value = digits
        while i < len(tokens) and tokens[i][1] in _SCALES:  # "1.5 million", "2 hundred thousand"
            value *= _SCALES[tokens[i][1]]
            i += 1
        return value, digits, i
    if not _is_number_word(word) or (word == "one" and _pronoun_one(tokens, i)):
        return None, None, i + 1
    value, i = _read_number_words(tokens, i, text)
    return value, None, i


def _read_number_words(tokens: list[_Tok], i: int, text: str) -> tuple[float, int]:
    """Spelled-out numbers: "twenty-five" -> 25, "two hundred thousand" -> 200000, "million" -> 1e6.

    A run stops at punctuation and where a new number clearly begins ("five, two"; "five two").
    """
    total = current = 0.0
    previous = ""
    while i < len(tokens) and _is_number_word(tokens[i][1]):
        word = tokens[i][1]
        glued = not previous or not text[tokens[i - 1][3] : tokens[i][2]].strip(" -")
        small = word in _UNITS or word in _TENS
        if not glued or (small and (previous in _UNITS or (previous in _TENS and word in _TENS))):
            break
        if word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0.0
        else:
            current += _UNITS.get(word, 0) + _TENS.get(word, 0)
        previous = word
        i += 1
    return total + current, i


def _pronoun_one(tokens: list[_Tok], i: int) -> bool:
    """'one' as a pronoun ("no one", "one of them", "the one") is not a count."""
    before = tokens[i - 1][1] if i > 0 else ""
    after = tokens[i + 1][1] if i + 1 < len(tokens) else ""
    return before in {"no", "any", "every", "some", "each", "the", "this", "that", "which"} or after in {
        "of",
        "another",
        "who",
        "that",
    }


def _is_year(value: float) -> bool:
    return value.is_integer() and 1800 <= value <= 2099


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


# --- (b) names ------------------------------------------------------------------------------------


def _names(text: str) -> list[str]:
    """Capitalised name parts of the sentence, possessives stripped, in order of first appearance."""
    matches = list(_NAME_TOKEN.finditer(text))
    tokens = [m.group() for m in matches]
    initial = [k == 0 or _starts_clause(text, m.start()) for k, m in enumerate(matches)]
    # A sentence-initial word is a name if the sentence also capitalises it where grammar does not force it.
    proper_elsewhere = {
        t.lower() for t, first in zip(tokens, initial, strict=True) if not first and t[0].isupper()
    }
    names: list[str] = []
    for token, first in zip(tokens, initial, strict=True):
        if first and not _unmistakably_proper(token) and token.lower() not in proper_elsewhere:
            continue
        for part in _name_parts(token):
            if part[:1].isupper() and _is_name_part(part) and part not in names:
                names.append(part)
    return names


def _starts_clause(text: str, start: int) -> bool:
    return text[:start].rstrip().endswith(('"', ":", "(", "--"))


def _name_parts(token: str) -> list[str]:
    """ "Russia's" -> ["Russia"], "U.S." -> ["US"], "Iranian-made" -> ["Iranian", "made"]."""
    token = re.sub(r"'s?$", "", token.rstrip("."))
    return [part.replace(".", "") for part in token.split("-") if part]


def _missing_names(names: list[str], sent: str, quo: str) -> tuple[str, ...]:
    """Names of the sentence the quote lacks, allowing acronyms both ways ("US" = "United States").

    Demonyms are deliberately not equated with countries ("Russian weapons" is not supported by a quote
    that merely mentions Russia): calibration showed that leniency mostly admits swapped relations.
    """
    keys = _name_keys(quo)
    quote_initials = _initialisms(quo)
    quote_acronyms = {p for p in _name_keys_raw(quo) if len(p) >= 2 and p.isupper()}
    spelled_out = {part for run in _capital_runs(sent) for part in _runs_matching(run, quote_acronyms)}
    return tuple(
        name
        for name in names
        if not (_stem(name.lower()) in keys or name in quote_initials or name in spelled_out)
    )


def _name_keys_raw(text: str) -> list[str]:
    return [p for m in _NAME_TOKEN.finditer(text) for p in _name_parts(m.group())]


def _name_keys(text: str) -> set[str]:
    """Everything a name may match in the quote: its words and its name parts ("U.S." -> us), stemmed."""
    return {_stem(w) for w in _words(text)} | {_stem(p.lower()) for p in _name_keys_raw(text)}


def _capital_runs(text: str) -> list[list[str]]:
    """Runs of capitalised words separated only by spaces: "the United States said" -> [[United, States]]."""
    runs: list[list[str]] = []
    end = -1
    for m in _NAME_TOKEN.finditer(text):
        parts = _name_parts(m.group())
        if not parts or not parts[0][:1].isupper():
            end = -1
            continue
        if runs and end >= 0 and not text[end : m.start()].strip():
            runs[-1].extend(parts)
        else:
            runs.append(list(parts))
        end = m.end() if not m.group().endswith((".", "'s")) else -1
    return runs


def _runs_matching(run: list[str], acronyms: set[str]) -> set[str]:
    """Words of any stretch of `run` whose initials spell one of `acronyms`."""
    matched: set[str] = set()
    for i in range(len(run)):
        for j in range(i + 2, len(run) + 1):
            if "".join(p[0] for p in run[i:j]).upper() in acronyms:
                matched.update(run[i:j])
    return matched


def _initialisms(text: str) -> set[str]:
    """Initials of every stretch (two words or more) of every capitalised run in `text`."""
    found: set[str] = set()
    for run in _capital_runs(text):
        for i in range(len(run)):
            found.update("".join(p[0] for p in run[i:j]).upper() for j in range(i + 2, len(run) + 1))
    return found


def _unmistakably_proper(token: str) -> bool:
    letters = token.replace(".", "").replace("-", "")
    return (len(letters) >= 2 and letters.isupper()) or any(c.isupper() for c in letters[1:])


def _is_name_part(part: str) -> bool:
    """Not a capitalised stopword, negation, number word or date word (those have their own rules)."""
    low = part.lower()
    return (
        part.replace("'", "").isalpha()
        and low not in _STOPWORDS
        and low not in _NEGATIONS
        and not _is_number_word(low)
        and low not in _MONTHS
        and low not in _WEEKDAYS
    )


# --- (c) dates ------------------------------------------------------------------------------------


def _missing_dates(sent: str, quo: str, years: set[float], quote_numbers: set[float]) -> tuple[str, ...]:
    quote_words = set(_words(quo))
    quote_months = {_MONTHS[w] for w in quote_words if w in _MONTHS}
    missing = [_fmt(y) for y in sorted(years) if y not in quote_numbers]
    for word in _date_words(sent):
        low = word.lower()
        if (low in _WEEKDAYS and low not in quote_words) or (
            low in _MONTHS and _MONTHS[low] not in quote_months
        ):
            missing.append(word)
    return tuple(dict.fromkeys(missing))


def _date_words(text: str) -> list[str]:
    """Month and weekday words; ambiguous ones ("May", "Mar") only when capitalised next to a digit."""
    found: list[str] = []
    for m in re.finditer(r"[A-Za-z]+", text):
        word, low = m.group(), m.group().lower()
        if low in _WEEKDAYS or (low in _MONTHS and word[0].isupper() and low not in _AMBIGUOUS_MONTHS):
            found.append(word)
        elif low in _AMBIGUOUS_MONTHS and word[0].isupper():
            around = text[max(0, m.start() - 3) : m.end() + 3]
            if re.search(r"\d", around):
                found.append(word)
    return found


# --- (e) negation ---------------------------------------------------------------------------------


def _negated(text: str) -> bool:
    """Any negation cue; "not only ... but also" adds rather than denies, so it does not count."""
    words = _words(text)
    return any(
        (w in _NEGATIONS or w.endswith("n't")) and not (w == "not" and words[k + 1 : k + 2] == ["only"])
        for k, w in enumerate(words)
    )


def _negation_mismatch(sent: str, quo: str) -> bool:
    """Compare each clause of the sentence with the quote clause most like it, not the whole quote.

    A long quote often holds an unrelated "not" elsewhere; only the clause a claim rests on counts.
    """
    quote_clauses = _clauses(quo)
    for clause in _clauses(sent):
        words = _content_words(clause)
        scores = [_jaccard(words, _content_words(c)) for c in quote_clauses]
        best = [c for c, score in zip(quote_clauses, scores, strict=True) if score == max(scores)]
        if all(_negated(clause) != _negated(c) for c in best):  # a tie goes to the reading that agrees
            return True
    return False


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_BREAK.split(text) if c.strip()] or [text]


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
