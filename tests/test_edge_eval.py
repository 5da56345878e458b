"""Edge metrics: gold-file validation, matching, precision/recall, the held-out sample and its score."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.edge_metrics import edge_summary, load_gold_edges, score
from eval.edge_sample import LABELS, draw, precision
from qa.errors import InputError
from vectorstore.edge import Edge

ROOT = Path(__file__).resolve().parent.parent
QUOTE = "Earlier this month, the EU sanctioned seven individuals and seven entities."


def _gold(tmp_path: Path, *rows: dict[str, str]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_committed_gold_edges_load() -> None:
    gold = load_gold_edges(ROOT / "eval" / "gold_edges.jsonl")
    assert len(gold) >= 50 and {g.relation for g in gold} >= {"sanction", "supply", "attack", "produce"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "is not JSON"),
        ('{"doc_id": "d"}', "lacks the text field"),
        (
            '{"doc_id": "d", "relation": "hug", "subject": "", "object": "x", "sentence": "s"}',
            "unknown relation",
        ),
    ],
)
def test_bad_gold_lines_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_gold_edges(path)


def test_precision_and_recall_count_matches_misses_and_false_edges(tmp_path: Path) -> None:
    path = _gold(
        tmp_path,
        {
            "doc_id": "d",
            "relation": "sanction",
            "subject": "EU",
            "object": "seven individuals",
            "sentence": "the EU sanctioned",
        },
        {"doc_id": "d", "relation": "supply", "subject": "Iran", "object": "Russia", "sentence": "sold"},
    )
    good = Edge("sanction", "EU", "seven individuals and seven entities", "d", 0, len(QUOTE), QUOTE)
    wrong = Edge("attack", "EU", "Iran", "d", 0, len(QUOTE), QUOTE)
    elsewhere = Edge("attack", "EU", "Iran", "other-doc", 0, len(QUOTE), QUOTE)  # not a gold document
    result = score([good, wrong, elsewhere], load_gold_edges(path))["by_relation"]["all"]
    assert (result["matched"], result["false"], result["gold"]) == (1, 1, 2)
    assert result["precision"] == 0.5 and result["recall"] == 0.5
    assert edge_summary([good], {"d"}, path) == {"edge_precision": 1.0, "edge_recall": 0.5}
    assert edge_summary([good], {"other-doc"}, path) == {}  # the index lacks the gold's documents


def test_the_sample_leaves_out_tuned_documents_and_is_reproducible() -> None:
    edges = [Edge("meet", "A", "B", f"doc{i}", 0, 5, "A met B") for i in range(30)]
    first = draw(edges, 10, seed=3, exclude={"doc1", "doc2"})
    assert first == draw(edges, 10, seed=3, exclude={"doc1", "doc2"})
    assert len(first) == 10 and not {r["doc_id"] for r in first} & {"doc1", "doc2"}
    assert all("quote" not in r for r in first)  # the corpus's sentences are never written


def test_precision_of_labels_and_the_committed_sample() -> None:
    rows = [
        {"relation": "sanction", "correct": True},
        {"relation": "meet", "correct": False},
        {"relation": "meet", "correct": None},  # not labelled yet
    ]
    got = precision(rows)
    assert got["labelled"] == 2 and got["precision"] == 0.5 and got["main_relations"]["precision"] == 1.0
    committed = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert committed and all(isinstance(r["correct"], bool) for r in committed)
    assert all("quote" not in r for r in committed)
