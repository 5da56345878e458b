"""The Relations tab's HTML without a browser: one arrow, row and pane per group, every label escaped."""

from __future__ import annotations

from qa.relations import group
from ui.relations_view import graph_svg, page
from vectorstore.edge import Edge

TEXT = (
    "Intro line.\nThe EU sanctioned seven individuals and seven entities. Iran sold drones to <b>Russia</b>."
)
A, B = TEXT.index("The EU"), TEXT.index("Iran")
EU = Edge(
    "sanction",
    "EU",
    "seven individuals and seven entities",
    "d1",
    A,
    B - 1,
    TEXT[A : B - 1],
    verb="sanctioned",
)
EVIL = Edge(
    "supply",
    "Iran",
    "<img src=x onerror=alert(1)>",
    "d1",
    B,
    len(TEXT),
    TEXT[B:],
    verb="sold",
    hedge="alleged",
)


def test_one_arrow_row_and_pane_per_group_and_nothing_unescaped() -> None:
    groups = group([EU, EVIL])
    html = page(groups, total=5, doc_text=lambda _: TEXT, caption="all relations")
    for k in range(len(groups)):
        assert html.count(f'data-edge="{k}"') == 3  # the arrow, its label, the table row
        assert f'data-edge-detail="{k}" hidden' in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>" not in html  # document text is escaped in the panes too
    assert "all relations: 2 of 5 groups" in html
    assert "<mark>The EU sanctioned seven individuals and seven entities.</mark>" in html
    assert 'stroke-dasharray="6 4"' in html  # the alleged edge is drawn dashed


def test_the_same_edges_draw_the_same_picture() -> None:
    groups = group([EU, EVIL])
    assert graph_svg(groups) == graph_svg(groups)


def test_no_groups_is_a_message_not_a_graph() -> None:
    html = page([], total=0, doc_text=lambda _: "", note="No documents yet.")
    assert "No documents yet." in html and "<svg" not in html
