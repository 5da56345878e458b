"""The one typed settings object (env prefix `QA_`). Only the edges (CLI, UI, eval) read it.

Inner code takes plain arguments; `qa.wiring` turns a `Settings` into built components.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent

# Nothing leaves the machine: no hub downloads, no telemetry. Set before any HF/Chroma import.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


class Settings(BaseSettings):
    """Every knob of the product. Each field is an environment variable `QA_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="QA_", extra="ignore", validate_default=True)

    # --- store and ingestion -------------------------------------------------------------
    data_dir: Path = Field(
        PROJECT_DIR / ".data",
        description="Folder holding the embedded Chroma index, feedback and uploads (git-ignored).",
    )
    chroma_url: str | None = Field(
        None,
        description="When set (e.g. http://127.0.0.1:8000), use this Chroma server over HTTP instead of the embedded store.",
    )
    collection: str = Field(
        "news",
        description="Chroma collection name for chunks (a sibling `<name>__docs` holds one record per document).",
    )
    seeds_dir: Path = Field(
        PROJECT_DIR / "seeds",
        description="Default folder ingested by `qa ingest` with no paths and by `make run`.",
    )
    corpus_dir: Path = Field(
        PROJECT_DIR.parent / "shared" / "corpus",
        description="Folder of realistic articles (`bbc/`, `ukrwar/`) that the `seeds+distractors`, `realworld` and `ci-slice` eval suites index; any folder of articles with those subfolders serves.",
    )
    chunk_size: int = Field(
        300,
        ge=100,
        le=4000,
        description="Target chunk size in characters; chunks are runs of whole sentences.",
    )
    chunk_overlap: int = Field(0, ge=0, le=5, description="Sentences shared by consecutive chunks.")
    max_file_mb: float = Field(
        10.0,
        gt=0,
        description="Largest file `qa ingest` accepts, in MB; larger files are skipped with a warning.",
    )
    embed_batch_size: int = Field(64, ge=1, le=1024, description="Chunks embedded per batch.")
    relations: bool = Field(
        True,
        description="Extract relation edges (who sanctioned, supplied, attacked … whom) with spaCy at ingest, for `qa relations`, the Relations tab and who-did-what-to-whom answers; off, ingest skips it and changed documents lose their edges.",
    )
    relation_lines: int = Field(
        8,
        ge=1,
        le=50,
        description="Most grouped edges a who-did-what-to-whom answer lists in the chat (the rest: `qa relations` and the Relations tab).",
    )

    relation_graph: int = Field(
        40,
        ge=1,
        le=500,
        description="Most grouped edges the Relations tab draws and lists (the best ranked).",
    )

    # --- retrieval and evidence ----------------------------------------------------------
    top_k: int = Field(5, ge=1, le=50, description="Chunks kept after fusing dense and BM25 retrieval.")
    max_evidence: int = Field(4, ge=1, le=20, description="Evidence sentences numbered for the model.")
    min_key_coverage: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Abstain unless the answering passage covers at least this share of the question's IDF-weighted key terms; 0 (the default) switches the rule off, since the ablation showed it refused answerable questions and no unanswerable ones (see README).",
    )
    strict_roles: bool = Field(
        False,
        description='Refuse unless an entity fills the wh-phrase\'s role ("who assaulted ..." needs the one who assaulted, in a sentence that says so; qa/roles.py). Off by default: on the held-out halves it cost one correct answer per suite and gained no correct refusal (see README); when off, an entity in the role is still preferred as the answer phrase.',
    )
    rules_off: set[Literal["names", "dates", "type", "terms", "predicate", "parts", "neighbour"]] = Field(
        default_factory=set,
        description='Answerability rules to switch off, for ablation runs (JSON list, e.g. `["dates"]`); see qa/passages.py, `parts` (answering each part of a two-part question on its own, qa/parts.py) and `neighbour` (quoting, for an answer without an answer phrase, the best sentence with its next one).',
    )

    # --- generation ----------------------------------------------------------------------
    llm_backend: Literal["llamacpp", "openai", "scripted", "none"] = Field(
        "llamacpp",
        description="`llamacpp` runs a GGUF in-process; `openai` calls an OpenAI-compatible server; `scripted` replies QA_SCRIPTED_REPLY (tests, demos); `none` answers extractively without a model.",
    )
    scripted_reply: str = Field(
        "",
        description="What the `scripted` backend replies to every question, word by word (for tests and demos of verification).",
    )
    model: str = Field(
        "gemma3-270m",
        description="Bundled model preset (`gemma3-270m`, the default by the eval numbers, or `smollm2-135m`); ignored when QA_MODEL_PATH is set.",
    )
    model_path: Path | None = Field(None, description="Path to any GGUF file; overrides QA_MODEL.")
    n_ctx: int = Field(2048, ge=256, le=131072, description="Context window for the llama.cpp model.")
    n_threads: int | None = Field(
        None, ge=1, le=256, description="CPU threads for llama.cpp (default: all cores)."
    )
    max_new_tokens: int = Field(
        64, ge=8, le=2048, description="Longest answer the model may write, in tokens."
    )
    seed: int = Field(42, description="Sampling seed; with temperature 0 answers are reproducible.")
    answer_mode: Literal["generative", "extractive"] = Field(
        "generative",
        description="`generative`: the model phrases, code verifies; `extractive`: quote the best evidence, no model call.",
    )
    openai_base_url: str = Field(
        "http://127.0.0.1:8080/v1",
        description="Base URL of an OpenAI-compatible server (Ollama, llama-server, vLLM).",
    )
    openai_model: str = Field("local", description="Model name sent to the OpenAI-compatible server.")
    openai_api_key: str = Field(
        "not-needed", description="API key for the OpenAI-compatible server, if it wants one."
    )
    llm_timeout: float = Field(
        60.0, gt=0, le=3600, description="Seconds to wait for the OpenAI-compatible server before giving up."
    )

    # --- input limits --------------------------------------------------------------------
    max_question_chars: int = Field(
        2000, ge=10, le=100000, description="Longest question accepted, in characters."
    )

    # --- web UI --------------------------------------------------------------------------
    host: str = Field(
        "127.0.0.1", description="Address the web UI binds to. Keep 127.0.0.1 unless you also set QA_AUTH."
    )
    port: int = Field(7860, ge=1, le=65535, description="Port of the web UI.")
    auth: str | None = Field(None, description="`user:password` turns on login for the web UI.")
    max_upload_mb: float = Field(
        5.0, gt=0, le=200, description="Largest file the web UI accepts for upload, in MB."
    )

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https:// (got {value!r})")
        return value.rstrip("/")

    @field_validator("auth")
    @classmethod
    def _check_auth(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        user, sep, password = value.partition(":")
        if not sep or not user or not password:
            raise ValueError("must look like user:password")
        return value

    @field_validator("collection")
    @classmethod
    def _check_collection(cls, value: str) -> str:
        import re

        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{1,54}[A-Za-z0-9]", value):
            raise ValueError("must be 3-56 characters of letters, digits, '.', '_' or '-'")
        return value

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; a bad `QA_*` value becomes an error naming the variable."""
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    from qa.errors import InputError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except SettingsError as exc:  # a list-valued variable that is not JSON, e.g. QA_RULES_OFF=dates
        field = str(exc).split('field "', 1)[-1].split('"', 1)[0]
        raise InputError(
            f"Invalid setting: QA_{field.upper()} is not valid JSON.",
            "Give a JSON list, e.g. QA_RULES_OFF='[\"dates\"]', or unset the variable.",
        ) from None
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = "QA_" + "_".join(str(p) for p in err["loc"]).upper()
            problems.append(f"{name}={err.get('input')!r}: {err['msg']}")
        raise InputError(
            "Invalid setting: " + "; ".join(problems) + ".", "Fix or unset the variable."
        ) from None
