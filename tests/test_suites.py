"""Fast tier: suite definitions, file selection and the index cache key (no model, no store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval import suites
from eval.gold import load_gold
from qa.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def _articles(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(f"Headline {i}\n\nBody {i}.\n", encoding="utf-8")
    return folder


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    _articles(tmp_path / "corpus" / "bbc", 40)
    _articles(tmp_path / "corpus" / "ukrwar", 10)
    return tmp_path / "corpus"


def test_all_means_the_full_suites_once_each_and_unknown_names_are_refused() -> None:
    assert [s.name for s in suites.resolve(("all", "seeds"))] == list(suites.FULL)
    assert [s.name for s in suites.resolve(("ci-slice",))] == ["ci-slice"]
    with pytest.raises(InputError, match=r"Unknown suite 'nope'.*realworld"):
        suites.resolve(("nope",))


def test_the_ci_slice_gates_quality_and_the_full_suites_latency_too() -> None:
    from eval.metrics import regression
    from eval.run import tolerances

    baseline = {"answer_correct": 0.7, "latency_ms_p50": 200.0}
    slow = {"answer_correct": 0.7, "latency_ms_p50": 900.0}  # a loaded machine during `make test`
    assert regression(slow, baseline, tolerances(suites.SUITES["ci-slice"])) == []
    assert regression({**slow, "answer_correct": 0.6}, baseline, tolerances(suites.SUITES["ci-slice"]))
    assert any("latency" in line for line in regression(slow, baseline, tolerances(suites.SUITES["seeds"])))


def test_files_put_the_seeds_first_and_the_slice_samples_evenly(corpus: Path) -> None:
    full = suites.files(suites.SUITES["seeds+distractors"], ROOT / "seeds", corpus)
    assert [p.parent.name for p in full[:5]] == ["seeds"] * 5 and len(full) == 55
    slice_ = suites.Suite("s", Path("g"), ("seeds", "bbc", "ukrwar"), "", sample=10)
    picked = suites.files(slice_, ROOT / "seeds", corpus)
    assert len(picked) == 15 and {p.parent.name for p in picked[5:]} == {"bbc", "ukrwar"}


def test_a_missing_corpus_folder_says_where_and_what_to_set(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="QA_CORPUS_DIR") as err:
        suites.files(suites.SUITES["realworld"], ROOT / "seeds", tmp_path / "absent")
    assert str(tmp_path / "absent" / "bbc") in err.value.message


def test_the_cache_key_follows_content_and_chunking_not_paths(corpus: Path, tmp_path: Path) -> None:
    files = sorted((corpus / "bbc").iterdir())
    key = suites.index_key(files, 300, 0)
    assert suites.index_key(files, 300, 0) == key
    assert suites.index_key(files, 400, 0) != key
    assert suites.index_key(files, 300, 1) != key
    copy = _articles(tmp_path / "elsewhere", 40)  # the same names and bytes in another folder
    assert suites.index_key(sorted(copy.iterdir()), 300, 0) == key
    files[3].write_text("Headline 3\n\nBody changed.\n", encoding="utf-8")
    assert suites.index_key(files, 300, 0) != key


def test_every_suite_gold_file_is_valid_and_split() -> None:
    for suite in suites.SUITES.values():
        items = load_gold(suite.gold)[:: suite.gold_stride]
        assert items and {i.split for i in items} == {"tune", "report"}, suite.name
    assert len(load_gold(suites.SUITES["ci-slice"].gold)[::5]) == suites.SLICE_QUESTIONS


def test_realworld_gold_has_what_the_issue_asks() -> None:
    items = load_gold(suites.SUITES["realworld"].gold)
    answerable = [i for i in items if i.answerable]
    assert len(items) >= 60
    assert len([i for i in items if not i.answerable]) >= 15
    assert len([i for i in answerable if len(set(i.sources)) >= 2 and "multi" in i.tags]) >= 10
    for tag in ("number", "name", "date", "relation", "quote"):
        assert any(tag in i.tags for i in answerable), tag


@pytest.mark.skipif(
    not (CORPUS / "ukrwar").is_dir(), reason="../shared/corpus not present (realistic corpus)"
)
def test_realworld_answers_are_in_their_sources() -> None:
    """Each accepted alternative of each fact occurs in one of the item's source articles."""
    for item in load_gold(suites.SUITES["realworld"].gold):
        texts = [(CORPUS / "ukrwar" / f"{s}.txt").read_text(encoding="utf-8").lower() for s in item.sources]
        for fact in item.must_include:
            assert any(alt.lower() in t for alt in fact for t in texts), (item.id, fact)
