"""The bundled embedder in a child process, so a one-shot command overlaps its slowest import with the rest.

On 2 cores a cold `qa ask` spent ~5 s of ~8.5 s importing sentence-transformers (torch,
transformers, scikit-learn), single-threaded, before it could embed the question. Started first, this
child does that import on the other core while the parent opens Chroma, builds BM25 and loads the
GGUF. The child calls sentence-transformers with the settings `load_embedder` uses, so vectors are
the very same floats (a test compares them). Long-running processes
(UI, chat, eval) load the embedder in-process instead: this is only worth it when start-up is most of
the work.

This module (standard library only, so spawning costs nothing) starts the child and is the child;
`embed_client.ChildEmbedder` is the parent's llama-index side. Protocol: one JSON line per request
on stdin (`{"texts": [...]}`; this model embeds queries and passages alike), one per reply on
stdout (`{"vectors": [...]}` or `{"error": ..., "hint": ...}`); the end of stdin ends the child.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import IO

from vectorstore.errors import QAError


def spawn(batch_size: int) -> subprocess.Popen[str]:
    """Start the child; it loads the embedder at once and then waits for requests."""
    return subprocess.Popen(
        [sys.executable, "-m", "vectorstore.embed_worker", str(batch_size)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )


def _load(batch_size: int) -> Callable[[list[str]], list[list[float]]]:
    """sentence-transformers directly (not through llama-index: ~1 s less to import), with the
    settings `embedding.load_embedder` gives it; the test suite checks the vectors are identical."""
    from sentence_transformers import SentenceTransformer

    from vectorstore.embedding import embedder_path

    model = SentenceTransformer(embedder_path(), device="cpu")

    def encode(texts: list[str]) -> list[list[float]]:
        vectors = model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return vectors.tolist()

    return encode


def _serve(batch_size: int, requests: IO[str], replies: IO[str]) -> None:
    """The child's loop: load the model once, then answer requests until stdin ends."""
    error: dict[str, str] | None = None
    try:
        encode = _load(batch_size)
    except QAError as exc:
        error = {"error": exc.message, "hint": exc.hint}
    except Exception as exc:  # a broken install: say what failed instead of dying silently
        error = {
            "error": f"The embedder failed to load ({type(exc).__name__}: {exc}).",
            "hint": "Reinstall with `make install`.",
        }
    for line in requests:
        texts = json.loads(line)["texts"]
        reply: dict[str, object] = dict(error) if error else {"vectors": encode(texts)}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    # Replies go to a private copy of stdout; anything a library prints lands on stderr instead.
    replies = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    _serve(int(sys.argv[1]) if len(sys.argv) > 1 else 64, sys.stdin, replies)
