"""What each answerability rule is worth: every suite answered with all rules on, then with each rule
switched off (and with the opt-in key-term threshold switched on), side by side.

Answers are extractive (no model), so the rows differ only by the rules and the whole table takes a
few minutes on the cached suite indexes. A rule whose row is no worse without it does not pay its
way. Run: `python -m eval.ablation [--suite all] [--out eval/reports/ablation.md]`. Deliberately not
here: the rules themselves (`qa/passages.py`) and the model-backed suite run (`qa eval --suite`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from eval.run import run_suites
from eval.suites import resolve
from qa.passages import RULES
from qa.settings import load_settings

METRICS = ("answer_correct", "abstain_correct", "false_abstain", "source_precision", "token_f1")
TERMS_THRESHOLD = 0.3  # the threshold the key-term rule had before the ablation switched it off
DEFAULT_OUT = Path("eval/reports/ablation.md")


def variants() -> dict[str, dict[str, Any]]:
    """Row name -> settings overrides."""
    rows: dict[str, dict[str, Any]] = {"all rules (default)": {}}
    for rule in RULES:
        if rule == "terms":
            rows[f"+ terms ≥ {TERMS_THRESHOLD}"] = {"min_key_coverage": TERMS_THRESHOLD}
        elif rule == "role":
            rows["+ strict roles"] = {"strict_roles": True}  # opt-in (QA_STRICT_ROLES)
        else:
            rows[f"− {rule}"] = {"rules_off": {rule}}
    rows["− parts"] = {"rules_off": {"parts"}}  # two-part questions judged as one (qa/parts.py)
    rows["− neighbour"] = {"rules_off": {"neighbour"}}  # an untyped answer quotes its best sentence alone
    return rows


def ablate(settings: Any, suites: tuple[str, ...], work: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """row -> suite -> summary.json of that run."""
    names = tuple(s.name for s in resolve(suites))
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for i, (row, overrides) in enumerate(variants().items()):
        local = settings.model_copy(update={"answer_mode": "extractive", "llm_backend": "none", **overrides})
        run_dir = work / f"v{i}"
        run_suites(local, names, run_dir, "ours", False, None, echo=lambda _: None)
        out[row] = {n: json.loads((run_dir / n / "ours" / "summary.json").read_text()) for n in names}
        print(f"{row}: done", flush=True)
    return out


def table(results: dict[str, dict[str, dict[str, Any]]], split: str | None) -> str:
    """A markdown table: one row per variant, `metric (Δ vs default)` per suite and metric."""
    suites = list(next(iter(results.values())))
    head = ["variant"] + [f"{s} {m}" for s in suites for m in METRICS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    base = next(iter(results.values()))
    for row, by_suite in results.items():
        cells = [row]
        for s in suites:
            for m in METRICS:
                value, ref = _metric(by_suite[s], split, m), _metric(base[s], split, m)
                delta = "" if row == next(iter(results)) else f" ({value - ref:+.3f})"
                cells.append(f"{value:.3f}{delta}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _metric(summary: dict[str, Any], split: str | None, metric: str) -> float:
    part = summary["by_split"][split] if split else summary
    return float(part.get(metric) or 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", action="append", default=None, help="suite name (repeatable; default all)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--work", type=Path, default=Path("eval/runs/ablation"))
    args = parser.parse_args()
    results = ablate(load_settings(), tuple(args.suite or ["all"]), args.work)
    text = (
        "# Rule ablations (extractive answers, no model)\n\n"
        "Each row switches one answerability rule of `qa/passages.py` off (`QA_RULES_OFF`), or the "
        "opt-in key-term threshold on (`QA_MIN_KEY_COVERAGE`); Δ is against the default.\n\n"
        "## Held-out report split\n\n" + table(results, "report") + "\n\n"
        "## All items\n\n" + table(results, None) + "\n"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"Ablation report: {args.out}")


if __name__ == "__main__":
    main()
