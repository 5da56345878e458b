"""Gold-file loading: valid files become GoldItems; every kind of bad line is named with file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.gold import GoldItem, Turn, load_gold
from qa.errors import InputError

GOOD = {
    "id": "q1",
    "question": "How many drones were shot down?",
    "answer": "59 of 116.",
    "must_include": [["59"], ["116", "one hundred sixteen"]],
    "sources": ["doc-a"],
    "answerable": True,
}
UNANSWERABLE = {
    "id": "q2",
    "question": "Who won in 2030?",
    "answer": "",
    "must_include": [],
    "sources": [],
    "answerable": False,
}


def write(tmp_path: Path, *lines: object) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8"
    )
    return path


def error_for(tmp_path: Path, *lines: object) -> str:
    path = write(tmp_path, *lines)
    with pytest.raises(InputError) as info:
        load_gold(path)
    return info.value.message


def test_valid_file_loads_items_with_tuples_and_history(tmp_path: Path) -> None:
    with_history = {**GOOD, "id": "q3", "history": [{"role": "user", "content": "Hi"}], "tags": ["number"]}
    items = load_gold(write(tmp_path, GOOD, "", "   ", UNANSWERABLE, with_history))
    assert [i.id for i in items] == ["q1", "q2", "q3"]
    assert items[0].must_include == (("59",), ("116", "one hundred sixteen"))
    assert items[2].history == (Turn("user", "Hi"),) and items[2].tags == ("number",)
    assert isinstance(items[0], GoldItem) and items[1].answerable is False
    assert items[2].to_dict()["history"] == [{"role": "user", "content": "Hi"}]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "bad JSON"),
        ("[1, 2]", "expected a JSON object"),
        ({k: v for k, v in GOOD.items() if k != "answer"}, "missing key 'answer'"),
        ({**GOOD, "extra": 1}, "unknown key 'extra'"),
        ({**GOOD, "answerable": "yes"}, "'answerable' must be true or false"),
        ({**GOOD, "must_include": ["59"]}, "'must_include' must be a list of non-empty lists"),
        ({**GOOD, "sources": "doc-a"}, "'sources' must be a list"),
        ({**GOOD, "id": ""}, "'id' must be a non-empty string"),
        ({**GOOD, "history": [{"role": "system", "content": "x"}]}, 'bad role "system"'),
        ({**GOOD, "history": [{"role": "user"}]}, "exactly 'role' and 'content'"),
        ({**UNANSWERABLE, "must_include": [["x"]]}, "unanswerable item must have empty 'must_include'"),
        ({**UNANSWERABLE, "sources": ["doc-a"]}, "unanswerable item must have empty 'sources'"),
    ],
)
def test_each_problem_names_file_and_line(tmp_path: Path, line: object, problem: str) -> None:
    message = error_for(tmp_path, GOOD, "", line)  # the bad line is line 3 (blank lines still count)
    assert f"{tmp_path / 'gold.jsonl'}:3: " in message
    assert problem in message


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    message = error_for(tmp_path, GOOD, UNANSWERABLE, {**GOOD})
    assert ":3: duplicate id 'q1' (first used on line 1)" in message


def test_all_problems_are_collected_and_listing_is_capped(tmp_path: Path) -> None:
    bad = [{**GOOD, "id": f"b{i}", "extra": i} for i in range(12)]
    message = error_for(tmp_path, GOOD, *bad)
    assert "has 12 problem(s)" in message
    assert ":2: unknown key 'extra'" in message and ":11: unknown key 'extra'" in message
    assert ":13:" not in message and "... and 2 more" in message


def test_one_bad_line_stops_everything(tmp_path: Path) -> None:
    message = error_for(tmp_path, GOOD, UNANSWERABLE, "{oops")
    assert ":3: bad JSON" in message


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_file_is_an_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="no questions"):
        load_gold(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_gold(tmp_path / "nope.jsonl")


def test_the_committed_gold_files_load_with_a_fixed_split() -> None:
    root = Path(__file__).resolve().parent.parent / "eval"
    names = sorted(p.name for p in root.glob("gold*.jsonl") if p.name != "gold_edges.jsonl")
    assert {"gold.jsonl", "gold_realworld.jsonl", "gold_fresh11.jsonl"} <= set(names)
    for name in names:  # every committed file loads: `qa eval --gold FILE` works on each
        items = load_gold(root / name)
        assert len({i.id for i in items}) == len(items)
        assert {i.split for i in items} <= {"tune", "report"}
    fresh = load_gold(root / "gold_fresh.jsonl")
    assert len(fresh) == 30 and {i.split for i in fresh} == {"tune"}  # tuning material only
    for name in names:
        if name.startswith("gold_fresh") and name != "gold_fresh.jsonl":
            items = load_gold(root / name)
            assert len(items) in (30, 40) and {i.split for i in items} == {"tune"}, name
