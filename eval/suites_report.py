"""The suites side by side: one Markdown table (and its JSON) over every suite and system of a run.

Columns are `<suite> · <system>`, then what the distractors cost: `seeds+distractors` minus `seeds`
for each system. A second table repeats the headline metrics on the held-out `report` split of each
gold file (the part no rule was tuned on). Deliberately not done here: running or gating.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eval.report import SUMMARY_KEYS, fmt, md_table

Summaries = Mapping[str, Mapping[str, Mapping[str, Any]]]  # suite -> system -> summary.json
DELTAS = (("seeds+distractors", "seeds"),)  # (with distractors, without): what the distractors cost
SPLIT = "report"


def columns(summaries: Summaries) -> list[tuple[str, str]]:
    return [(suite, system) for suite, by_system in summaries.items() for system in by_system]


def delta(a: Any, b: Any) -> str:
    if not isinstance(a, int | float) or not isinstance(b, int | float):
        return "–"
    diff = a - b
    return f"{diff:+.0f}" if abs(a) > 1 or abs(b) > 1 else f"{diff:+.3f}"


def table(summaries: Summaries, split: str | None = None) -> tuple[list[str], list[list[str]]]:
    """Rows of metrics; with `split`, each summary's `by_split[split]` (suites without one are left out)."""

    def pick(summary: Mapping[str, Any]) -> Mapping[str, Any] | None:
        return summary if split is None else (summary.get("by_split") or {}).get(split)

    cols = [(s, y) for s, y in columns(summaries) if pick(summaries[s][y]) is not None]
    deltas = [
        (with_, without, system)
        for with_, without in DELTAS
        for system in summaries.get(with_, {})
        if system in summaries.get(without, {})
        and pick(summaries[with_][system]) is not None
        and pick(summaries[without][system]) is not None
    ]
    head = ["metric", *(f"{s} · {y}" for s, y in cols), *(f"Δ distractors · {y}" for _, _, y in deltas)]
    rows = []
    for key in SUMMARY_KEYS:
        cells = [fmt((pick(summaries[s][y]) or {}).get(key)) for s, y in cols]
        cells += [
            delta((pick(summaries[w][y]) or {}).get(key), (pick(summaries[o][y]) or {}).get(key))
            for w, o, y in deltas
        ]
        rows.append([key, *cells])
    return head, rows


def render(summaries: Summaries) -> str:
    parts = [
        "# Eval suites",
        "",
        "All items of each suite's gold file:",
        "",
        md_table(*table(summaries)),
        f"Held-out `{SPLIT}` split only (fixed split, committed; rules are tuned on `tune` only from here on; `gold.jsonl` rules written before the split saw all of it):",
        "",
        md_table(*table(summaries, SPLIT)),
    ]
    return "\n".join(parts)


def write_suites_report(out_dir: Path, summaries: Summaries) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    md, data = out_dir / "suites.md", out_dir / "suites.json"
    md.write_text(render(summaries), encoding="utf-8")
    data.write_text(json.dumps(summaries, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return {"markdown": md, "json": data}
