"""Vet uploaded files and copy the acceptable ones into `<data_dir>/uploads`, ready for ingestion.

A file is accepted when its name is a plain file name (no folder part, no `..`, no hidden file), its
extension is .txt, .md, .html or .htm, and it is no larger than the upload limit. Accepted names are
reduced to safe characters and the copy is checked to land inside the uploads folder. Refusals are
returned as readable reasons, never raised. This module does not ingest, parse or index anything.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from qa.errors import InputError

ALLOWED = (".txt", ".md", ".html", ".htm")
MAX_NAME = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass
class Staged:
    accepted: list[Path] = field(default_factory=list)  # copies inside the uploads folder
    refused: list[str] = field(default_factory=list)  # one readable reason per refused file


def safe_name(name: str) -> str:
    """A safe file name for `name`, or `InputError` when it has a folder part or a disallowed type."""
    shown = name if len(name) <= 80 else name[:77] + "..."
    if not name or "\x00" in name or "/" in name or "\\" in name or name.strip() in {".", ".."}:
        raise InputError(f"'{shown}': not a plain file name.", "Upload the file itself, not a path.")
    if name.startswith("."):
        raise InputError(f"'{shown}': hidden files are not accepted.", "Rename the file.")
    stem, dot, ext = name.rpartition(".")
    if not dot or f".{ext.lower()}" not in ALLOWED:
        raise InputError(f"'{shown}': unsupported file type.", "Upload .txt, .md or .html articles.")
    stem = _UNSAFE.sub("_", stem).strip(" ._-")[: MAX_NAME - len(ext) - 1]
    if not stem:
        raise InputError(f"'{shown}': the name has no usable characters.", "Rename the file.")
    return f"{stem}.{ext.lower()}"


def stage_one(src: Path, name: str, dest_dir: Path, max_bytes: int) -> Path:
    """Copy one upload into `dest_dir` under a safe name; `InputError` with the reason when refused."""
    target_name = safe_name(name)
    try:
        size = src.stat().st_size
    except OSError:
        raise InputError(f"'{target_name}': the upload could not be read.", "Upload it again.") from None
    if size > max_bytes:
        raise InputError(
            f"'{target_name}': {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit.",
            "Split the file or raise QA_MAX_UPLOAD_MB.",
        )
    if size == 0:
        raise InputError(f"'{target_name}': the file is empty.", "Upload an article with text.")
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = (dest_dir / target_name).resolve()
    if target.parent != dest_dir.resolve():  # belt and braces: safe_name already rules this out
        raise InputError(f"'{target_name}': not a plain file name.", "Upload the file itself, not a path.")
    shutil.copyfile(src, target)
    return target


def stage(files: Iterable[tuple[Path, str]], dest_dir: Path, max_bytes: int) -> Staged:
    """Stage `(temporary path, original name)` pairs; later files with the same name replace earlier ones."""
    staged = Staged()
    for src, name in files:
        try:
            path = stage_one(src, name, dest_dir, max_bytes)
        except InputError as exc:
            staged.refused.append(str(exc))
            continue
        if path not in staged.accepted:
            staged.accepted.append(path)
    return staged
