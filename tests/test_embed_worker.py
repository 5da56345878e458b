"""The embedder in a child process (used by one-shot `qa ask`): same vectors, failures said in words."""

from __future__ import annotations

import subprocess
import sys

import pytest

from qa.errors import ModelError
from vectorstore.embed_client import ChildEmbedder
from vectorstore.embed_worker import spawn


def _child(code: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def test_a_child_that_died_is_a_model_error_not_a_hang() -> None:
    embedder = ChildEmbedder(_child("import sys; sys.exit(3)"))
    with pytest.raises(ModelError, match=r"embedding process stopped \(exit code 3\)"):
        embedder.get_query_embedding("Who sanctioned whom?")
    embedder.close()


def test_an_error_reply_reaches_the_user_with_its_hint() -> None:
    reply = '{"error": "The embedding model package is not installed.", "hint": "Run make install."}'
    embedder = ChildEmbedder(_child(f"import sys; sys.stdin.readline(); print({reply!r}, flush=True)"))
    with pytest.raises(ModelError) as caught:
        embedder.get_text_embedding_batch(["a sentence"])
    assert (
        caught.value.message.startswith("The embedding model package")
        and caught.value.hint == "Run make install."
    )
    embedder.close()


@pytest.mark.real
def test_child_vectors_match_the_in_process_embedder() -> None:
    from vectorstore.embedding import load_embedder

    texts = [
        "The EU imposed sanctions on Iranian officials.",
        "Russia's drone attacks used Iranian-made UAVs.",
        "Short.",
    ]
    local = load_embedder(64)
    child = ChildEmbedder(spawn(64), 64)
    try:
        pairs = [
            (
                child.get_query_embedding("Who sanctioned whom?"),
                local.get_query_embedding("Who sanctioned whom?"),
            )
        ]
        pairs += list(
            zip(child.get_text_embedding_batch(texts), local.get_text_embedding_batch(texts), strict=True)
        )
    finally:
        child.close()
    for ours, theirs in pairs:
        assert len(ours) == len(theirs) == 384
        assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 1e-6


def test_a_reply_cut_off_mid_line_is_a_model_error() -> None:
    embedder = ChildEmbedder(
        _child("import sys; sys.stdin.readline(); sys.stdout.write('{\"vectors\": [[0.1, '); sys.exit(1)")
    )
    with pytest.raises(ModelError, match="broken reply"):
        embedder.get_query_embedding("Who sanctioned whom?")
    embedder.close()
