"""Precision and recall of extracted relation edges against a hand-checked gold file.

A gold line names one edge a careful reader finds: `doc_id`, `relation`, `subject` (a normalised key,
"" when the sentence names no actor), `object` (a key or phrase; alternatives split by "|") and
`sentence`, a snippet of the sentence it rests on. An extracted edge matches a gold edge when document,
relation and subject are equal, the object is equal or one contains the other as whole words
("59 of the 116 Iranian Shahed drones" matches "drones"), and its quote contains the snippet. Each gold
edge is matched at most once. Only the four main relations are scored, on the gold file's documents.
Our own code: no library scores relation triples against quoted sentences.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import InputError
from vectorstore.edge import MAIN_RELATIONS, RELATIONS, Edge

FIELDS = ("doc_id", "relation", "subject", "object", "sentence")


@dataclass(frozen=True)
class GoldEdge:
    doc_id: str
    relation: str
    subject: str
    objects: tuple[str, ...]
    sentence: str
    note: str = ""


def load_gold_edges(path: Path) -> list[GoldEdge]:
    """The gold file, every line checked; a bad line is an InputError naming file and line."""
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"Cannot read the gold edges file {path} ({exc}).", "Check the path.") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{n} is not JSON ({exc.msg}).", "Fix or remove the line.") from None
        missing = [f for f in FIELDS if not isinstance(row.get(f), str)] if isinstance(row, dict) else FIELDS
        if missing:
            raise InputError(f"{path}:{n} lacks the text field(s) {', '.join(missing)}.", "Fix the line.")
        if row["relation"] not in RELATIONS:
            raise InputError(
                f"{path}:{n}: unknown relation '{row['relation']}'.", f"Use one of {', '.join(RELATIONS)}."
            )
        objects = tuple(o.strip() for o in row["object"].split("|") if o.strip())
        out.append(
            GoldEdge(
                row["doc_id"],
                row["relation"],
                row["subject"],
                objects,
                row["sentence"],
                str(row.get("note", "")),
            )
        )
    return out


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def object_matches(got: str, wanted: str) -> bool:
    a, b = _words(got), _words(wanted)
    return a == b or (a.strip() != "" and b.strip() != "" and (a in b or b in a))


def matches(edge: Edge, gold: GoldEdge) -> bool:
    return (
        edge.doc_id == gold.doc_id
        and edge.relation == gold.relation
        and edge.subject == gold.subject
        and gold.sentence in edge.quote
        and any(object_matches(edge.object, o) for o in gold.objects)
    )


def score(edges: Iterable[Edge], gold: Sequence[GoldEdge]) -> dict[str, Any]:
    """Precision, recall and F1 per main relation and overall, with the misses and the false edges."""
    docs = {g.doc_id for g in gold}
    predicted = [e for e in edges if e.relation in MAIN_RELATIONS and e.doc_id in docs]
    used: set[int] = set()
    false: list[Edge] = []
    hits: list[tuple[Edge, GoldEdge]] = []
    for edge in predicted:
        found = next((i for i, g in enumerate(gold) if i not in used and matches(edge, g)), None)
        if found is None:
            # a second extraction of an already-matched fact (same sentence, same triple) is not false
            if not any(matches(edge, gold[i]) for i in used):
                false.append(edge)
            continue
        used.add(found)
        hits.append((edge, gold[found]))
    rows = {}
    for relation in (*MAIN_RELATIONS, "all"):
        keep = (lambda r: True) if relation == "all" else (lambda r, rel=relation: r == rel)
        n_gold = sum(keep(g.relation) for g in gold)
        n_hit = sum(keep(g.relation) for _, g in hits)
        n_false = sum(keep(e.relation) for e in false)
        precision = n_hit / (n_hit + n_false) if n_hit + n_false else None
        recall = n_hit / n_gold if n_gold else None
        rows[relation] = {
            "gold": n_gold,
            "matched": n_hit,
            "false": n_false,
            "precision": _round(precision),
            "recall": _round(recall),
            "f1": _round(_f1(precision, recall)),
        }
    return {
        "by_relation": rows,
        "missed": [g.__dict__ for i, g in enumerate(gold) if i not in used],
        "false": [_brief(e) for e in false],
    }


GOLD_EDGES = Path(__file__).parent / "gold_edges.jsonl"


def edge_summary(edges: Iterable[Edge], doc_ids: set[str], gold_path: Path = GOLD_EDGES) -> dict[str, Any]:
    """`edge_precision` / `edge_recall` (four main relations) for a run's summary, when the index holds
    every document the gold file covers (else nothing: the gold cannot be judged)."""
    gold = load_gold_edges(gold_path)
    if not gold or not {g.doc_id for g in gold} <= doc_ids:
        return {}
    overall = score(edges, gold)["by_relation"]["all"]
    return {"edge_precision": overall["precision"], "edge_recall": overall["recall"]}


def _f1(p: float | None, r: float | None) -> float | None:
    return 2 * p * r / (p + r) if p and r else None


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def _brief(edge: Edge) -> dict[str, str]:
    return {
        "doc_id": edge.doc_id,
        "relation": edge.relation,
        "subject": edge.subject,
        "object": edge.object,
        "quote": edge.quote[:160],
    }
