"""The one relation-edge type: who did what to whom, resting on one sentence of one document.

An edge is `(subject, relation, object)` with the normalised keys used for grouping ("US") and the
surface forms shown to readers ("the White House"), optional detail (what was supplied, how many,
when, where, why), how firmly the sentence states it (`hedge`), and its provenance: the document id,
the sentence span `[start, end)` and the exact quote at that span. It converts to and from the flat
metadata a Chroma record holds. It holds no extraction logic (`relations.py`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

RELATIONS = ("sanction", "supply", "attack", "produce", "accuse", "condemn", "meet", "kill")
MAIN_RELATIONS = ("sanction", "supply", "attack", "produce")  # the four the gold file scores
HEDGES = ("", "alleged", "planned")  # stated; reported as an accusation; intended, considered or feared


@dataclass(frozen=True)
class Edge:
    relation: str  # one of RELATIONS
    subject: str  # normalised key ("US"); "" when the sentence names no actor ("global sanctions on Tehran")
    object: (
        str  # normalised key for a name, the tidied phrase otherwise ("seven individuals and seven entities")
    )
    doc_id: str
    start: int  # the sentence span [start, end) in the document text
    end: int
    quote: str  # exactly the document text at [start, end)
    subject_text: str = ""  # as the sentence writes it
    object_text: str = ""
    verb: str = ""  # the trigger as written ("sold", "sanctions")
    item: str = ""  # what was supplied or produced, when the object is the recipient
    date: str = ""  # a date the sentence gives
    place: str = ""
    reason: str = ""  # "following Iran's missile and drone transfers to Russia"
    hedge: str = ""  # one of HEDGES
    doc_date: str = ""  # the article's date
    title: str = ""  # the article's headline

    @property
    def id(self) -> str:
        """Stable per (document, sentence, relation, subject, object): re-extraction rewrites, never duplicates."""
        raw = f"{self.doc_id}|{self.start}|{self.end}|{self.relation}|{self.subject}|{self.object}"
        return f"{self.doc_id}:e:{hashlib.sha1(raw.encode()).hexdigest()[:16]}"

    def metadata(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "quote"}


def edge_from(quote: str, meta: Mapping[str, Any]) -> Edge:
    """An edge from a stored record: its document text is the quote, its metadata the rest."""
    names = {f.name for f in fields(Edge)} - {"quote"}
    values = {k: meta[k] for k in names if k in meta}
    values["start"], values["end"] = int(values.get("start", 0)), int(values.get("end", 0))
    return Edge(quote=quote, **values)
