"""How often the engine's verifier catches the errors small models make, on real sentences.

Every sentence of the given articles (the five seeds by default) is turned by fixed rules into
model-like sentences, one error kind each, and settled by the engine's `DraftVerifier` as a streamed
draft sentence would be, citing its source sentence(s). Kinds:
- faithful: the sentence itself (must be kept: the false-rejection rate);
- number: its first figure changed; name: a name inside it swapped for a name of another article;
- opening name: its opening proper noun swapped so; negation: "not" put after its first auxiliary;
- negation dropped: its one "not" or "never" taken out;
- roles: the two sides of a relation edge of it swapped ("Iran sold drones to Russia" turned round);
- chimera: its first half joined to the second half of a sentence of another article, citing both;
- quotation: a word inside its quotation marks changed; degree: a superlative or ordinal changed.
Each error sentence must be dropped; the faithful one kept.
Synthetic on purpose: real model drafts rarely hold each kind (they are what the suites measure),
and a kind a probe catches can still slip through in a wording the rules do not produce.
Our own code: no library probes a citation verifier. Run: `python -m eval.verifier_probe [FILES]`.
"""

from __future__ import annotations

import argparse
import re
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qa.cite import split_draft
from qa.draft import DraftVerifier
from qa.reading import Reading, parsed
from vectorstore.load import find_files, load_file
from vectorstore.relations import Article, extract
from vectorstore.sentences import split_sentences

KINDS = (
    "faithful",
    "number",
    "name",
    "opening name",
    "negation",
    "negation dropped",
    "roles",
    "chimera",
    "quotation",
    "degree",
)
_SWAP_DEGREE = {
    "first": "second",
    "second": "third",
    "last": "first",
    "largest": "smallest",
    "most": "fewest",
}
_AUX = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could)\b")
_NOT = re.compile(r" (?:not|never)\b")  # "has not been" -> "has been"
_QUOTED = re.compile(r"[“\"]([^”\"]+)[”\"]")
Probe = tuple[str, str, list[str]]  # (kind, the sentence the model would write, the texts it cites)


def sentences(paths: list[Path]) -> list[tuple[str, str]]:
    """(document id, sentence) of every sentence of the articles, headlines and scraps left out."""
    out = []
    for path in find_files(paths):
        doc = load_file(path, 10_000_000)
        for start, end in split_sentences(doc.text, doc.skip):
            text = doc.text[start:end]
            # one draft sentence as the verifier splits it ("U.S." would end a sentence there); a
            # question is no answer sentence (the verifier drops every one)
            if len(text.split()) >= 8 and len(split_draft(text)) == 1 and not text.rstrip().endswith("?"):
                out.append((doc.doc_id, text))
    return out


