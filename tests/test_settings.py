"""Fast tier: the one settings object and its validation messages."""

from __future__ import annotations

import pytest

from qa.errors import InputError
from qa.settings import Settings, load_settings


def test_defaults_are_offline_and_local() -> None:
    s = load_settings()
    assert s.host == "127.0.0.1" and s.chroma_url is None and s.llm_backend == "llamacpp"
    assert s.data_dir.name == ".data"


def test_every_field_is_documented() -> None:
    assert all(f.description for f in Settings.model_fields.values())


def test_env_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_TOP_K", "7")
    monkeypatch.setenv("QA_CHROMA_URL", "http://127.0.0.1:8123/")
    s = load_settings()
    assert s.top_k == 7 and s.chroma_url == "http://127.0.0.1:8123"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("QA_TOP_K", "abc"),
        ("QA_TOP_K", "0"),
        ("QA_CHROMA_URL", "localhost:8000"),
        ("QA_LLM_BACKEND", "gpt"),
        ("QA_AUTH", "nopassword"),
        ("QA_PORT", "70000"),
    ],
)
def test_bad_values_name_the_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(InputError) as err:
        load_settings()
    assert name in str(err.value)


def test_a_list_setting_that_is_not_json_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_RULES_OFF", "dates")
    with pytest.raises(InputError, match="QA_RULES_OFF is not valid JSON"):
        load_settings()
    monkeypatch.setenv("QA_RULES_OFF", '["dates"]')
    assert load_settings().rules_off == {"dates"}
