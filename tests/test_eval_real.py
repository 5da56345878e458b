"""A small real `qa eval`: the first gold items, the bundled model, ours and the peer side by side.

The full run (97 items) is documented in the README, not part of every test run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from qa.cli import main

pytestmark = pytest.mark.real
SUMMARY_KEYS = {
    "n", "answer_correct", "token_f1", "retrieval_hit_at_k", "retrieval_mrr", "citation_validity",
    "citation_recall", "citation_precision", "source_precision", "source_recall", "abstain_correct",
    "false_abstain", "latency_ms_p50", "latency_ms_p95", "first_token_ms_p50", "manifest",
}  # fmt: skip
FAILURES = {
    None, "retrieval miss", "generation miss", "unsupported claim", "bad citation", "wrong refusal",
    "answered the unanswerable",
}  # fmt: skip


@pytest.fixture(scope="module")
def small_run(seed_settings: Any, seed_store: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("eval") / "run"
    env = {"QA_DATA_DIR": str(seed_settings.data_dir)}
    result = CliRunner().invoke(
        main, ["eval", "--system", "both", "--limit", "3", "--out", str(out)], env=env
    )
    assert result.exit_code == 0, result.output
    assert "answer_correct" in result.output and "report.html" in result.output
    return out


def test_outputs_exist_and_are_well_formed(small_run: Path) -> None:
    for system in ("ours", "peer"):
        rows = [json.loads(line) for line in (small_run / system / "results.jsonl").read_text().splitlines()]
        assert [r["id"] for r in rows] == ["q001", "q002", "q003"]
        for row in rows:
            assert set(row) == {"id", "gold", "response", "scores", "failure"} and row["failure"] in FAILURES
            assert {"answer", "citations", "mode", "timings_ms", "model"} <= set(row["response"])
        summary = json.loads((small_run / system / "summary.json").read_text())
        assert set(summary) >= SUMMARY_KEYS and summary["n"] == 3
        for key in SUMMARY_KEYS - {"n", "manifest", "latency_ms_p50", "latency_ms_p95", "first_token_ms_p50"}:
            assert summary[key] is None or 0.0 <= summary[key] <= 1.0, key
        manifest = summary["manifest"]
        assert len(manifest["model_sha256"]) == 64 and manifest["top_k"] == 5 and manifest["git_commit"]
    ours = json.loads((small_run / "ours" / "summary.json").read_text())
    assert ours["citation_validity"] == 1.0  # every quote equals the document at its span
    report = (small_run / "report.html").read_text()
    assert "data:image/png;base64," in report and "peer" in report and (small_run / "report.md").is_file()


def test_the_gate_fails_a_run_worse_than_its_baseline(
    small_run: Path, seed_settings: Any, tmp_path: Path
) -> None:
    better = json.loads((small_run / "ours" / "summary.json").read_text())
    better["latency_ms_p50"] = 1.0  # a baseline 1 ms fast: any real run is a latency regression
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(better))
    env = {"QA_DATA_DIR": str(seed_settings.data_dir), "QA_ANSWER_MODE": "extractive"}
    args = ["eval", "--limit", "3", "--out", str(tmp_path / "out"), "--baseline", str(baseline)]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 1 and "latency_ms_p50" in result.output, result.output
