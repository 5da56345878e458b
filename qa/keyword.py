"""The keyword side of retrieval, persisted: a BM25 index (bm25s) and the corpus term weights.

Built once per store version (right after an ingest, or by the first process that finds none) and
saved under `<folder>/<version>/`; every later process memory-maps it instead of reading every
chunk back and re-tokenising it, so start-up does not grow with the corpus. Chunk texts are not
kept: retrieval fetches the few it returns from the store.
Tokenisation is exactly llama-index's `BM25Retriever`'s (stopwords and an English stemmer on the
chunks, the stemmer alone on queries), so rankings equal those of the in-memory retriever it replaces;
llama-index's own persistence saves every node's JSON with the index and reloads it all, which is
the cost this module removes. Deliberately not done here: dense search or fusion (`retrieve.py`).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.idf import TermWeights
from qa.terms import content_words
from vectorstore.errors import StoreError
from vectorstore.store import ChunkStore

TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # llama-index BM25Retriever's default
# Bump when the saved layout or its words change; older folders are rebuilt.
# 2: words of any script; 3: Snowball stems; 4: hyphen parts are words too.
FORMAT = 4
_MANIFEST = "manifest.json"


@dataclass
class KeywordIndex:
    """BM25 over the chunks of one store version, with the chunk ids in index order."""

    version: str
    ids: list[str]
    bm25: Any  # bm25s.BM25, memory-mapped when loaded from disk
    weights: TermWeights

    def __post_init__(self) -> None:
        self._lock = threading.Lock()  # bm25s keeps per-call state in numpy buffers

    @property
    def count(self) -> int:
        return len(self.ids)

    def search(self, query: str, k: int) -> list[str]:
        """Ids of the `k` best chunks for `query`, best first (fewer when the query has no known term)."""
        import bm25s

        k = min(k, self.count)
        if k <= 0:
            return []
        tokens = bm25s.tokenize(query, stemmer=_stemmer(), token_pattern=TOKEN_PATTERN, show_progress=False)
        with self._lock:
            docs, _scores = self.bm25.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return [self.ids[int(i)] for i in docs[0]]


def build(store: ChunkStore, version: str) -> KeywordIndex:
    """Read every chunk's text once and index it (the cost paid once per store version)."""
    import bm25s

    ids: list[str] = []
    texts: list[str] = []
    df: Counter[str] = Counter()
    for batch_ids, batch_texts in store.iter_texts():
        ids += batch_ids
        texts += batch_texts
        for text in batch_texts:
            df.update(content_words(text))
    if not ids:
        raise StoreError("The index is empty.", "Run `qa ingest` first (or upload documents in the UI).")
    tokens = bm25s.tokenize(
        texts, stopwords="en", stemmer=_stemmer(), token_pattern=TOKEN_PATTERN, show_progress=False
    )
    bm25 = bm25s.BM25()
    bm25.index(tokens, show_progress=False)
    return KeywordIndex(version, ids, bm25, TermWeights.from_counts(df, len(ids)))


def save(index: KeywordIndex, folder: Path) -> Path:
    """Write `index` to `folder/<version>/` atomically (a rename); other versions' folders are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / _dirname(index.version)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=folder))
    try:
        index.bm25.save(str(tmp))
        (tmp / "ids.json").write_text(json.dumps(index.ids), encoding="utf-8")
        (tmp / "weights.json").write_text(
            json.dumps({"n": index.weights.n, "df": index.weights.df}), encoding="utf-8"
        )
        manifest = {"format": FORMAT, "version": index.version, "chunks": index.count}
        (tmp / _MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        if target.exists():  # another process saved the same version first: theirs is as good
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise StoreError(
            f"Could not save the keyword index in {folder} ({exc.strerror or exc}).",
            "Free some disk space or make the data folder writable; answers still work, but each start "
            "rebuilds the keyword index.",
        ) from None
    for old in folder.iterdir():  # a process still using an old one keeps its open memory maps
        if old != target and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return target


def load(folder: Path, version: str) -> KeywordIndex | None:
    """The saved index of `version`, memory-mapped; None when there is none (or it is unreadable)."""
    import bm25s

    path = folder / _dirname(version)
    try:
        manifest = json.loads((path / _MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT or manifest.get("version") != version:
            return None
        ids = json.loads((path / "ids.json").read_text(encoding="utf-8"))
        weights = json.loads((path / "weights.json").read_text(encoding="utf-8"))
        bm25 = bm25s.BM25.load(str(path), mmap=True, load_corpus=False)
    except (OSError, ValueError, KeyError):
        return None  # missing or half-written (a killed process): rebuilt by the caller
    return KeywordIndex(version, ids, bm25, TermWeights.from_counts(Counter(weights["df"]), weights["n"]))


def load_or_build(store: ChunkStore, folder: Path | None) -> KeywordIndex:
    """The index of the store's current version: from `folder` when saved, else built (and saved)."""
    version = store.version()
    if folder is not None and (found := load(folder, version)) is not None:
        return found
    index = build(store, version)
    if folder is not None:
        save(index, folder)
    return index


def _dirname(version: str) -> str:
    return f"v{FORMAT}-{version or 'unversioned'}"


_STEMMER: Any = None


def _stemmer() -> Any:
    global _STEMMER
    if _STEMMER is None:
        import Stemmer

        _STEMMER = Stemmer.Stemmer("english")
    return _STEMMER
