"""Real tier: the CI slice of the realistic suites, gated (`qa eval --suite ci-slice --gate`).

The seeds among 300 real articles and every 5th seed question, bundled model, cached index: the
full suites (`make eval`) take half an hour, this slice a couple of minutes. Skipped with a reason
when the realistic corpus is not beside the project.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eval.suites import SLICE_ARTICLES, SLICE_QUESTIONS
from qa.cli import main

pytestmark = [
    pytest.mark.real,
    pytest.mark.skipif(
        not (Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc").is_dir(),
        reason="../shared/corpus not present: the realistic suites need it (set QA_CORPUS_DIR for another copy)",
    ),
]


@pytest.fixture(scope="module")
def slice_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    data, out = tmp_path_factory.mktemp("data"), tmp_path_factory.mktemp("eval") / "run"
    args = ["eval", "--suite", "ci-slice", "--gate", "--out", str(out)]
    result = CliRunner().invoke(main, args, env={"QA_DATA_DIR": str(data)})
    return data, out, result


def test_the_slice_passes_its_gate(slice_run: tuple[Path, Path, Any]) -> None:
    _, out, result = slice_run
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "ci-slice" / "ours" / "summary.json").read_text())
    assert summary["n"] == SLICE_QUESTIONS and summary["citation_validity"] == 1.0
    assert "ci-slice · ours" in (out / "suites.md").read_text()


def test_a_rerun_reuses_the_cached_index(slice_run: tuple[Path, Path, Any], tmp_path: Path) -> None:
    data, _, first = slice_run
    assert "indexing 305 files" in first.output  # the seeds and SLICE_ARTICLES distractors
    assert SLICE_ARTICLES == 300
    args = ["eval", "--suite", "ci-slice", "--limit", "1", "--out", str(tmp_path / "again")]
    result = CliRunner().invoke(main, args, env={"QA_DATA_DIR": str(data), "QA_ANSWER_MODE": "extractive"})
    assert result.exit_code == 0, result.output
    assert "reusing the index" in result.output and "indexing 305" not in result.output
