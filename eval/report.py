"""Write an evaluation run as `report.md` and a self-contained `report.html` (plus the two PNG plots).

The HTML needs nothing but itself: plots are matplotlib (Agg) PNGs embedded as base64 data URIs, the
style is inline, and every piece of run data (system names, questions, answers, manifest values) is
HTML-escaped, so a hostile answer cannot inject markup. The Markdown links the same PNGs as files.
Deliberately not done here: scoring (`eval.metrics`) or deciding whether the run passes.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.metrics import FAILURES, strip_markers

SUMMARY_KEYS = (
    "n",
    "answer_correct",
    "token_f1",
    "retrieval_hit_at_k",
    "retrieval_mrr",
    "citation_validity",
    "citation_recall",
    "citation_precision",
    "source_precision",
    "source_recall",
    "abstain_correct",
    "false_abstain",
    "right_when_flagged",
    "right_when_unflagged",
    "latency_ms_p50",
    "latency_ms_p95",
    "first_token_ms_p50",
    "edge_precision",
    "edge_recall",
)
PLOTTED = (
    "answer_correct",
    "citation_validity",
    "citation_recall",
    "citation_precision",
    "abstain_correct",
    "false_abstain",
)
STAGES = ("retrieve", "generate", "verify", "total")
SHORT_ANSWER = 160  # characters of the answer shown in the per-question table

Row = Mapping[str, Any]


def write_report(
    out_dir: str | Path,
    summaries: Mapping[str, Mapping[str, Any]],
    rows_by_system: Mapping[str, Sequence[Row]],
    manifest: Mapping[str, Any],
) -> dict[str, Path]:
    """Write report.md, report.html, headline.png and latency.png into `out_dir`; return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plots = {"headline.png": headline_chart(summaries), "latency.png": latency_chart(rows_by_system)}
    for name, png in plots.items():
        (out / name).write_bytes(png)
    md, page = out / "report.md", out / "report.html"
    md.write_text(render_markdown(summaries, rows_by_system, manifest), encoding="utf-8")
    page.write_text(render_html(summaries, rows_by_system, manifest, plots), encoding="utf-8")
    return {"markdown": md, "html": page, **{name: out / name for name in plots}}


# --- tables shared by both formats -----------------------------------------------------------------


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{value:.1f}"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _summary_table(summaries: Mapping[str, Mapping[str, Any]]) -> tuple[list[str], list[list[str]]]:
    systems = list(summaries)
    return ["metric", *systems], [
        [key, *(fmt(summaries[s].get(key)) for s in systems)] for key in SUMMARY_KEYS
    ]


def _failure_table(summaries: Mapping[str, Mapping[str, Any]]) -> tuple[list[str], list[list[str]]]:
    systems = list(summaries)
    rows = [[f, *(str((summaries[s].get("failures") or {}).get(f, 0)) for s in systems)] for f in FAILURES]
    return ["failure", *systems], rows


def _question_table(rows: Sequence[Row]) -> tuple[list[str], list[list[str]]]:
    """Failures first (in the fixed failure order), then passes; ids break ties so the order is stable."""
    order = {f: i for i, f in enumerate(FAILURES)}
    ranked = sorted(
        rows,
        key=lambda r: (r.get("failure") is None, order.get(r.get("failure") or "", 99), str(r.get("id"))),
    )
    body = [
        [
            str(r.get("id", "")),
            str((r.get("gold") or {}).get("question", "")),
            r.get("failure") or "",
            fmt((r.get("scores") or {}).get("answer_correct")),
            _short(str((r.get("response") or {}).get("answer", ""))),
        ]
        for r in ranked
    ]
    return ["id", "question", "failure", "answer_correct", "answer"], body


def _short(answer: str) -> str:
    text = strip_markers(answer)
    return text if len(text) <= SHORT_ANSWER else text[: SHORT_ANSWER - 1].rstrip() + "…"


# --- Markdown --------------------------------------------------------------------------------------


def render_markdown(
    summaries: Mapping[str, Mapping[str, Any]],
    rows_by_system: Mapping[str, Sequence[Row]],
    manifest: Mapping[str, Any],
) -> str:
    parts = ["# Evaluation report", "", "## Run", md_table(["key", "value"], _manifest_rows(manifest))]
    parts += [
        "## Summary",
        md_table(*_summary_table(summaries)),
        "## Failures",
        md_table(*_failure_table(summaries)),
    ]
    parts += ["## Plots", "![Headline metrics](headline.png)", "", "![Latency per stage](latency.png)", ""]
    for system, rows in rows_by_system.items():
        parts += [f"## Questions: {_md_cell(system)}", md_table(*_question_table(rows))]
    return "\n".join(parts)


