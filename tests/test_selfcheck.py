"""The install-time self-check: a llama.cpp built for the wrong CPU is reported, not left to crash tests."""

from __future__ import annotations

import pytest

from qa.selfcheck import FIX, probe


def test_a_process_killed_by_illegal_instruction_gets_the_rebuild_hint() -> None:
    code = "import os, signal; os.kill(os.getpid(), signal.SIGILL)"
    problem = probe("smollm2-135m", code=code)
    assert problem is not None and "SIGILL" in problem and FIX in problem


def test_a_load_error_is_reported_with_its_last_line() -> None:
    problem = probe("gemma3-270m", code="raise ValueError('no such tensor: blk.0')")
    assert problem is not None and "no such tensor: blk.0" in problem and FIX not in problem


def test_a_clean_exit_is_a_pass() -> None:
    assert probe("smollm2-135m", code="pass") is None


@pytest.mark.real
@pytest.mark.parametrize("preset", ["smollm2-135m", "gemma3-270m"])
def test_the_installed_llama_cpp_decodes_with_each_bundled_model(preset: str) -> None:
    assert probe(preset) is None


def test_the_installed_spacy_pipeline_parses() -> None:
    from qa.selfcheck import spacy_problem

    assert spacy_problem() is None


def test_a_missing_spacy_pipeline_is_an_actionable_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from vectorstore import nlp
    from vectorstore.errors import ModelError

    monkeypatch.setattr(nlp, "PACKAGE", "no_such_spacy_pipeline")
    with pytest.raises(ModelError, match="make install"):
        nlp.pipeline_path()
