"""The stock alternative a user would otherwise pick: llama-index's `CitationQueryEngine`.

Same Chroma index, same embedder, same GGUF (with its chat template), same `top_k`. Its response is
mapped onto the `qa ask --json` schema so both systems are scored by the same code. Its citations
name whole chunks, so each quote is the chunk's own span of the document (always a valid span).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

_REFUSAL = re.compile(
    r"(do not|don't|does not|doesn't|cannot|can't|no) (know|say|mention|contain|provide|information)", re.I
)


class PeerSystem:
    def __init__(self, store: Any, embedder: Any, llm: Any, top_k: int, model_name: str) -> None:
        from llama_index.core import VectorStoreIndex
        from llama_index.core.query_engine import CitationQueryEngine

        index = VectorStoreIndex.from_vector_store(store.vector_store, embed_model=embedder)
        self.engine = CitationQueryEngine.from_args(index, llm=llm, similarity_top_k=top_k)
        self.model_name = model_name
        self.store = store

    def answer(self, question: str, history: Sequence[Any] | None = None) -> dict[str, Any]:
        started = time.perf_counter()
        response = self.engine.query(question)
        total = (time.perf_counter() - started) * 1000
        text = str(getattr(response, "response", "") or "").strip()
        nodes = list(response.source_nodes)
        citations = []
        for n in sorted({int(m) for m in re.findall(r"\[(\d+)\]", text)}):
            if 1 <= n <= len(nodes):
                meta = nodes[n - 1].node.metadata
                doc_id = str(meta.get("doc_id", ""))
                start, end = int(meta.get("start", 0)), int(meta.get("end", 0))
                quote = self.store.doc_text(doc_id)[start:end] if doc_id else ""
                citations.append(
                    {
                        "n": n,
                        "doc_id": doc_id,
                        "title": str(meta.get("title", "")),
                        "quote": quote,
                        "start": start,
                        "end": end,
                        "support": 0.0,
                        "date": str(meta.get("date", "")),
                    }
                )
        refused = not text or bool(_REFUSAL.search(text))
        return {
            "question": question,
            "standalone_question": question,
            "answer": text,
            "abstained": refused,
            "mode": "abstain" if refused else "generative",
            "citations": citations,
            "retrieved": [
                {
                    "doc_id": str(s.node.metadata.get("doc_id", "")),
                    "chunk_id": s.node.node_id,
                    "score": float(s.score or 0.0),
                    "text": s.node.get_content(),
                }
                for s in nodes
            ],
            "timings_ms": {
                "retrieve": 0.0,
                "generate": round(total, 2),
                "verify": 0.0,
                "first_token": round(total, 2),
                "total": round(total, 2),
            },
            "model": self.model_name,
        }
