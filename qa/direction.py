"""Does a model sentence turn round who did what to whom in the sentences it cites?

"Russia supplied drones to Iran" uses every word of "Iran supplied drones to Russia", so the lexical
support check (`verify.py`) passes it; it is the error tiny models make most in news about conflicts.
Both sides are read with the relation extractor that builds the edges at ingest
(`vectorstore/relations.py`: the dependency parse, passive and "receive" turned round, names
normalised), and a sentence is reversed when its source states the same relation between the same
two parties the other way round and never its way. Our own code: no library compares who-did-what
across two texts. Deliberately not here: relations the extractor does not know (it then says
nothing), and any judgement beyond direction (the support check does the rest).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from vectorstore.edge import Edge
from vectorstore.relations import Article, extract_many

if TYPE_CHECKING:
    from spacy.language import Language


def reversed_claim(sentence: str, sources: Sequence[str], nlp: Language) -> Edge | None:
    """The sentence's edge that its sources state only the other way round, or None."""
    claimed = _edges([sentence], nlp)
    if not claimed:
        return None
    stated = {(e.relation, e.subject, e.object) for e in _edges(sources, nlp)}
    for edge in claimed:
        if not edge.subject or edge.subject == edge.object:
            continue
        turned = (edge.relation, edge.object, edge.subject)
        if turned in stated and (edge.relation, edge.subject, edge.object) not in stated:
            return edge
    return None


def _edges(texts: Sequence[str], nlp: Language) -> list[Edge]:
    return extract_many([Article(f"#{n}", t, [(0, len(t))]) for n, t in enumerate(texts)], nlp)