def probes(items: list[tuple[str, str]], nlp: Any) -> Iterator[Probe]:
    """Every probe the rules can make of each sentence."""
    names_of: dict[str, list[str]] = {}
    docs = list(nlp.pipe(text for _, text in items))
    for (doc_id, _), doc in zip(items, docs, strict=True):
        names_of.setdefault(doc_id, []).extend(
            e.text for e in doc.ents if e.label_ in ("PERSON", "GPE", "ORG")
        )
    for n, ((doc_id, text), doc) in enumerate(zip(items, docs, strict=True)):
        other_doc, other = next(((d, t) for d, t in items[n + 1 :] + items[:n] if d != doc_id), ("", ""))
        stranger = next((x for x in names_of.get(other_doc, []) if x not in text), "")
        yield "faithful", text, [text]
        yield from _number(text)
        yield from _name(doc, text, stranger)
        yield from _negation(text)
        yield from _roles(text, nlp)
        if other:
            half, rest = text[: len(text) // 2], other[len(other) // 2 :]
            yield "chimera", f"{half.rsplit(' ', 1)[0]} {rest.split(' ', 1)[-1]}", [text, other]
        yield from _quotation(text)
        yield from _degree(doc, text)


def _number(text: str) -> Iterator[Probe]:
    m = re.search(r"\b\d+\b", text)
    if m:
        yield "number", text[: m.start()] + str(int(m.group()) + 7) + text[m.end() :], [text]


def _name(doc: Any, text: str, stranger: str) -> Iterator[Probe]:
    if not stranger:
        return
    inside = [e for e in doc.ents if e.label_ in ("PERSON", "GPE", "ORG") and e.start > 0]
    if inside:
        e = inside[0]
        yield "name", text[: e.start_char] + stranger + text[e.end_char :], [text]
    first = doc[0]
    if first.pos_ == "PROPN" and first.ent_type_ in ("PERSON", "GPE", "ORG", "NORP"):
        yield "opening name", stranger + text[first.idx + len(first.text) :], [text]


def _negation(text: str) -> Iterator[Probe]:
    m = _AUX.search(text)
    if m and " not " not in text and "n't" not in text:
        yield "negation", text[: m.end()] + " not" + text[m.end() :], [text]
    dropped = _NOT.search(text)
    if dropped and len(_NOT.findall(text)) == 1:
        yield "negation dropped", text[: dropped.start()] + text[dropped.end() :], [text]


def _roles(text: str, nlp: Any) -> Iterator[Probe]:
    for edge in extract(Article("probe", text, [(0, len(text))]), nlp):
        a, b = edge.subject_text, edge.object_text
        if a and b and a in text and b in text and a not in b and b not in a:
            swapped = text.replace(a, "\0").replace(b, a).replace("\0", b)
            yield "roles", swapped, [text]
            return


def _quotation(text: str) -> Iterator[Probe]:
    m = _QUOTED.search(text)
    words = m.group(1).split() if m else []
    if m and len(words) >= 4:
        i = len(words) // 2
        changed = " ".join([*words[:i], "quite" if words[i] != "quite" else "very", *words[i + 1 :]])
        yield "quotation", text[: m.start(1)] + changed + text[m.end(1) :], [text]


def _degree(doc: Any, text: str) -> Iterator[Probe]:
    for t in doc:
        if t.text.lower() in _SWAP_DEGREE:
            word = _SWAP_DEGREE[t.text.lower()]
            word = word.capitalize() if t.text[0].isupper() else word
            yield "degree", text[: t.idx] + word + text[t.idx + len(t.text) :], [text]
            return


def kept(probe: Probe, reading: Reading) -> bool:
    """Does the engine's verifier keep the probe sentence, citing its sources (each its own article)?"""
    _, sentence, cited = probe
    evidence = dict(enumerate(cited, start=1))
    verifier = DraftVerifier(evidence, {n: f"doc{n}" for n in evidence}, set(), reading)
    verifier.feed(f"{sentence.rstrip()} {''.join(f'[{n}]' for n in evidence)}")
    verifier.close()
    return bool(verifier.kept)


def table(paths: list[Path], nlp: Any) -> dict[str, tuple[int, int]]:
    """Per kind: (probes made, probes the verifier kept)."""
    reading = parsed(nlp, threading.Lock())
    made: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    for probe in probes(sentences(paths), nlp):
        made[probe[0]] += 1
        passed[probe[0]] += kept(probe, reading)
    return {kind: (made[kind], passed[kind]) for kind in KINDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "paths", nargs="*", type=Path, default=[Path("seeds")], help="articles (default: seeds/)"
    )
    args = parser.parse_args()
    from vectorstore.nlp import pipeline

    rows = table(args.paths, pipeline())
    print(f"{sum(made for made, _ in rows.values())} probes from {rows['faithful'][0]} sentences")
    print("| kind | probes | kept | must be |")
    print("|---|---|---|---|")
    for kind, (made, passed) in rows.items():
        print(f"| {kind} | {made} | {passed} | {'kept' if kind == 'faithful' else 'dropped'} |")


if __name__ == "__main__":
    main()
