"""Shared fixtures: a no-egress guard, the seeds ingested into a real Chroma, and a scripted LLM."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
for name in [k for k in os.environ if k.startswith("QA_")]:
    del os.environ[name]  # tests never depend on the developer's own settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            ok = ipaddress.ip_address(host).is_loopback
        except ValueError:
            ok = host == "localhost"
        if not ok:
            raise ConnectionRefusedError(f"test suite blocks network egress to {host!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def no_egress() -> Iterator[None]:
    """Any attempt to open a non-loopback connection fails the test that makes it."""
    socket.socket.connect = _loopback_only  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from qa.settings import load_settings

    return load_settings(data_dir=tmp_path_factory.mktemp("data"), seeds_dir=SEEDS)


@pytest.fixture(scope="session")
def seed_store(seed_settings: Any) -> Any:
    """The five seeds ingested once into an embedded Chroma with the real embedder."""
    from qa import wiring

    store = wiring.store(seed_settings)
    wiring.ingest(seed_settings, [SEEDS], chunk_store=store)
    return store


def scripted_llm(reply: str) -> Any:
    """The `scripted` backend: streams a canned reply, records the prompts it got (`.prompts`)."""
    from qa.llm import scripted

    return scripted(reply)


@pytest.fixture
def scripted(seed_settings: Any, seed_store: Any) -> Any:
    """Build an answerer over the seeds whose model says exactly `reply`."""
    from qa import wiring

    def build(reply: str, **overrides: Any) -> Any:
        # the model's path: who-did-what-to-whom questions would otherwise be answered from the edges
        settings = seed_settings.model_copy(
            update={"answer_mode": "generative", "relations": False, **overrides}
        )
        return wiring.answerer(settings, seed_store, llm=scripted_llm(reply))

    return build
