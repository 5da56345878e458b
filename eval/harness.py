"""Run a system over the gold set and write results.jsonl, summary.json and the report.

Systems are plain callables `(question, history) -> response dict` in the `qa ask --json` schema,
built once (the model loads once). Scoring is `eval.metrics`, independent of the engine's own
checks. With a baseline summary, the run fails when a headline metric regresses past tolerance.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eval.gold import GoldItem
from eval.metrics import aggregate, classify_failure, score_item

System = Callable[[str, Sequence[dict[str, str]] | None], dict[str, Any]]


def run_system(
    system: System,
    gold: list[GoldItem],
    doc_texts: dict[str, str],
    progress: Callable[[int], None] | None = None,
) -> list[dict[str, Any]]:
    """One result row per gold item, in gold order."""
    rows = []
    for item in gold:
        response = system(item.question, item.messages())
        scores = score_item(item, response, doc_texts)
        rows.append(
            {
                "id": item.id,
                "gold": item.to_dict(),
                "response": response,
                "scores": scores,
                "failure": classify_failure(item, response, scores),
            }
        )
        if progress:
            progress(1)
    return rows


def write_run(
    out: Path,
    name: str,
    rows: list[dict[str, Any]],
    manifest: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """results.jsonl and summary.json for one system (in `out/<name>/`), with `extra` metrics measured
    outside the rows (relation edges); returns the summary."""
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "results.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    summary = {**aggregate(rows), **(extra or {}), "system": name, "manifest": manifest}
    splits = sorted({row["gold"].get("split", "") for row in rows} - {""})
    if splits:  # tuned rules are judged on the held part: report it on its own
        summary["by_split"] = {
            split: aggregate([r for r in rows if r["gold"].get("split") == split]) for split in splits
        }
    (folder / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return summary


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def manifest(**fields: Any) -> dict[str, Any]:
    return {"date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "git_commit": git_commit(), **fields}