def _manifest_rows(manifest: Mapping[str, Any]) -> list[list[str]]:
    return [[str(k), fmt(v)] for k, v in manifest.items()]


def _md_cell(text: str) -> str:
    """Escaped for a Markdown table cell: no raw HTML, no column breaks, one line."""
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# --- HTML ------------------------------------------------------------------------------------------

_STYLE = """body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem;color:#222}
table{border-collapse:collapse;margin:0.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:0.25rem 0.5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}tr.fail td{background:#fff3f3}img{max-width:100%}"""


def render_html(
    summaries: Mapping[str, Mapping[str, Any]],
    rows_by_system: Mapping[str, Sequence[Row]],
    manifest: Mapping[str, Any],
    plots: Mapping[str, bytes],
) -> str:
    body = [
        "<h1>Evaluation report</h1>",
        "<h2>Run</h2>",
        _html_table(["key", "value"], _manifest_rows(manifest)),
    ]
    body += ["<h2>Summary</h2>", _html_table(*_summary_table(summaries))]
    body += ["<h2>Failures</h2>", _html_table(*_failure_table(summaries)), "<h2>Plots</h2>"]
    body += [_img(png, name) for name, png in plots.items()]
    for system, rows in rows_by_system.items():
        header, table = _question_table(rows)
        body += [f"<h2>Questions: {_esc(system)}</h2>", _html_table(header, table, mark_failures=True)]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Evaluation report</title>'
        f"<style>{_STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _html_table(header: list[str], rows: list[list[str]], mark_failures: bool = False) -> str:
    head = "<tr>" + "".join(f"<th>{_esc(h)}</th>" for h in header) + "</tr>"
    lines = []
    for row in rows:
        # In question tables column 2 is the failure: tint failing rows so they stand out.
        css = ' class="fail"' if mark_failures and row[2] else ""
        lines.append(f"<tr{css}>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>")
    return "<table>" + head + "".join(lines) + "</table>"


def _img(png: bytes, name: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<p><img alt="{_esc(name)}" src="data:image/png;base64,{data}"></p>'


# --- plots -----------------------------------------------------------------------------------------


def _new_figure(width: float, height: float) -> Any:
    """A figure on the Agg canvas, without pyplot (no global state, no display needed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})  # no version stamp
    return buffer.getvalue()


def _label(text: str) -> str:
    return text.replace("$", r"\$")  # a "$" would otherwise switch matplotlib into math mode


def headline_chart(summaries: Mapping[str, Mapping[str, Any]]) -> bytes:
    """Grouped bars: one group per headline metric, one bar per system (a missing metric draws no bar)."""
    fig = _new_figure(9, 4)
    ax = fig.subplots()
    systems = list(summaries)
    width = 0.8 / max(1, len(systems))
    for i, system in enumerate(systems):
        heights = [_number(summaries[system].get(m)) for m in PLOTTED]
        xs = [k + (i - (len(systems) - 1) / 2) * width for k in range(len(PLOTTED))]
        bars = ax.bar(xs, heights, width=width, label=_label(system))
        # Print values on the bars: a 0.0 bar is otherwise invisible and a missing one looks like 0.
        ax.bar_label(bars, labels=[f"{h:.2f}" if h == h else "n/a" for h in heights], fontsize=7)
    ax.set_xticks(range(len(PLOTTED)), [m.replace("_", "\n") for m in PLOTTED])
    ax.set_ylim(0, 1.12)
    ax.set_title("Headline metrics (false abstain: lower is better)")
    if systems:
        ax.legend(loc="upper right", fontsize="small")
    return _png(fig)


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else float("nan")


def latency_chart(rows_by_system: Mapping[str, Sequence[Row]]) -> bytes:
    """One panel per stage (retrieve, generate, verify, total): a box of latencies per system."""
    fig = _new_figure(12, 3.5)
    axes = fig.subplots(1, len(STAGES))
    for ax, stage in zip(axes, STAGES, strict=True):
        data, labels = [], []
        for system, rows in rows_by_system.items():
            values = [_number(((r.get("response") or {}).get("timings_ms") or {}).get(stage)) for r in rows]
            values = [v for v in values if v == v]  # drop NaN (stage not reported)
            if values:
                data.append(values)
                labels.append(_label(system))
        if data:
            ax.boxplot(data, positions=range(1, len(data) + 1))
            ax.set_xticks(range(1, len(data) + 1), labels)
        else:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        ax.set_title(stage)
        ax.set_ylabel("ms")
    fig.tight_layout()
    return _png(fig)
