"""How far the strict support checker (`eval.support`) agrees with hand labels.

`calibrate` runs `support_detail` on labelled (sentence, quote, supported) rows and reports agreement,
precision and recall of "supported", the confusion counts and every disagreement with its reasons.
Run: `python -m eval.support_calibration eval/support_labels.jsonl`. It changes no rule itself.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from eval.support import support_detail
from qa.errors import InputError


def calibrate(path: str | Path) -> dict[str, Any]:
    """Compare `supports` with hand labels: agreement, precision/recall of "supported", disagreements."""
    labels = _load_labels(Path(path))
    tp = fp = fn = tn = 0
    disagreements: list[dict[str, Any]] = []
    for row in labels:
        detail = support_detail(row["sentence"], row["quote"])
        label, predicted = row["supported"], detail.supported
        tp += label and predicted
        fp += predicted and not label
        fn += label and not predicted
        tn += not label and not predicted
        if label != predicted:
            disagreements.append(
                {
                    "id": row.get("id"),
                    "label": label,
                    "predicted": predicted,
                    "reasons": list(detail.reasons),
                    "sentence": row["sentence"],
                    "quote": row["quote"],
                    "note": row.get("note", ""),
                }
            )
    n = len(labels)
    return {
        "n": n,
        "agreement": round((tp + tn) / n, 4),
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
        "disagreements": disagreements,
    }


def _load_labels(path: Path) -> list[dict[str, Any]]:
    """Rows with string `sentence`/`quote` and boolean `supported`; all bad lines reported at once."""
    try:
        lines = path.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read support labels {path}: {exc}.", "Check the path.") from None
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{lineno}: bad JSON: {exc.msg}")
            continue
        ok = (
            isinstance(row, dict)
            and isinstance(row.get("sentence"), str)
            and isinstance(row.get("quote"), str)
        )
        if not ok or not isinstance(row.get("supported"), bool):
            problems.append(f"{path}:{lineno}: needs string 'sentence' and 'quote' and boolean 'supported'")
            continue
        rows.append(row)
    if problems or not rows:
        listed = "\n  ".join(problems[:10]) or "no labelled rows"
        raise InputError(f"Support labels {path} are unusable:\n  {listed}", "Fix the file and rerun.")
    return rows


if __name__ == "__main__":  # python -m eval.support_calibration eval/support_labels.jsonl
    path = sys.argv[1] if len(sys.argv) > 1 else "eval/support_labels.jsonl"
    print(json.dumps(calibrate(path), indent=1))
