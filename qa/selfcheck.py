"""Install-time check that the compiled llama.cpp runs on this CPU: `python -m qa.selfcheck`.

llama-cpp-python is compiled from source, and a wheel built for another CPU (or by `-march=native`
on a CPU whose AMX the kernel refuses) dies with "Illegal instruction" at its first matrix multiply,
killing whatever process loaded it. So the check decodes a few tokens with each bundled model in a
child process and turns such a death into an actionable message and exit code 1. It also loads
the spaCy pipeline and parses one question (a missing or broken pipeline is reported here, not at
the first question). It checks the engines only; it does not judge answers, the index or the UI.
"""

from __future__ import annotations

import signal
import subprocess
import sys

from qa.llm import PRESETS

# Loads one GGUF and decodes a few tokens: enough to run the CPU kernels a real answer uses.
_PROBE = """
import sys
from llama_cpp import Llama
from qa.llm import preset_path
llm = Llama(model_path=str(preset_path(sys.argv[1])), n_ctx=128, n_threads=2, verbose=False)
out = llm("The capital of France is", max_tokens=4, temperature=0.0)
assert out["choices"][0]["text"] is not None
"""

FIX = (
    "llama-cpp-python was built for instructions this CPU (or its kernel) does not allow. Rebuild it "
    "with flags this CPU supports: `rm -rf .venv && make install CMAKE_ARGS='-DGGML_NATIVE=OFF ...'` "
    "(the Makefile explains CMAKE_ARGS; each flag set gets its own cached wheel)."
)


def probe(preset: str, code: str = _PROBE, timeout: float = 120.0) -> str | None:
    """None when the model decodes; otherwise what went wrong, in words a user can act on."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, preset], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return f"{preset}: decoding 4 tokens took over {timeout:.0f} s."
    if done.returncode == 0:
        return None
    if done.returncode < 0:  # killed by a signal
        name = signal.Signals(-done.returncode).name
        return (
            f"{preset}: llama.cpp crashed the process with {name}. {FIX if name == 'SIGILL' else ''}".strip()
        )
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return f"{preset}: the model did not load or decode ({tail})."


def spacy_problem() -> str | None:
    """None when the English pipeline loads and finds an entity; otherwise what went wrong."""
    from qa.errors import QAError
    from vectorstore.nlp import pipeline

    try:
        doc = pipeline()("Who sanctioned Iran in June 2022?")
    except QAError as exc:
        return str(exc)
    return None if doc.ents else "spaCy loaded but found no entity in a test question (a broken pipeline?)."


def main() -> int:
    problems = [p for p in (probe(name) for name in PRESETS) if p]
    problems += [p for p in (spacy_problem(),) if p]
    for problem in problems:
        print(f"Self-check failed: {problem}", file=sys.stderr)
    if not problems:
        print(f"Self-check passed: llama.cpp decodes with {', '.join(PRESETS)} on this CPU; spaCy parses.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
