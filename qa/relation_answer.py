"""A who-did-what-to-whom answer from relation groups: one line per group, each citing its sentences.

A line is written from the sentence's own words (the actor and the target as the article names them,
what was supplied, a hedge when the article only alleges or plans it) and then checked by the same
support check as any model sentence (`verify.support`) against each sentence it would cite: only
sentences that support the line are cited, and a line no sentence supports is left out. Deliberately
not here: reading the question or grouping edges (`relations.py`), numbering and rendering (`engine`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.relations import PAST, Group
from qa.verify import Support, support
from vectorstore.aliases import state_of_adjective
from vectorstore.edge import Edge
from vectorstore.passage import Passage

PER_LINE = 3  # sentences cited per line at most (from distinct articles first)
ALLEGED = "Allegedly, "  # our framing of a hedged group, not a claim any sentence must contain
PLANNED = "Planned or considered: "
# The relation's own verb in a line: PAST, with one verb where a table names two.
_PAST = {**PAST, "condemn": "condemned", "kill": "killed"}
# Past forms as articles write them that can stand in the line for the relation's own verb.
_WRITTEN = {
    "sold",
    "sent",
    "delivered",
    "transferred",
    "provided",
    "shipped",
    "exported",
    "hit",
    "struck",
    "shot",
    "shelled",
    "bombed",
    "pounded",
    "targeted",
    "launched",
    "built",
    "manufactured",
    "warned",
    "injured",
    "wounded",
    "invaded",
    "downed",
}


@dataclass(frozen=True)
class Line:
    text: str  # without markers
    passages: list[Passage]  # the sentences it cites, best first
    verdict: Support
    group: Group


def line_text(g: Group) -> str:
    """The group as a sentence in the article's words: "the EU sanctioned seven individuals and seven
    entities", "Iran supplied more than two thousand drones to Russia"."""
    first = next((e for e in g.edges if e.hedge == g.hedge), g.edges[0])
    verb = first.verb.lower() if first.verb.lower() in _WRITTEN else _PAST[g.relation]
    if verb == "shot":
        verb = "shot down"
    subject, obj = first.subject_text or g.subject, first.object_text or g.object
    if state_of_adjective(subject):  # "Russian attacks across Ukraine": Russia attacked
        subject = g.subject
    if not g.subject:  # news often leaves the imposer of sanctions unsaid
        return f"Sanctions on {obj}"
    if g.relation == "supply" and first.item and not _mentions(first.item, obj):
        body = f"{subject} {verb} {first.item} to {obj}"
    else:
        body = f"{subject} {verb} {obj}"
    if g.hedge == "alleged":
        return ALLEGED + body
    if g.hedge == "planned":
        return f"{PLANNED}{subject} to {g.relation} {obj}"
    return body[:1].upper() + body[1:]


def _claim(text: str) -> str:
    """The line without its hedge: what a sentence must support. "Planned or considered:" is ours, so
    checking it against the article's words dropped every short planned line."""
    for hedge in (ALLEGED, PLANNED):
        if text.startswith(hedge):
            return text[len(hedge) :]
    return text


def _mentions(item: str, obj: str) -> bool:
    return item.lower() in obj.lower()


def passage_of(edge: Edge) -> Passage:
    """An edge's sentence as the passage a citation shows."""
    return Passage(edge.doc_id, edge.start, edge.end, edge.quote, title=edge.title, date=edge.doc_date)


def lines(groups: Sequence[Group], limit: int) -> list[Line]:
    """Up to `limit` verified lines, in the groups' order; each cites the sentences that support it."""
    out: list[Line] = []
    for g in groups:
        if len(out) >= limit:
            break
        text = line_text(g)
        claim = _claim(text)
        cited: list[tuple[Passage, Support]] = []
        # a stated line cites stated sentences only: "Moscow intends to invade Kyiv" does not back
        # "Russia pounded Kyiv" (the group is stated when any sentence states it)
        for edge in _spread([e for e in g.edges if e.hedge == g.hedge]):
            verdict = support(claim, edge.quote)
            if verdict.ok:
                cited.append((passage_of(edge), verdict))
            if len(cited) >= PER_LINE:
                break
        if cited:
            best = max((v for _, v in cited), key=lambda v: v.score)
            out.append(Line(text, [p for p, _ in cited], best, g))
    return out


def _spread(edges: Sequence[Edge]) -> list[Edge]:
    """One sentence per article first (so three citations are three sources), then the rest."""
    seen: set[str] = set()
    first: list[Edge] = []
    rest: list[Edge] = []
    for e in edges:
        (rest if e.doc_id in seen else first).append(e)
        seen.add(e.doc_id)
    return first + rest
