"""Evaluation's sub-commands of `qa`: `qa eval` (quality on gold sets and suites) and `qa bench` (speed).

Registered with the `qa` command through the `qa.commands` entry point (see pyproject.toml), so the
core never imports the harness. The heavy work is imported only when a command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qa.cli import friendly
from qa.errors import QAError
from qa.settings import load_settings


@click.command("eval")
@click.option(
    "--gold",
    "gold_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Gold JSONL file (default: eval/gold.jsonl).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("eval/runs/latest"),
    show_default=True,
    help="Folder for results.jsonl, summary.json and the report.",
)
@click.option(
    "--system",
    type=click.Choice(["ours", "peer", "both"]),
    default="ours",
    show_default=True,
    help="Our engine, llama-index's CitationQueryEngine, or both side by side.",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="A summary.json to compare with; exit 1 when a headline metric regresses past tolerance.",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N gold items.")
@click.option(
    "--suite",
    "suites",
    multiple=True,
    help="Run a suite in its own cached index instead of the current index (repeatable): all, seeds, "
    "seeds+distractors, realworld, ci-slice.",
)
@click.option(
    "--gate", is_flag=True, help="With --suite: compare each suite with eval/baseline/suites/<suite>.json."
)
@click.option(
    "--save-baseline", is_flag=True, help="With --suite: write each suite's result as its new baseline."
)
@friendly
def eval_command(
    gold_path: Path | None,
    out_dir: Path,
    system: str,
    baseline: Path | None,
    limit: int | None,
    suites: tuple[str, ...],
    gate: bool,
    save_baseline: bool,
) -> None:
    """Score the system(s) on the gold set and write a report."""
    from eval.run import run_eval, run_suites

    settings = load_settings()
    if suites and (gold_path or baseline):
        raise QAError("--suite brings its own gold file and baseline.", "Drop --gold/--baseline, or --suite.")
    if (gate or save_baseline) and not suites:
        raise QAError("--gate and --save-baseline work with --suite.", "Add --suite all (or a suite name).")
    if suites:
        failures = run_suites(settings, suites, out_dir, system, gate, limit, save_baseline, echo=click.echo)
    else:
        failures = run_eval(settings, gold_path, out_dir, system, baseline, limit, echo=click.echo)
    if failures:
        for line in failures:
            click.secho(f"REGRESSION: {line}", fg="red", err=True)
        sys.exit(1)


@click.command("bench")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("eval/bench.json"),
    show_default=True,
    help="JSON file for the results.",
)
@click.option("--quick", is_flag=True, help="Tiny sizes (minutes, for tests); size-bound targets read n/a.")
@click.option(
    "--peer-limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Gold questions for the side-by-side with the peer system.",
)
@click.option(
    "--skip",
    multiple=True,
    type=click.Choice(["floor", "answer", "cold", "ingest", "retrieval", "memory", "peer", "realistic"]),
    help="Leave out a section (repeatable).",
)
@friendly
def bench_command(out: Path, quick: bool, peer_limit: int, skip: tuple[str, ...]) -> None:
    """Measure speed on this machine against targets: table on screen, JSON in --out."""
    from eval.bench import run_bench

    run_bench(load_settings(), out, quick=quick, peer_limit=peer_limit, skip=skip, echo=click.echo)
