"""The Relations tab's HTML: a graph of who did what to whom, the table of edges, and their sentences.

Entities are nodes and grouped edges are arrows labelled with the relation, drawn wider the more
articles say so. The layout is networkx's spring layout (seeded: the same edges draw the same
picture); the SVG is written here, locally, with every label escaped — no CDN, no browser library.
Each arrow and each table row carries `data-edge`; a click shows that edge's sentences, highlighted
in their paragraphs like citations (`RELATIONS_JS`; the panes are rendered with the page, so a click
needs no server round trip). It does not group or filter edges (`qa/relations.py`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from qa.relations import PAST, Group, when
from ui.assets import SOURCES_CSS
from ui.render import esc, quote_in_paragraph

WIDTH, HEIGHT = 900, 560
MARGIN = 70
LABEL_CHARS = 28
COLOURS = {
    "sanction": "#b45309",
    "supply": "#2563eb",
    "attack": "#dc2626",
    "produce": "#7c3aed",
    "accuse": "#0f766e",
    "condemn": "#4b5563",
    "meet": "#059669",
    "kill": "#7f1d1d",
}
SENTENCES_SHOWN = 6  # per edge, in its pane


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _layout(groups: Sequence[Group]) -> dict[str, tuple[float, float]]:
    """Node positions in the drawing's pixel box (spring layout, fixed seed)."""
    import networkx as nx

    graph = nx.Graph()
    for g in groups:
        graph.add_edge(_node(g.subject), _node(g.object), weight=1 + math.log2(g.sources))
    if graph.number_of_nodes() == 1:
        return {n: (WIDTH / 2, HEIGHT / 2) for n in graph.nodes}
    pos = nx.spring_layout(graph, seed=7, k=1.6 / math.sqrt(graph.number_of_nodes()), iterations=200)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {
        n: (
            MARGIN + (x - min(xs)) / span_x * (WIDTH - 2 * MARGIN),
            MARGIN / 2 + (y - min(ys)) / span_y * (HEIGHT - MARGIN),
        )
        for n, (x, y) in pos.items()
    }


def _node(key: str) -> str:
    return key or "(not named)"


def graph_svg(groups: Sequence[Group]) -> str:
    """The groups as a directed graph in SVG; arrow k has `data-edge="k"` (its index in `groups`)."""
    if not groups:
        return ""
    pos = _layout(groups)
    pairs: dict[frozenset[str], int] = {}
    arrows, labels = [], []
    for k, g in enumerate(groups):
        a, b = _node(g.subject), _node(g.object)
        (x1, y1), (x2, y2) = pos[a], pos[b]
        nth = pairs.get(frozenset((a, b)), 0)
        pairs[frozenset((a, b))] = nth + 1
        bend = (nth + 1) // 2 * 36 * (1 if nth % 2 else -1) if nth else 0
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        cx, cy = mx - (y2 - y1) / length * bend, my + (x2 - x1) / length * bend
        colour = COLOURS.get(g.relation, "#374151")
        width = 1.2 + 1.6 * math.log2(1 + g.sources)
        dash = ' stroke-dasharray="6 4"' if g.hedge else ""
        title = f"{g.label} · {g.sources} source{'s' if g.sources > 1 else ''}"
        arrows.append(
            f'<path class="rel-arrow" data-edge="{k}" d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}" '
            f'stroke="{colour}" stroke-width="{width:.1f}" fill="none" marker-end="url(#arrow-{g.relation})"'
            f"{dash}><title>{esc(title)}</title></path>"
        )
        lx, ly = (mx + cx) / 2, (my + cy) / 2
        labels.append(
            f'<text class="rel-label" data-edge="{k}" x="{lx:.1f}" y="{ly:.1f}" fill="{colour}">'
            f"{esc(PAST[g.relation])}</text>"
        )
    nodes = [
        f'<g class="rel-node"><circle cx="{x:.1f}" cy="{y:.1f}" r="7"/><text x="{x:.1f}" y="{y - 11:.1f}">'
        f"{esc(_short(name))}</text><title>{esc(name)}</title></g>"
        for name, (x, y) in pos.items()
    ]
    markers = "".join(
        # sized in the drawing's units, not the stroke's: a wide arrow (many sources) keeps a small head,
        # which ends at the node's rim (radius 7) rather than its centre
        f'<marker id="arrow-{r}" viewBox="0 0 10 10" refX="19" refY="5" markerUnits="userSpaceOnUse" '
        f'markerWidth="11" markerHeight="11" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
        for r, c in COLOURS.items()
    )
    return (
        f'<svg class="rel-graph" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="Graph of {len(groups)} relation edges"><defs>{markers}</defs>'
        f"{''.join(arrows)}{''.join(labels)}{''.join(nodes)}</svg>"  # names on top: never hidden by a label
    )


