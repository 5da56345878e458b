"""The parent's side of `embed_worker`: a llama-index embedder that asks the child for its vectors.

Nothing is computed here; a child that stopped or failed to load the model becomes a `ModelError`.
"""

from __future__ import annotations

import json
import subprocess
import threading

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from vectorstore.embedding import EMBEDDER_NAME
from vectorstore.errors import ModelError


class ChildEmbedder(BaseEmbedding):
    """Embeddings from a child started by `embed_worker.spawn` (the same model, the same floats)."""

    _proc: subprocess.Popen[str] = PrivateAttr()
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, proc: subprocess.Popen[str], batch_size: int = 64) -> None:
        super().__init__(model_name=EMBEDDER_NAME, embed_batch_size=batch_size)
        self._proc = proc

    @classmethod
    def class_name(cls) -> str:
        return "ChildEmbedder"

    def _ask(self, texts: list[str]) -> list[list[float]]:
        with self._lock:  # one request on the pipe at a time (a server answers from several threads)
            return self._ask_locked(texts)

    def _ask_locked(self, texts: list[str]) -> list[list[float]]:
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps({"texts": texts}) + "\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
        except OSError:  # a broken pipe: the child is gone
            line = ""
        if not line:
            raise ModelError(
                f"The embedding process stopped (exit code {_exit_code(proc)}).",
                "Run the command again; if it persists, reinstall with `make install`.",
            )
        try:
            reply = json.loads(line)
        except json.JSONDecodeError:  # cut off mid-reply: the child died while answering
            reply = {"error": f"The embedding process sent a broken reply (exit code {_exit_code(proc)})."}
        if "error" in reply:
            raise ModelError(reply["error"], reply.get("hint", ""))
        return [[float(x) for x in v] for v in reply["vectors"]]

    def close(self) -> None:
        """Stop the child now; it holds nothing worth a graceful end (it also ends with our stdin)."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait(timeout=10)
        for pipe in (self._proc.stdin, self._proc.stdout):
            if pipe is not None:
                pipe.close()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._ask([query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._ask([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._ask(texts)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def _exit_code(proc: subprocess.Popen[str]) -> int | None:
    """The child's exit code once its output has ended (it may take a moment to be reaped)."""
    try:
        return proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        return None
