"""The CPU floor: llama.cpp's own prompt-processing and generation speed for the loaded model.

Measured with llama-cpp-python's low-level API (`reset`, `eval`, greedy `sample`), bypassing chat
templates, llama-index and our engine: it is the fastest any answer can be produced on this machine.
`floor_ms` turns the two speeds into the least time for an answer of P prompt and A answer tokens,
which the benchmark compares the engine's measured latency with.

Deliberately not measured here: retrieval, verification, Python overhead (what the floor is compared
against), model loading, and llama.cpp's prompt cache (the engine reuses the cached instructions
between questions, so its real floor is somewhat lower than the formula's).
"""

from __future__ import annotations

import re
import time
from typing import Any

from eval.percentiles import median

PROMPT_TOKENS = 256
GEN_TOKENS = 64
REPEATS = 3


def floor_ms(prompt_tokens: float, answer_tokens: float, pp_tok_s: float, tg_tok_s: float) -> float:
    """Least milliseconds to read `prompt_tokens` and write `answer_tokens`: 1000·(P/pp + A/tg)."""
    return 1000.0 * (prompt_tokens / pp_tok_s + answer_tokens / tg_tok_s)


def cpu_flags(system_info: str) -> dict[str, bool]:
    """Whether llama.cpp was built with AVX2 and FMA, from its system info ('AVX2 = 1 | FMA = 1 | ...')."""
    found = dict(re.findall(r"\b([A-Z0-9_]+) = (\d+)", system_info))
    return {"avx2": found.get("AVX2", "0") != "0", "fma": found.get("FMA", "0") != "0"}


def system_info() -> str:
    import llama_cpp

    raw = llama_cpp.llama_print_system_info()
    return (raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)).strip()


def prompt_tokens(llama: Any, text: str, n: int = PROMPT_TOKENS) -> list[int]:
    """Exactly `n` tokens of `text` (BOS first), repeating the text if it is too short."""
    tokens = list(llama.tokenize(text.encode("utf-8"), add_bos=True))
    body = tokens[1:] or [llama.token_eos()]
    while len(tokens) < n:
        tokens += body
    return tokens[:n]


def one_run(llama: Any, tokens: list[int], n_gen: int) -> tuple[float, float]:
    """(prompt tokens/s, generated tokens/s) for one cold prompt and `n_gen` greedy tokens, one at a time."""
    llama.reset()
    t0 = time.perf_counter()
    llama.eval(tokens)
    t1 = time.perf_counter()
    for _ in range(n_gen):  # end-of-text is evaluated like any token: only speed matters here
        llama.eval([llama.sample(top_k=1, temp=0.0)])
    t2 = time.perf_counter()
    return len(tokens) / (t1 - t0), n_gen / (t2 - t1)


def measure(
    llama: Any, text: str, *, n_prompt: int = PROMPT_TOKENS, n_gen: int = GEN_TOKENS, repeats: int = REPEATS
) -> dict[str, Any]:
    """Median pp and tg tokens/s over `repeats` runs (after an untimed one), with llama.cpp's build flags."""
    tokens = prompt_tokens(llama, text, n_prompt)
    one_run(llama, tokens, n_gen)  # untimed: pages the memory-mapped weights in, sizes the buffers
    runs = [one_run(llama, tokens, n_gen) for _ in range(repeats)]
    llama.reset()  # leave no half-finished state for the engine's next completion
    info = system_info()
    return {
        "pp_tok_s": round(float(median([pp for pp, _ in runs]) or 0.0), 1),
        "tg_tok_s": round(float(median([tg for _, tg in runs]) or 0.0), 1),
        "runs": [{"pp_tok_s": round(pp, 1), "tg_tok_s": round(tg, 1)} for pp, tg in runs],
        "prompt_tokens": n_prompt,
        "gen_tokens": n_gen,
        "repeats": repeats,
        "n_threads": getattr(llama, "n_threads", None),
        "n_batch": getattr(llama, "n_batch", None),
        "system_info": info,
        **cpu_flags(info),
    }
