"""Fast tier: cleaning, metadata, sentence splitting and chunking on the real seeds."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from vectorstore.boilerplate import boilerplate_ranges
from vectorstore.chunking import chunk_document
from vectorstore.html_text import html_to_text
from vectorstore.load import load_file, skip_ranges
from vectorstore.metadata import date_from_name, read_meta
from vectorstore.sentences import split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def _text(name: str) -> str:
    return (SEEDS / name).read_bytes().decode("utf-8")


def test_boilerplate_removed_from_seeds_is_exactly_this() -> None:
    removed = {
        p.name: [t[s:e].strip() for s, e in boilerplate_ranges(t)] for p in SEED_FILES if (t := _text(p.name))
    }
    assert removed["000_0e5bc8f3e6e9b2e9.txt"] == []
    assert removed["001_a95f361025911933.txt"] == [
        "Photo courtesy: Instagram/vladimir.putin_official",
        "Source: Twitter/@uarealitynow",
    ]
    assert removed["002_168af1313b18f44f.txt"] == [
        "Related video: Impact of a Russian strike on a village in Ukraine",
        "(Getty Images)",
        "(SPUTNIK/AFP via Getty Images)",
        "The Associated Press contributed to this report",
        "Thank you for registering",
        "Please refresh the page or navigate to another page on the site to be automatically logged in"
        "Please refresh your browser to be logged in",
    ]
    assert removed["003_fef7078a1548e2c8.txt"] == removed["004_2697c384f7114541.txt"] == []


def test_metadata_of_the_dated_seed() -> None:
    meta = read_meta(_text("002_168af1313b18f44f.txt"))
    assert (
        meta.title
        == "Russia is using more Iranian drones to bomb Ukrainian civilians, says US Defense Secretary Lloyd Austin"
    )
    assert meta.date == "2024-05-20T18:25"
    assert meta.author == "Gustaf Kilander"


@pytest.mark.parametrize(
    ("name", "date"),
    [
        ("ukrwar_20220623t143000z_us_en_c64c51f367", "2022-06-23"),
        ("2024-05-20-story", "2024-05-20"),
        ("news_20240101", "2024-01-01"),
        ("000_0e5bc8f3e6e9b2e9", ""),  # a hex id, no stamp
        ("a20220101b", ""),  # digits inside an id are no date
        ("x_20221340", ""),  # month 13
        ("report_2019_final", ""),  # a year alone is no date
    ],
)
def test_date_stamp_read_from_file_name(name: str, date: str) -> None:
    assert date_from_name(name) == date


def test_text_date_wins_over_name_date(tmp_path: Path) -> None:
    dated = tmp_path / "story_20200101.txt"
    dated.write_text(_text("002_168af1313b18f44f.txt"), encoding="utf-8")
    undated = tmp_path / "story_20200101b.txt"  # no stamp in this name
    undated.write_text("Headline\n\nBody text of the story.\n", encoding="utf-8")
    stamped = tmp_path / "wire_20220623t1430.txt"
    stamped.write_text("Headline\n\nBody text of the story.\n", encoding="utf-8")
    assert load_file(dated, 10**6).date == read_meta(_text("002_168af1313b18f44f.txt")).date != "2020-01-01"
    assert load_file(undated, 10**6).date == ""
    assert load_file(stamped, 10**6).date == "2022-06-23"


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_titles_are_first_lines(path: Path) -> None:
    doc = load_file(path, 10_000_000)
    first = _text(path.name).splitlines()[0].strip()
    assert first.startswith(doc.title.rstrip("…"))
    assert doc.doc_id == path.stem


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_sentences_and_chunks_map_back_to_the_file(path: Path) -> None:
    doc = load_file(path, 10_000_000)
    raw = path.read_bytes().decode("utf-8")
    assert doc.text == raw  # offsets point into the file exactly as read
    spans = split_sentences(doc.text, doc.skip)
    chunks = chunk_document(doc.doc_id, doc.text, spans, 600, 1)
    for s, e in spans:
        sentence = raw[s:e]
        assert sentence == sentence.strip() and sentence
        assert not any(s < b1 and b0 < e for b0, b1 in doc.skip), "a sentence overlaps boilerplate"
    for chunk in chunks:
        assert chunk.start == chunk.sentences[0][0] and chunk.end == chunk.sentences[-1][1]
        assert all(tuple(s) in spans for s in chunk.sentences)  # whole sentences only
        assert chunk.text == " ".join(" ".join(raw[s:e].split()) for s, e in chunk.sentences)
    covered = {s for c in chunks for s in c.sentences}
    assert covered == set(spans)  # nothing lost between chunks


def test_a_reader_of_the_stored_text_skips_the_photo_credit() -> None:
    # the engine's neighbour sentences come from `skip_ranges` of the stored text, as ingestion's do
    text = _text("001_a95f361025911933.txt")
    credit = text.index("Photo courtesy")
    assert any(s <= credit < e for s, e in split_sentences(text))  # a sentence of its own unless skipped
    assert all(not s <= credit < e for s, e in split_sentences(text, skip_ranges(text)))


def test_no_sentence_is_cut_at_abbreviations_or_initials() -> None:
    text = (
        "Charles Q. Brown Jr. spoke in the U.S. on Monday. About 600 sq. km is under water. Mr. Austin left."
    )
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == [
        "Charles Q. Brown Jr. spoke in the U.S. on Monday.",
        "About 600 sq. km is under water.",
        "Mr. Austin left.",
    ]


def test_chunk_ids_are_deterministic_and_change_with_text() -> None:
    text = "One sentence here. Two sentences here. Three sentences here."
    spans = split_sentences(text)
    a = [c.id for c in chunk_document("doc", text, spans, 40, 1)]
    b = [c.id for c in chunk_document("doc", text, spans, 40, 1)]
    assert a == b and len(set(a)) == len(a)
    edited = text.replace("Two", "Too")
    assert [c.id for c in chunk_document("doc", edited, split_sentences(edited), 40, 1)] != a


def test_overlap_repeats_sentences_between_chunks() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(10))
    chunks = chunk_document("d", text, split_sentences(text), 60, 1)
    for first, second in itertools.pairwise(chunks):
        assert first.sentences[-1] == second.sentences[0]


def test_html_reduced_to_article_text_without_markup() -> None:
    html = (
        "<html><head><title>Drones &amp; sanctions</title><script>alert(1)</script></head><body>"
        "<nav>Home | World</nav><article><h1>Drones</h1><p>The EU sanctioned <b>seven</b> people.</p>"
        "<p>Second <img src=x onerror=alert(1)> paragraph.</p></article><footer>(c) 2024</footer></body></html>"
    )
    text, title = html_to_text(html)
    assert title == "Drones & sanctions"
    assert text == "Drones\n\nThe EU sanctioned seven people.\n\nSecond paragraph."
    assert "<" not in text and "alert" not in text


def test_deeply_nested_html_does_not_crash() -> None:
    text, _ = html_to_text("<div>" * 50_000 + "deep text" + "</div>" * 50_000)
    assert text == "deep text"
