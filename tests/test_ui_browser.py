"""The UI in Debian's Chromium (Playwright, sync API): chips, highlighted sources, XSS, abstention, and
the Relations tab (graph, table, an edge's sentences).

One app per module over a copy of the seeded index; answers use the extractive mode (picked in the UI)
so no model call slows the browser down. Saves `docs/screenshot.png` of a cited answer and
`docs/relations.png` of the Relations tab.
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "docs" / "screenshot.png"
RELATIONS_SHOT = ROOT / "docs" / "relations.png"
ANSWER_MS = 180_000
XSS_ARTICLE = (
    "Quux drone <script>window.__xss=1</script> inquiry report\n"
    "The Zorbanian inquiry found that the Quux Corporation shipped 12 drones through the port of Blorvik "
    '<img src=x onerror="window.__xss=1"> last spring.\n'
    "Investigators said the Blorvik shipments were never declared to customs.\n"
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.real,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is not installed at "
        "/usr/bin/chromium (apt-get install -y chromium chromium-driver, or `make browser`)",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(
    seed_settings: Any, seed_store: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    from ui.app import build_app

    data_dir = tmp_path_factory.mktemp("ui_browser_data")
    assert seed_store.count() > 0
    shutil.copytree(seed_settings.data_dir / "chroma", data_dir / "chroma")
    settings = seed_settings.model_copy(update={"data_dir": data_dir})
    app = build_app(settings)
    port = free_port()
    app.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True)
    try:
        yield {"url": f"http://127.0.0.1:{port}/", "settings": settings}
    finally:
        app.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, served: dict[str, Any]) -> Iterator[Any]:
    """A fresh tab on the app, failing the test on any alert/confirm dialog."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    tab.set_default_timeout(30_000)
    tab.goto(served["url"])
    tab.locator("#chat").wait_for()
    yield tab
    assert tab.dialogs == [], f"a dialog opened: {tab.dialogs}"
    context.close()


def _extractive(page: Any) -> None:
    page.get_by_label("Extractive only (no model call)").check()


def _ask(page: Any, question: str, kind: str = "answer") -> Any:
    """Type and send a question; wait for the verified answer bubble (`kind`: answer, abstain)."""
    before = page.locator(f"#chat .msg.bot.{kind}").count()
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    bubble = page.locator(f"#chat .msg.bot.{kind}").nth(before)
    bubble.wait_for(timeout=ANSWER_MS)
    return bubble


def test_cited_answer_chip_brings_the_highlighted_quote_into_view(page: Any) -> None:
    from playwright.sync_api import expect

    _extractive(page)
    bubble = _ask(page, "Who sanctioned whom?")
    expect(page.locator("#chat .msg.bot.drafting, #chat .msg.bot.pending")).to_have_count(0)
    chips = bubble.locator("a.chip")
    assert chips.count() >= 1
    target = None
    for i in range(chips.count()):
        source_id = chips.nth(i).get_attribute("data-src")
        assert chips.nth(i).get_attribute("href") == f"#{source_id}"
        if "seven individuals" in page.locator(f"#{source_id} mark").inner_text():
            target = chips.nth(i)
            break
    assert target is not None, "no chip cites the 'seven individuals' sentence"
    mark = page.locator(f"#{target.get_attribute('data-src')} mark")

    # Push the card out of view: a short window, the panel scrolled to its end.
    page.set_viewport_size({"width": 1280, "height": 420})
    page.locator("#sources .sources").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(mark).not_to_be_in_viewport()
    target.click()
    expect(mark).to_be_in_viewport()
    expect(mark).to_contain_text("seven individuals and seven entities")
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"

    # The screenshot for the README: a cited answer with its highlighted source.
    page.set_viewport_size({"width": 1400, "height": 960})
    page.evaluate("window.scrollTo(0, 0)")
    target.click()
    expect(mark).to_be_in_viewport()
    page.wait_for_timeout(700)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))


