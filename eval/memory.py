"""Peak resident memory (RSS) of serving and of ingesting, each measured in a fresh process.

The child is `python -m eval.memory serve N` (build the answerer, answer the first N gold questions)
or `python -m eval.memory ingest FOLDER` (ingest it); settings come from the environment (`QA_*`)
exactly as for `qa`. It prints one JSON line; `peak_rss` runs a child and reads that line.

The headline is VmHWM from /proc/self/status, the peak RSS of the child's own address space.
`ru_maxrss` is reported too but is not used: on Linux a child started by fork/exec inherits its
parent's peak (here the benchmark process, which holds the model), so it reads high. Measures the
process's own peak only: not its children, not a Chroma server, not the page cache.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent


def ru_maxrss_mb() -> float:
    """getrusage's peak RSS in MB (Linux reports KB); includes a peak inherited from the parent."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def max_rss_mb() -> float | None:
    """Peak RSS of this process's own address space in MB (VmHWM), or None where /proc has no such line."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        pass
    return None


def serve(n_questions: int) -> dict[str, Any]:
    from eval.gold import load_gold
    from eval.run import DEFAULT_GOLD
    from qa import wiring
    from qa.settings import load_settings

    answerer = wiring.answerer(load_settings())
    gold = load_gold(DEFAULT_GOLD)[:n_questions]
    for item in gold:
        answerer.answer(item.question, item.messages())
    return {"questions": len(gold)}


def ingest(folder: Path) -> dict[str, Any]:
    from qa import wiring
    from qa.settings import load_settings

    report = wiring.ingest(load_settings(), [folder])
    return {"documents": len(report.added), "chunks": report.chunks_written}


def main(argv: list[str]) -> int:
    job, arg = argv
    t = time.perf_counter()
    done = serve(int(arg)) if job == "serve" else ingest(Path(arg))
    seconds = round(time.perf_counter() - t, 2)
    peak = max_rss_mb()
    print(
        json.dumps(
            {
                "job": job,
                **done,
                "seconds": seconds,
                "max_rss_mb": peak if peak is not None else ru_maxrss_mb(),
                "source": "VmHWM" if peak is not None else "ru_maxrss",
                "ru_maxrss_mb": ru_maxrss_mb(),
            }
        )
    )
    return 0


def peak_rss(job: str, arg: str, env: Mapping[str, str], timeout: float) -> dict[str, Any]:
    """Run one child job and return its JSON report; raises RuntimeError when it fails."""
    proc = subprocess.run(
        [sys.executable, "-m", "eval.memory", job, arg],
        env=dict(env),
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = proc.stderr.strip()[-500:]
        raise RuntimeError(f"`python -m eval.memory {job}` failed ({proc.returncode}): {tail}")
    return dict(json.loads(lines[-1]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
