"""Load and validate the gold question file (JSONL) into immutable `GoldItem`s.

Validation is all-or-nothing: every problem in the file is collected first and one `InputError`
lists them (up to ten), each as `file:line: problem`, so a broken file never yields a partial run.
Deliberately not done here: scoring, reading documents, or checking that `sources` name documents
that exist in the store (the runner knows the corpus; this module only knows the file).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import InputError

REQUIRED_KEYS = ("id", "question", "answer", "must_include", "sources", "answerable")
OPTIONAL_KEYS = ("history", "tags", "split")
SPLITS = ("tune", "report")  # a fixed split: rules are tuned on one part and reported on the other
ROLES = ("user", "assistant")
MAX_LISTED = 10  # problems shown in the error; the rest are counted


@dataclass(frozen=True)
class Turn:
    """One earlier conversation turn given to the system before the gold question."""

    role: str
    content: str


@dataclass(frozen=True)
class GoldItem:
    """One gold question. `must_include` holds facts; each fact is a tuple of accepted alternatives."""

    id: str
    question: str
    answer: str
    must_include: tuple[tuple[str, ...], ...]
    sources: tuple[str, ...]
    answerable: bool
    history: tuple[Turn, ...] = ()
    tags: tuple[str, ...] = ()
    split: str = ""  # "tune" or "report"; "" for a file without a split

    def messages(self) -> list[dict[str, str]] | None:
        """The earlier turns as chat messages for `Answerer.answer`; None without history."""
        return [{"role": t.role, "content": t.content} for t in self.history] or None

    def to_dict(self) -> dict[str, Any]:
        """The item in the file's JSON shape (lists, not tuples), for reports and run records."""
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "must_include": [list(fact) for fact in self.must_include],
            "sources": list(self.sources),
            "answerable": self.answerable,
            "history": self.messages() or [],
            "tags": list(self.tags),
            **({"split": self.split} if self.split else {}),
        }


def load_gold(path: str | Path) -> list[GoldItem]:
    """Read and validate `path`; raise one `InputError` listing every problem if anything is wrong."""
    path = Path(path)
    text = _read_text(path)
    items: list[GoldItem] = []
    problems: list[str] = []
    first_line_of: dict[str, int] = {}  # id -> line it first appeared on, for duplicate messages
    # Split on "\n" only: str.splitlines() would also break inside strings holding U+2028 and friends.
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        item_id, item, line_problems = _parse_line(line)
        if item_id is not None and item_id in first_line_of:
            line_problems.append(f"duplicate id {item_id!r} (first used on line {first_line_of[item_id]})")
        elif item_id is not None:
            first_line_of[item_id] = lineno
        problems.extend(f"{path}:{lineno}: {p}" for p in line_problems)
        if item is not None and not line_problems:
            items.append(item)
    if not problems and not items:
        raise InputError(f"Gold file {path} has no questions.", "Add one JSON object per line.")
    if problems:
        raise InputError(_summarise(path, problems), "Fix these lines; nothing was evaluated.")
    return items


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # tolerate a BOM from Windows editors
    except FileNotFoundError:
        raise InputError(f"Gold file {path} does not exist.", "Check the path.") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"Gold file {path} is not UTF-8 ({exc.reason}).", "Re-save it as UTF-8.") from None
    except OSError as exc:
        raise InputError(f"Gold file {path} cannot be read: {exc.strerror}.", "Check permissions.") from None


def _summarise(path: Path, problems: list[str]) -> str:
    shown = "\n".join(f"  {p}" for p in problems[:MAX_LISTED])
    more = f"\n  ... and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
    return f"Gold file {path} has {len(problems)} problem(s):\n{shown}{more}"


def _parse_line(line: str) -> tuple[str | None, GoldItem | None, list[str]]:
    """Return the line's id (when usable, even if the line is bad), its item (when valid) and problems."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, None, [f"bad JSON: {exc.msg} at column {exc.colno}"]
    if not isinstance(obj, dict):
        return None, None, [f"expected a JSON object, got {_type_name(obj)}"]
    item_id = obj["id"] if isinstance(obj.get("id"), str) and obj["id"].strip() else None
    problems = _key_problems(obj) + _type_problems(obj) + _consistency_problems(obj)
    return item_id, (None if problems else _build(obj)), problems


def _key_problems(obj: dict[str, Any]) -> list[str]:
    missing = [k for k in REQUIRED_KEYS if k not in obj]
    unknown = sorted(k for k in obj if k not in REQUIRED_KEYS + OPTIONAL_KEYS)
    problems = [f"missing key {k!r}" for k in missing]
    problems += [f"unknown key {k!r}" for k in unknown]
    return problems


def _type_problems(obj: dict[str, Any]) -> list[str]:
    """Type problems of the keys that are present (missing keys are reported elsewhere)."""
    problems: list[str] = []
    for key in ("id", "question"):
        if key in obj and not (isinstance(obj[key], str) and obj[key].strip()):
            problems.append(f"{key!r} must be a non-empty string, got {_show(obj[key])}")
    if "answer" in obj and not isinstance(obj["answer"], str):
        problems.append(f"'answer' must be a string, got {_type_name(obj['answer'])}")
    if "answerable" in obj and not isinstance(obj["answerable"], bool):
        problems.append(f"'answerable' must be true or false, got {_show(obj['answerable'])}")
    if "must_include" in obj and not _is_facts(obj["must_include"]):
        problems.append("'must_include' must be a list of non-empty lists of non-empty strings")
    for key in ("sources", "tags"):
        if key in obj and not _is_str_list(obj[key]):
            problems.append(f"{key!r} must be a list of non-empty strings")
    if "history" in obj:
        problems += _history_problems(obj["history"])
    if "split" in obj and obj["split"] not in SPLITS:
        problems.append(f"'split' must be one of {', '.join(SPLITS)}, got {_show(obj['split'])}")
    return problems


def _history_problems(history: Any) -> list[str]:
    if not isinstance(history, list):
        return [f"'history' must be a list of turns, got {_type_name(history)}"]
    problems: list[str] = []
    for i, turn in enumerate(history, start=1):
        if not isinstance(turn, dict) or set(turn) != {"role", "content"}:
            problems.append(f"history turn {i} must be an object with exactly 'role' and 'content'")
        elif turn["role"] not in ROLES:
            problems.append(
                f"history turn {i} has bad role {_show(turn['role'])} (use 'user' or 'assistant')"
            )
        elif not isinstance(turn["content"], str):
            problems.append(f"history turn {i} content must be a string")
    return problems


def _consistency_problems(obj: dict[str, Any]) -> list[str]:
    """An unanswerable item has nothing to find: no answer, no required facts, no sources."""
    if obj.get("answerable") is not False:
        return []
    return [
        f"unanswerable item must have empty {key!r}"
        for key in ("answer", "must_include", "sources")
        if obj.get(key)
    ]


def _build(obj: dict[str, Any]) -> GoldItem:
    return GoldItem(
        id=obj["id"],
        question=obj["question"],
        answer=obj["answer"],
        must_include=tuple(tuple(fact) for fact in obj["must_include"]),
        sources=tuple(obj["sources"]),
        answerable=obj["answerable"],
        history=tuple(Turn(t["role"], t["content"]) for t in obj.get("history", [])),
        tags=tuple(obj.get("tags", [])),
        split=obj.get("split", ""),
    )


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _is_facts(value: Any) -> bool:
    return isinstance(value, list) and all(_is_str_list(fact) and fact for fact in value)


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)[:40]