def table(groups: Sequence[Group]) -> str:
    rows = "".join(
        f'<tr data-edge="{k}"><td>{esc(g.subject or "—")}</td><td><span class="rel-tag rel-{esc(g.relation)}">'
        f"{esc(PAST[g.relation])}</span>{' <em>' + esc(g.hedge) + '</em>' if g.hedge else ''}</td>"
        f"<td>{esc(g.object)}</td><td>{g.sources}</td><td>{esc(', '.join(d[:10] for d in g.dates[:2]))}</td></tr>"
        for k, g in enumerate(groups)
    )
    return (
        '<table class="rel-table"><thead><tr><th>who</th><th>did</th><th>to whom / what</th>'
        f"<th>sources</th><th>dates</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def detail(k: int, g: Group, doc_text: Callable[[str], str]) -> str:
    """The pane of edge k: each sentence highlighted in its paragraph, with title, date and id."""
    cards = [
        f'<div class="src-card"><div class="src-title">{esc(e.title or e.doc_id)}</div>'
        f"{quote_in_paragraph(doc_text, e.doc_id, e.start, e.end, e.quote, when(e))}</div>"
        for e in g.edges[:SENTENCES_SHOWN]
    ]
    more = len(g.edges) - SENTENCES_SHOWN
    tail = (
        f'<div class="src-meta">… and {more} more sentences: run qa relations to list them all.</div>'
        if more > 0
        else ""
    )
    return (
        f'<div class="rel-detail" data-edge-detail="{k}" hidden><div class="src-group-head">{esc(g.label)} · '
        f"{g.sources} source{'s' if g.sources > 1 else ''}</div>{''.join(cards)}{tail}</div>"
    )


def page(
    groups: Sequence[Group], total: int, doc_text: Callable[[str], str], note: str = "", caption: str = ""
) -> str:
    """The whole tab below its controls: what is shown and how much, the graph, the table and the
    (hidden) panes."""
    if not groups:
        message = note or "No relation edges match. Try another relation or entity, or ingest articles."
        return f'<div class="rel-empty">{esc(message)}</div>'
    count = f"{len(groups)} of {total} groups" if total > len(groups) else f"{total} groups"
    count = f"{caption}: {count}" if caption else count
    edges = sum(len(g.edges) for g in groups)
    panes = "".join(detail(k, g, doc_text) for k, g in enumerate(groups))
    return (
        f'<div class="rel-page"><div class="rel-count">{esc(count)} · {edges} sentences · click an arrow or a '
        f'row to read its sentences</div>{graph_svg(groups)}<div class="rel-split">{table(groups)}'
        f'<div class="rel-details"><div class="rel-hint">Pick an edge to see the sentences it rests on.</div>'
        f"{panes}</div></div></div>"
    )


# The sentence cards look like the citation cards of the chat's sources panel.
RELATIONS_CSS = (
    SOURCES_CSS
    + """
.rel-count { font-size: 0.88em; color: var(--body-text-color-subdued); margin: 4px 0 6px; }
.rel-empty { font-style: italic; color: var(--body-text-color-subdued); padding: 14px 4px; }
.rel-graph { width: 100%; max-height: 62vh; border: 1px solid var(--border-color-primary); border-radius: 12px;
             background: var(--background-fill-primary); }
.rel-arrow { cursor: pointer; opacity: 0.85; }
.rel-arrow:hover, .rel-arrow.picked { opacity: 1; filter: drop-shadow(0 0 3px #facc15); }
.rel-label { font-size: 11px; cursor: pointer; paint-order: stroke; stroke: white; stroke-width: 3px;
             text-anchor: middle; }
.rel-node circle { fill: #1f2937; }
.rel-node text { font-size: 12px; font-weight: 600; text-anchor: middle; paint-order: stroke; stroke: white;
                 stroke-width: 3px; fill: #111827; }
.rel-split { display: flex; gap: 14px; align-items: flex-start; margin-top: 10px; flex-wrap: wrap; }
.rel-table { flex: 3 1 420px; border-collapse: collapse; font-size: 0.9em; }
.rel-table th, .rel-table td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--border-color-primary); }
.rel-table tbody tr { cursor: pointer; }
.rel-table tbody tr:hover, .rel-table tbody tr.picked { background: var(--color-accent-soft); }
.rel-tag { font-weight: 600; }
.rel-details { flex: 2 1 320px; max-height: 70vh; overflow-y: auto; }
.rel-hint { font-style: italic; color: var(--body-text-color-subdued); }
"""
)

RELATIONS_JS = """
element.addEventListener('click', function (event) {
  const hit = event.target.closest('[data-edge]');
  if (!hit) return;
  const k = hit.getAttribute('data-edge');
  element.querySelectorAll('.rel-detail').forEach(function (pane) {
    pane.hidden = pane.getAttribute('data-edge-detail') !== k;
  });
  element.querySelectorAll('[data-edge]').forEach(function (node) {
    node.classList.toggle('picked', node.getAttribute('data-edge') === k);
  });
  const hint = element.querySelector('.rel-hint');
  if (hint) hint.hidden = true;
  const pane = element.querySelector('.rel-detail[data-edge-detail="' + k + '"]');
  if (pane) pane.scrollIntoView({behavior: 'smooth', block: 'nearest'});
});
"""
