"""Kill `qa ingest` with SIGKILL at random moments, finish with a second `qa ingest`, check the index.

`python -m eval.kill_ingest --trials 20` builds a corpus (the seeds plus synthetic .txt articles, so
the write phase lasts long enough to be hit), times two clean runs (a fresh ingest, and an update
ingest in which every third article changed), then runs the trials. Trials alternate between the two
kinds: a fresh ingest into an empty folder, and an update ingest into a copy of the clean index. Each
trial starts `qa ingest` as a subprocess, sends SIGKILL after a delay (seeded random, stratified over
the clean run's duration so kills land from start-up to the last write), records what had reached the
store (nothing: the kill landed in start-up, i.e. imports, model load, reading and splitting files or
embedding the first group; some: in the write phase; everything: at the very end),
runs `qa ingest` again to completion, and checks the index: the chunk count equals the clean run's,
the chunk ids are exactly those the files give, none is duplicated, none is orphaned (every chunk's
doc_id has a record), every record's `n_chunks` equals its chunks and its hash equals its file's, and
the dense index returns every chunk, and the relation edges are neither duplicated nor orphaned and
each quotes its document at its span. `--real N` uses N real articles from the realistic corpus
instead of synthetic ones. Prints a table, writes JSON (`--out`), exits 1 when a check fails.

The index is inspected in a separate process (`--inspect`) so that no Chroma client in this process
caches state across the subprocesses that write. Every wait is bounded.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from eval.child_env import offline_env

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEEDS = PROJECT_DIR / "seeds"
QA = Path(sys.executable).parent / "qa"
MAX_BYTES = 10_000_000

_ORGS = ("council", "ministry", "port authority", "rail operator", "water board", "court", "parliament")
_PLACES = ("Valmora", "Port Elden", "Kestrava", "Norhaven", "Dunmere", "Caldera Bay", "Sorvik", "Lunesta")
_THINGS = ("permits", "complaints", "ferries", "inspections", "contracts", "arrests", "repairs")
_VERBS = ("approved", "rejected", "reviewed", "postponed", "announced", "suspended", "confirmed")


# --- corpus --------------------------------------------------------------------------------------
def synthetic_article(rng: random.Random, n: int, sentences: int = 24) -> str:
    """A deterministic made-up article (invented places; meaningless, for timing and volume only)."""
    place = rng.choice(_PLACES)
    lines = [f"Synthetic report {n}: {place} {rng.choice(_ORGS)} update"]
    for i in range(sentences):
        lines.append(
            f"On day {i + 1} the {rng.choice(_ORGS)} of {rng.choice(_PLACES)} {rng.choice(_VERBS)} "
            f"{rng.randint(2, 950)} {rng.choice(_THINGS)} after a meeting with {rng.randint(3, 80)} "
            f"delegates from {rng.choice(_PLACES)}."
        )
        if i % 6 == 5:
            lines.append("")
    return "\n".join(lines) + "\n"


def build_corpus(
    folder: Path, extra_docs: int, seed: int, real: int = 0, corpus_dir: Path | None = None
) -> None:
    """The seeds plus `extra_docs` synthetic articles, or (`real` > 0) plus `real` articles picked evenly
    from the realistic corpus's folders (copied into the work folder, never into the project)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy2(path, folder / path.name)
    if real:
        pool = sorted(p for sub in ("bbc", "ukrwar") for p in ((corpus_dir or Path()) / sub).glob("*.txt"))
        step = max(1, len(pool) // real)
        for path in pool[::step][:real]:
            shutil.copy2(path, folder / path.name)
        return
    rng = random.Random(seed)
    for n in range(extra_docs):
        (folder / f"synthetic_{n:04d}.txt").write_text(synthetic_article(rng, n), encoding="utf-8")


def modify_corpus(folder: Path) -> list[str]:
    """Change every third article (a sentence appended), as an edited news feed would."""
    changed = []
    for i, path in enumerate(sorted(folder.glob("*.txt"))):
        if i % 3 == 0:
            with path.open("a", encoding="utf-8") as fh:
                fh.write(f"\nA correction was appended to this article on review {i}.\n")
            changed.append(path.stem)
    return changed


# --- subprocesses --------------------------------------------------------------------------------
def run_ingest(corpus: Path, data_dir: Path, timeout: float) -> tuple[int, float, str]:
    """`qa ingest -q CORPUS` to completion: (exit code, seconds, last output line)."""
    t = time.perf_counter()
    done = subprocess.run(
        [str(QA), "ingest", "-q", str(corpus)],
        env=offline_env(data_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = (done.stdout + done.stderr).strip().splitlines()
    return done.returncode, time.perf_counter() - t, lines[-1] if lines else ""


def kill_ingest(corpus: Path, data_dir: Path, delay: float) -> dict[str, Any]:
    """Start `qa ingest`, SIGKILL it after `delay` seconds (unless it ended first)."""
    proc = subprocess.Popen(
        [str(QA), "ingest", "-q", str(corpus)],
        env=offline_env(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    t = time.perf_counter()
    try:
        code = proc.wait(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        code = proc.wait(timeout=30)
        killed = True
    return {"killed": killed, "exit_code": code, "alive_s": round(time.perf_counter() - t, 2)}


def inspect(data_dir: Path, corpus: Path | None, timeout: float = 300) -> dict[str, Any]:
    """The `--inspect` report of `data_dir`, computed in a fresh process."""
    command = [sys.executable, "-m", "eval.kill_ingest", "--inspect", str(data_dir)]
    if corpus is not None:
        command += ["--corpus", str(corpus)]
    done = subprocess.run(
        command,
        env=offline_env(data_dir),
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["inspection failed"])[-1]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def inspect_here(data_dir: Path, corpus: Path | None) -> dict[str, Any]:
    """Counts and consistency checks of the index under `data_dir` (run in its own process)."""
    import hashlib

    from vectorstore.ingest import chunk_source
    from vectorstore.load import find_files, load_file
    from vectorstore.store import open_store

    if not (data_dir / "chroma").exists():
        return {"chunks": 0, "records": 0, "exists": False}
    store = open_store(data_dir, None, "news")
    records = store.doc_records()
    chunks = store.all_chunks()
    ids = [c.chunk_id for c in chunks]
    per_doc: dict[str, int] = {}
    for c in chunks:
        per_doc[c.doc_id] = per_doc.get(c.doc_id, 0) + 1
    out: dict[str, Any] = {
        "exists": True,
        "chunks": store.count(),
        "listed": len(ids),
        "records": len(records),
        "duplicate_ids": len(ids) - len(set(ids)),
        "orphaned_chunks": sum(n for d, n in per_doc.items() if d not in records),
        "records_with_wrong_n_chunks": sorted(
            d for d, r in records.items() if r.n_chunks != per_doc.get(d, 0)
        ),
        "content_sha256": hashlib.sha256(
            json.dumps(
                sorted([c.chunk_id, c.text, sorted(c.metadata.items())] for c in chunks), default=str
            ).encode()
            + json.dumps(sorted((d, r.sha256, r.n_chunks) for d, r in records.items())).encode()
        ).hexdigest(),
    }
    edges = store.all_edges()  # relation edges follow their documents (written before the records)
    out["edges"] = len(edges)
    out["duplicate_edges"] = len(edges) - len({e.id for e in edges})
    out["orphaned_edges"] = sum(e.doc_id not in records for e in edges)
    texts: dict[str, str] = {}
    out["edges_off_their_text"] = sum(
        texts.setdefault(e.doc_id, store.doc_text(e.doc_id))[e.start : e.end] != e.quote
        for e in edges
        if e.doc_id in records
    )
    out["content_sha256"] = hashlib.sha256(
        (out["content_sha256"] + json.dumps(sorted(e.id for e in edges))).encode()
    ).hexdigest()
    if chunks:  # the dense (HNSW) index must hold every chunk the metadata store lists
        import math

        dim = len(store.chunks.get(ids=[ids[0]], include=["embeddings"])["embeddings"][0])
        probe = [1.0 / math.sqrt(dim)] * dim
        found = store.chunks.query(query_embeddings=[probe], n_results=len(ids), include=[])
        out["dense_found"] = len(set(found["ids"][0]))
    if corpus is not None:
        expected: set[str] = set()
        stale = []
        for path in find_files([corpus]):
            doc = load_file(path, MAX_BYTES)
            expected |= {c.id for c in chunk_source(doc, 300, 0)}
            if doc.doc_id not in records or records[doc.doc_id].sha256 != doc.sha256:
                stale.append(doc.doc_id)
        out["missing_ids"] = len(expected - set(ids))
        out["unexpected_ids"] = len(set(ids) - expected)
        out["stale_or_missing_records"] = sorted(stale)
    return out


# --- trials --------------------------------------------------------------------------------------
def phase(after_kill: dict[str, Any], start_sha: str | None, end_sha: str, killed: bool) -> str:
    """Where a kill landed, judged by what had reached the store (start_sha None: an empty start)."""
    if not killed:
        return "after exit"
    sha = after_kill.get("content_sha256")
    if start_sha is None:
        if not after_kill.get("exists") or (after_kill["chunks"] == 0 and after_kill["records"] == 0):
            return "start-up"
    elif sha == start_sha:
        return "start-up"
    if sha == end_sha:
        return "end (all written)"
    return "write"


def problems(check: dict[str, Any], clean_chunks: int) -> list[str]:
    found = []
    if "error" in check:
        return [f"inspection failed: {check['error']}"]
    if check["chunks"] != clean_chunks:
        found.append(f"{check['chunks']} chunks, clean ingest has {clean_chunks}")
    if check["listed"] != check["chunks"]:
        found.append(f"count() says {check['chunks']} but {check['listed']} are listed")
    keys = (
        "duplicate_ids",
        "orphaned_chunks",
        "missing_ids",
        "unexpected_ids",
        "duplicate_edges",
        "orphaned_edges",
        "edges_off_their_text",
    )
    for key in keys:
        if check.get(key):
            found.append(f"{key.replace('_', ' ')}: {check[key]}")
    if check.get("records_with_wrong_n_chunks"):
        found.append(f"records with wrong n_chunks: {check['records_with_wrong_n_chunks'][:5]}")
    if check.get("stale_or_missing_records"):
        found.append(f"stale or missing records: {check['stale_or_missing_records'][:5]}")
    if check.get("dense_found", check["chunks"]) != check["chunks"]:
        found.append(f"dense index returns {check['dense_found']} of {check['chunks']} chunks")
    return found


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.monotonic()
    deadline = started + args.max_minutes * 60
    work = Path(tempfile.mkdtemp(prefix="kill_ingest_", dir=args.workdir))
    rng = random.Random(args.seed)
    timeout = args.ingest_timeout
    try:
        base, changed = work / "corpus_base", work / "corpus_changed"
        build_corpus(base, args.extra_docs, args.seed, args.real, args.corpus_dir)
        shutil.copytree(base, changed)
        modified = modify_corpus(changed)

        print(
            f"Clean runs: {len(list(base.glob('*.txt')))} articles "
            f"({f'{args.real} real' if args.real else f'{args.extra_docs} synthetic'}) ...",
            flush=True,
        )
        clean_dir = work / "clean"
        code, fresh_s, line = run_ingest(base, clean_dir, timeout)
        if code != 0:
            raise SystemExit(f"the clean ingest failed ({code}): {line}")
        clean_base = inspect(clean_dir, base)
        update_dir = work / "clean_update"
        shutil.copytree(clean_dir, update_dir)
        code, update_s, line = run_ingest(changed, update_dir, timeout)
        if code != 0:
            raise SystemExit(f"the clean update ingest failed ({code}): {line}")
        clean_changed = inspect(update_dir, changed)
        for name, check in (("fresh", clean_base), ("update", clean_changed)):
            bad = problems(check, check.get("chunks", -1))
            if bad:
                raise SystemExit(f"the clean {name} ingest is itself inconsistent: {bad}")
        kinds: dict[str, dict[str, Any]] = {
            "fresh": {"corpus": base, "seconds": fresh_s, "clean": clean_base, "start_from": None},
            "update": {
                "corpus": changed,
                "seconds": update_s,
                "clean": clean_changed,
                "start_from": clean_dir,
            },
        }
        print(
            f"  fresh ingest {fresh_s:.1f} s, {clean_base['chunks']} chunks; update ingest {update_s:.1f} s "
            f"({len(modified)} articles changed), {clean_changed['chunks']} chunks",
            flush=True,
        )

        # Stratified delays: trial i of each kind gets a delay in the i-th slice of that kind's duration.
        per_kind = {"fresh": (args.trials + 1) // 2, "update": args.trials // 2}
        slots: dict[str, list[float]] = {}
        for kind, n in per_kind.items():
            fractions = [(i + rng.random()) / n for i in range(n)]
            rng.shuffle(fractions)
            slots[kind] = [round(f * kinds[kind]["seconds"], 2) for f in fractions]
        trials: list[dict[str, Any]] = []
        print(f"{'#':>3} {'kind':<7} {'delay s':>8} {'landed in':<18} {'rerun s':>8} {'chunks':>7}  result")
        for i in range(args.trials):
            if time.monotonic() > deadline:
                print(f"Stopping early: --max-minutes {args.max_minutes} reached.", flush=True)
                break
            kind = "fresh" if i % 2 == 0 else "update"
            spec = kinds[kind]
            delay = slots[kind].pop()
            data_dir = work / f"trial_{i:02d}"
            if spec["start_from"] is not None:
                shutil.copytree(spec["start_from"], data_dir)
            kill = kill_ingest(spec["corpus"], data_dir, delay)
            after_kill = inspect(data_dir, None)
            code, rerun_s, line = run_ingest(spec["corpus"], data_dir, timeout)
            check = inspect(data_dir, spec["corpus"])
            found = problems(check, spec["clean"]["chunks"])
            if code != 0:
                found.insert(0, f"the second ingest exited {code}: {line}")
            trial = {
                "trial": i,
                "kind": kind,
                "delay_s": delay,
                "delay_share": round(delay / spec["seconds"], 3),
                **kill,
                "landed_in": phase(
                    after_kill,
                    None if kind == "fresh" else clean_base["content_sha256"],
                    spec["clean"]["content_sha256"],
                    kill["killed"],
                ),
                "after_kill": {k: after_kill.get(k) for k in ("chunks", "records")},
                "rerun_exit_code": code,
                "rerun_s": round(rerun_s, 1),
                "rerun_summary": line,
                "check": {k: v for k, v in check.items() if k != "content_sha256"},
                "same_content_as_clean": check.get("content_sha256") == spec["clean"]["content_sha256"],
                "problems": found,
                "ok": not found,
            }
            trials.append(trial)
            print(
                f"{i:>3} {kind:<7} {delay:>8.1f} {trial['landed_in']:<18} {rerun_s:>8.1f} "
                f"{check.get('chunks', '?'):>7}  {'ok' if not found else 'FAIL: ' + '; '.join(found)}",
                flush=True,
            )
            shutil.rmtree(data_dir, ignore_errors=True)
        landed: dict[str, int] = {}
        for t in trials:
            landed[t["landed_in"]] = landed.get(t["landed_in"], 0) + 1
        return {
            "trials_requested": args.trials,
            "trials_run": len(trials),
            "seed": args.seed,
            "extra_docs": 0 if args.real else args.extra_docs,
            "real_articles": args.real,
            "articles": len(list(base.glob("*.txt"))),
            "clean": {
                "fresh": {
                    "seconds": round(fresh_s, 1),
                    "edges": clean_base.get("edges"),
                    "chunks": clean_base["chunks"],
                    "records": clean_base["records"],
                },
                "update": {
                    "seconds": round(update_s, 1),
                    "chunks": clean_changed["chunks"],
                    "records": clean_changed["records"],
                    "articles_changed": len(modified),
                },
            },
            "landed_in": landed,
            "killed": sum(t["killed"] for t in trials),
            "passed": sum(t["ok"] for t in trials),
            "failed": sum(not t["ok"] for t in trials),
            "identical_to_clean": sum(t["same_content_as_clean"] for t in trials),
            "seconds": round(time.monotonic() - started, 1),
            "trials": trials,
        }
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.kill_ingest", description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=20, help="kills to try (1-200)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the corpus and the kill delays")
    parser.add_argument("--extra-docs", type=int, default=200, help="synthetic articles added to the seeds")
    parser.add_argument(
        "--real",
        type=int,
        default=0,
        help="real articles from --corpus-dir instead of synthetic ones (0: synthetic)",
    )
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        default=PROJECT_DIR.parent / "shared" / "corpus",
        help="the realistic corpus",
    )
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "eval" / "kill_ingest.json")
    parser.add_argument("--workdir", type=Path, default=None, help="where the temporary folders go")
    parser.add_argument("--ingest-timeout", type=float, default=900, help="seconds one `qa ingest` may take")
    parser.add_argument("--max-minutes", type=float, default=90, help="stop starting trials after this")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument("--inspect", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inspect is not None:
        print(json.dumps(inspect_here(args.inspect, args.corpus)))
        return 0
    if not 1 <= args.trials <= 200 or not 0 <= args.extra_docs <= 5000:
        parser.error("--trials must be 1-200 and --extra-docs 0-5000")
    report = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(
        f"\n{report['trials_run']} trials ({report['killed']} killed mid-run): landed in "
        + ", ".join(f"{k} {v}" for k, v in sorted(report["landed_in"].items()))
        + f"; {report['passed']} passed, {report['failed']} failed; "
        f"{report['identical_to_clean']} identical to a clean ingest. JSON: {args.out}"
    )
    return 0 if report["failed"] == 0 and report["trials_run"] == args.trials else 1


if __name__ == "__main__":
    sys.exit(main())
