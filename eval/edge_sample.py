"""A fixed random sample of relation edges from a suite's index, for labelling by hand, and its precision.

`python -m eval.edge_sample draw --suite realworld --n 50 --out FILE` writes the sample (one JSON line
per edge: relation, subject, object, hedge, doc id and the sentence's span, with `"correct": null`;
the sentence itself is printed for the labeller but never written: the corpus is not ours to copy),
leaving out the documents the extractor's rules were written on (`TUNED_ON`, the seeds, and the
documents of a first sample listed in `edge_tuned_docs.txt`), so the precision it gives is on edges no
rule was fitted to. A person then sets `"correct"` to true or false on each line (and
may add a `"note"`); `python -m eval.edge_sample score FILE` prints the precision overall and per
relation. Our own code: the labels are the product's evidence that its edges can be trusted.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

from vectorstore.edge import MAIN_RELATIONS, Edge

# The first 60 ukrwar/ and first 100 bbc/ files (sorted by name) were read while writing the rules,
# then a first sample of 50 edges (its documents listed in TUNED_DOCS); the seeds are the gold file's.
TUNED_ON = {"ukrwar": 60, "bbc": 100}
TUNED_DOCS = Path(__file__).parent / "edge_tuned_docs.txt"
LABELS = Path(__file__).parent / "edge_labels_realworld.jsonl"


def tuned_doc_ids(corpus_dir: Path, seeds_dir: Path) -> set[str]:
    out = {p.stem for p in seeds_dir.glob("*")}
    for folder, n in TUNED_ON.items():
        out |= {p.stem for p in sorted((corpus_dir / folder).glob("*"))[:n]}
    listed = TUNED_DOCS.read_text(encoding="utf-8").splitlines()
    return out | {line.strip() for line in listed if line.strip() and not line.startswith("#")}


def draw(edges: list[Edge], n: int, seed: int, exclude: set[str]) -> list[dict[str, Any]]:
    """`n` edges picked at random (fixed seed) from documents not in `exclude`, as lines to label."""
    pool = sorted((e for e in edges if e.doc_id not in exclude), key=lambda e: e.id)
    picked = random.Random(seed).sample(pool, min(n, len(pool)))
    return [
        {
            "id": e.id,
            "relation": e.relation,
            "subject": e.subject,
            "object": e.object,
            "item": e.item,
            "hedge": e.hedge,
            "doc_id": e.doc_id,
            "start": e.start,
            "end": e.end,
            "correct": None,
        }
        for e in picked
    ]


def precision(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Share of labelled edges marked correct, overall and per relation (unlabelled lines are skipped)."""
    labelled = [r for r in rows if isinstance(r.get("correct"), bool)]
    by: dict[str, Counter[bool]] = {}
    for r in labelled:
        by.setdefault(r["relation"], Counter())[r["correct"]] += 1
    total = Counter(r["correct"] for r in labelled)
    main = [r for r in labelled if r["relation"] in MAIN_RELATIONS]
    return {
        "labelled": len(labelled),
        "correct": total[True],
        "precision": round(total[True] / len(labelled), 3) if labelled else None,
        "main_relations": {
            "n": len(main),
            "precision": round(sum(r["correct"] for r in main) / len(main), 3) if main else None,
        },
        "by_relation": {
            rel: {"n": c[True] + c[False], "precision": round(c[True] / (c[True] + c[False]), 3)}
            for rel, c in sorted(by.items())
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.edge_sample", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draw", help="write a sample of edges to label")
    d.add_argument("--suite", default="realworld")
    d.add_argument("--n", type=int, default=50)
    d.add_argument("--seed", type=int, default=11)
    d.add_argument("--out", type=Path, default=LABELS)
    s = sub.add_parser("score", help="precision of a labelled sample")
    s.add_argument("file", type=Path, nargs="?", default=LABELS)
    args = parser.parse_args(argv)
    if args.command == "score":
        rows = [
            json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
        print(json.dumps(precision(rows), indent=1))
        return 0
    from eval.suites import SUITES, prepare
    from qa import wiring
    from qa.settings import load_settings

    settings = load_settings()
    local = prepare(SUITES[args.suite], settings)
    edges = wiring.store(local).all_edges()
    rows = draw(edges, args.n, args.seed, tuned_doc_ids(settings.corpus_dir, settings.seeds_dir))
    quotes = {e.id: e.quote for e in edges}
    for i, r in enumerate(rows, 1):
        hedge = f" [{r['hedge']}]" if r["hedge"] else ""
        print(
            f"{i:>2}. {r['subject'] or '(unnamed)'} —{r['relation']}→ {r['object']}{hedge}\n    {quotes[r['id']]}"
        )
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f'{len(rows)} of {len(edges)} edges written to {args.out}; label each line\'s "correct".')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