def test_hostile_article_is_shown_as_text_and_runs_nothing(page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    article = tmp_path / "quux_report.txt"
    article.write_text(XSS_ARTICLE, encoding="utf-8")
    page.get_by_role("tab", name="Documents").click()
    page.locator("#upload input[type=file]").set_input_files(str(article))
    expect(page.locator("#upload")).to_contain_text("quux_report.txt")
    page.locator("#add-docs").click()
    expect(page.locator(".status")).to_contain_text("Added: quux_report", timeout=ANSWER_MS)
    expect(page.locator("#docs")).to_contain_text("Quux drone <script>window.__xss=1</script> inquiry report")

    page.get_by_role("tab", name="Chat").click()
    _extractive(page)
    _ask(page, "How many drones did the Quux Corporation ship through Blorvik?")
    page.wait_for_timeout(500)  # give any injected handler the chance to run
    assert page.evaluate("window.__xss") is None
    sources = page.locator("#sources")
    expect(sources).to_contain_text('<img src=x onerror="window.__xss=1">')
    expect(sources).to_contain_text("Quux drone <script>window.__xss=1</script> inquiry report")
    for panel in ("#chat", "#sources"):
        assert page.locator(f"{panel} script, {panel} img, {panel} [onerror]").count() == 0


def test_examples_feedback_and_abstention(page: Any, served: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    _extractive(page)
    page.get_by_role("button", name="Where were the drones shipped across?").click()
    answer = page.locator("#chat .msg.bot.answer")
    answer.wait_for(timeout=ANSWER_MS)
    expect(answer.locator("a.chip").first).to_be_visible()
    expect(page.locator("#sources mark").first).to_contain_text("Caspian Sea")

    page.locator("#rate-up").click()
    expect(page.get_by_text("Rated helpful")).to_be_visible()
    lines = (served["settings"].data_dir / "feedback.jsonl").read_text().splitlines()
    entry = json.loads(lines[-1])
    assert entry["rating"] == "up" and entry["question"] == "Where were the drones shipped across?"
    assert entry["citations"] and "Caspian Sea" in entry["citations"][0]["quote"]

    page.get_by_role("button", name="Who won the 2022 World Cup?").click()
    abstain = page.locator("#chat .msg.bot.abstain")
    abstain.wait_for(timeout=ANSWER_MS)
    expect(abstain).to_contain_text("The documents don't say")
    expect(abstain).to_contain_text("Closest sources")
    assert abstain.locator("a.chip").count() == 0
    expect(page.locator("#sources .src-group.latest")).to_contain_text("No source was cited")


def test_relations_tab_graph_table_and_an_edges_sentences(page: Any) -> None:
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1400, "height": 1000})
    page.get_by_role("tab", name="Relations").click()
    graph = page.locator("#relations svg.rel-graph")
    graph.wait_for(timeout=60_000)
    assert page.locator("#relations path.rel-arrow").count() >= 10
    assert page.locator("#relations script").count() == 0

    # Only sanctions involving Iran (typed as its capital: aliases count).
    page.locator("#rel-relation input").click()
    page.get_by_role("option", name="sanction", exact=True).click()
    page.locator("#rel-entity textarea, #rel-entity input").first.fill("Tehran")
    page.locator("#rel-show").click()
    expect(page.locator("#relations .rel-count")).to_contain_text("sanction · involving Tehran")
    first_row = page.locator("#relations .rel-table tbody tr").first
    expect(first_row).to_contain_text("seven individuals and seven entities")
    assert "attacked" not in page.locator("#relations .rel-table").inner_text()

    # Clicking the row shows the sentence highlighted in its paragraph.
    first_row.click()
    pane = page.locator('#relations .rel-detail[data-edge-detail="0"]')
    expect(pane).to_be_visible()
    expect(pane.locator("mark").first).to_contain_text(
        "the EU sanctioned seven individuals and seven entities"
    )
    # So does clicking its arrow in the graph (the same handler, reached from the SVG).
    page.locator("#relations .rel-table tbody tr").nth(1).click()
    expect(pane).to_be_hidden()
    page.locator('#relations path.rel-arrow[data-edge="0"]').dispatch_event("click")
    expect(pane).to_be_visible()
    expect(page.locator('#relations path.rel-arrow[data-edge="0"]')).to_have_class("rel-arrow picked")
    page.wait_for_timeout(300)
    page.locator("#relations").screenshot(path=str(RELATIONS_SHOT))
