"""Fast tier (real spaCy pipeline): the verifier probe on two seed articles, as regression guards."""

from __future__ import annotations

from pathlib import Path

from eval.verifier_probe import KINDS, table
from vectorstore.nlp import pipeline

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_probe_keeps_every_faithful_sentence_and_drops_the_errors_it_measures() -> None:
    rows = table(sorted(SEEDS.glob("00[01]_*.txt")), pipeline())
    assert set(rows) == set(KINDS)
    made, kept = rows["faithful"]
    assert made >= 30 and kept == made  # no false rejection of a sentence quoted word for word
    for kind in ("number", "negation", "negation dropped", "quotation", "degree"):
        assert rows[kind][1] == 0, kind  # every one dropped (measured on all five seeds too)
    made, kept = rows["chimera"]
    assert made >= 30 and kept <= made // 5  # two articles' halves: most dropped (all passed before)
