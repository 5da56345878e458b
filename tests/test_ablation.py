"""The ablation report: one row per rule, deltas against the default (summaries made up here; the real
runs are `python -m eval.ablation`)."""

from __future__ import annotations

from eval.ablation import METRICS, table, variants
from qa.passages import RULES


def test_every_rule_has_a_row() -> None:
    rows = variants()
    assert len(rows) == len(RULES) + 3 and rows["all rules (default)"] == {}  # + "− parts", "− neighbour"
    assert rows["− parts"] == {"rules_off": {"parts"}}
    assert rows["− neighbour"] == {"rules_off": {"neighbour"}}
    assert all(any(rule in name for name in rows) for rule in RULES)


def test_table_shows_deltas_against_the_default() -> None:
    def summary(correct: float) -> dict[str, object]:
        part = {m: 0.5 for m in METRICS} | {"answer_correct": correct}
        return part | {"by_split": {"report": part}}

    results = {"all rules (default)": {"seeds": summary(0.7)}, "− dates": {"seeds": summary(0.6)}}
    text = table(results, "report")
    assert "| all rules (default) | 0.700 |" in text
    assert "0.600 (-0.100)" in text
