"""Read article files (`.txt`, `.md`, `.html`) into `SourceDocument`s, refusing bad input clearly.

The document text is the file exactly as read (UTF-8, line endings kept) for `.txt`/`.md`, and the
extracted article text for `.html`. A document's id is its file stem. This module reads and
describes files; it does not split, embed or store them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from vectorstore.boilerplate import boilerplate_ranges, merge_ranges
from vectorstore.errors import InputError
from vectorstore.html_text import html_to_text
from vectorstore.metadata import date_from_name, read_meta

SUPPORTED = {".txt", ".md", ".markdown", ".html", ".htm"}
_DOC_ID = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class SourceDocument:
    doc_id: str
    text: str
    title: str
    source: str
    sha256: str
    date: str = ""
    author: str = ""
    skip: list[tuple[int, int]] = field(default_factory=list)  # boilerplate and byline ranges
    warnings: list[str] = field(default_factory=list)


def doc_id_for(path: Path) -> str:
    """The file stem, made safe for ids (spaces and odd characters become '_')."""
    return _DOC_ID.sub("_", path.stem).strip("._-") or "document"


def _decode(data: bytes, path: Path, warnings: list[str]) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(
            f"{path}: looks like a binary file, not text.",
            "Only .txt, .md and .html articles can be ingested.",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        warnings.append(
            f"{path}: not valid UTF-8 (byte {exc.start}); undecodable bytes were replaced with '�'."
        )
        return data.decode("utf-8", errors="replace")


def load_file(path: Path, max_bytes: int) -> SourceDocument:
    """Read one article; raises `InputError` naming the file when it cannot be used."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(f"{path}: unsupported file type '{suffix or '(none)'}'.", "Use .txt, .md or .html.")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{path}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit.",
                "Split the file or raise QA_MAX_FILE_MB.",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"{path}: cannot be read ({exc.strerror}).", "Check the path and its permissions."
        ) from None
    warnings: list[str] = []
    text = _decode(data, path, warnings)
    title = ""
    if suffix in {".html", ".htm"}:
        text, title = html_to_text(text)
    if not text.strip():
        raise InputError(f"{path}: is empty (no article text).", "Add text to the file or remove it.")
    meta = read_meta(text, title)
    return SourceDocument(
        doc_id=doc_id_for(path),
        text=text,
        title=meta.title or doc_id_for(path),
        source=str(path),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        date=meta.date or date_from_name(path.stem),
        author=meta.author,
        skip=skip_ranges(text),
        warnings=warnings,
    )


def skip_ranges(text: str) -> list[tuple[int, int]]:
    """The ranges of a document's text that ingestion leaves out of its sentences (boilerplate, and
    the header's date, byline and dateline lines), so a reader of the stored text sees the same ones."""
    return merge_ranges(boilerplate_ranges(text) + read_meta(text).header_ranges)


def find_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file under the given files and folders (folders recursively, sorted, hidden ones skipped)."""
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder.", "Check the path you gave to `qa ingest`.")
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            yield path
