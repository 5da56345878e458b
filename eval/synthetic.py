"""Deterministic synthetic news for the benchmark: article files for ingestion, documents for scale tests.

Sentences are real seed sentences recombined, with their numbers, names and places substituted by
seeded random choices, so the splitter and chunker see real sentence structure; the same seed always
gives byte-identical output. Names and places are invented, so nobody mistakes the text for news.
It does not embed or store anything, and the text carries no meaning: it is for measuring speed,
never for measuring answer quality.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from vectorstore.chunking import Chunk
from vectorstore.load import find_files, load_file
from vectorstore.sentences import split_sentences

NAMES = (
    "Amara Okafor",
    "Lena Vogel",
    "Tomas Reyes",
    "Ines Marlow",
    "Kofi Mensah",
    "Yara Haddad",
    "Piotr Lisowski",
    "Mei Tanaka",
    "Arjun Patel",
    "Sofia Lindqvist",
    "Omar Farouk",
    "Clara Dubois",
)
PLACES = (
    "Valmora",
    "Port Elden",
    "Kestrava",
    "Norhaven",
    "Ostrelia",
    "Dunmere",
    "Caldera Bay",
    "Vesk",
    "Altamar",
    "Brightwater",
    "Sorvik",
    "Lunesta",
)
HEADLINES = (
    "{place} reports {n} incidents overnight as tensions rise",
    "{name} says talks with {place} will resume next week",
    "Officials in {place} confirm {n} arrests after protests",
    "{place} and {other} sign new trade and security pact",
    "{name} warns of further strikes on {place}",
    "Inquiry into {place} contract finds {n} violations",
    "{name} to visit {place} amid sanctions dispute",
    "Flooding in {place} forces {n} families from their homes",
)
_DIGITS = re.compile(r"\d+")
_PROPER = re.compile(r"(?<=\s)[A-Z][a-z]+(?:\s[A-Z][a-z]+)*")  # capitalised runs after the first word
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)]*$")
MIN_WORDS = 6


@dataclass(frozen=True)
class ScaleDoc:
    """A synthetic document with its chunks laid out exactly as ingestion would record them."""

    doc_id: str
    title: str
    date: str
    text: str
    chunks: list[Chunk]


def seed_sentences(seeds_dir: Path) -> list[str]:
    """Body sentences of the seed articles (MIN_WORDS words or more, ending like one), single-spaced."""
    out: list[str] = []
    for path in find_files([seeds_dir]):
        doc = load_file(path, max_bytes=10_000_000)
        for start, end in split_sentences(doc.text, doc.skip):
            sentence = " ".join(doc.text[start:end].split())
            if len(sentence.split()) >= MIN_WORDS and _ENDS_SENTENCE.search(sentence):
                out.append(sentence)
    return out


def vary(sentence: str, rng: random.Random) -> str:
    """The sentence with every number redrawn (same digit count) and about half its proper nouns swapped."""

    def number(m: re.Match[str]) -> str:
        digits = m.group()
        first = str(rng.randint(1, 9)) if len(digits) > 1 else str(rng.randint(0, 9))
        return first + "".join(str(rng.randint(0, 9)) for _ in digits[1:])

    def proper(m: re.Match[str]) -> str:
        if " " in m.group():
            return rng.choice(NAMES)
        return rng.choice(PLACES) if rng.random() < 0.5 else m.group()

    return _PROPER.sub(proper, _DIGITS.sub(number, sentence))


def headline(rng: random.Random) -> str:
    place, other = rng.sample(PLACES, 2)
    name, n = rng.choice(NAMES), rng.randint(2, 400)
    return rng.choice(HEADLINES).format(place=place, other=other, name=name, n=n)


def date(rng: random.Random) -> str:
    return (
        f"{rng.randint(2022, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    )


def article(rng: random.Random, sentences: list[str]) -> str:
    """A headline line, a date line, then 4-8 varied sentences in paragraphs of one to three."""
    body = [vary(rng.choice(sentences), rng) for _ in range(rng.randint(4, 8))]
    paragraphs = []
    while body:
        take = rng.randint(1, 3)
        paragraphs.append(" ".join(body[:take]))
        body = body[take:]
    return f"{headline(rng)}\nPublished: {date(rng)}\n\n" + "\n\n".join(paragraphs) + "\n"


def write_corpus(folder: Path, n: int, sentences: list[str], seed: int = 0) -> list[Path]:
    """`n` article files `synthetic_00000.txt`... in `folder`; the same arguments give identical files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"synthetic_{i:05d}.txt"
        path.write_text(article(rng, sentences), encoding="utf-8")
        paths.append(path)
    return paths


def scale_doc(
    rng: random.Random, sentences: list[str], index: int, n_chunks: int = 10, per_chunk: int = 3
) -> ScaleDoc:
    """A document of `n_chunks` non-overlapping chunks of `per_chunk` varied sentences each."""
    title = headline(rng)
    text = f"{title}\n\n"
    chunks: list[Chunk] = []
    doc_id = f"scale_{index:07d}"
    for _ in range(n_chunks):
        spans: list[tuple[int, int]] = []
        for _ in range(per_chunk):
            sentence = " ".join(vary(rng.choice(sentences), rng).split())
            if spans:
                text += " "
            spans.append((len(text), len(text) + len(sentence)))
            text += sentence
        chunks.append(
            Chunk(doc_id, spans[0][0], spans[-1][1], tuple(spans), " ".join(text[s:e] for s, e in spans))
        )
        text += " "
    return ScaleDoc(doc_id, title, date(rng).replace(" ", "T"), text.rstrip() + "\n", chunks)
