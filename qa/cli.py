"""The `qa` command: ingest, sources, ask, chat here; serve, eval and bench from other packages.

Each sub-command reads settings, builds what it needs through `qa.wiring`, and turns a `QAError`
into its message and exit code 1 (never a traceback). Imports are lazy so that `qa --help` and
`qa sources` start fast. Commands of the packages above `qa` (the UI's `serve`, eval's `eval` and
`bench`) are found through the `qa.commands` entry point group and loaded only when used, so `qa`
never imports `ui` or `eval` and works as a library without them (the layering test checks this).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any, TypeVar

import click

from qa.errors import QAError
from qa.settings import load_settings

F = TypeVar("F", bound=Callable[..., Any])


def friendly(func: F) -> F:
    """Run a command; user errors become a message on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except QAError as exc:
            click.secho(f"Error: {exc.message}", fg="red", err=True)
            if exc.hint:
                click.echo(exc.hint, err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


PLUGIN_GROUP = "qa.commands"


class _PluginGroup(click.Group):
    """A click group that also offers the commands other packages register under `PLUGIN_GROUP`."""

    def _plugins(self) -> dict[str, EntryPoint]:
        return {ep.name: ep for ep in entry_points(group=PLUGIN_GROUP) if ep.name not in self.commands}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*self.commands, *self._plugins()])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        plugin = self._plugins().get(cmd_name)
        return plugin.load() if plugin is not None else None


@click.group(cls=_PluginGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """A local question-answering chatbot over news articles, with verifiable citations."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--prune", is_flag=True, help="Also remove documents whose files are gone.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@friendly
def ingest(paths: tuple[Path, ...], prune: bool, quiet: bool) -> None:
    """Ingest article files and folders (default: the seeds folder) into the index."""
    from tqdm import tqdm

    from qa import wiring

    settings = load_settings()
    targets = list(paths) or [settings.seeds_dir]
    bar = None if quiet else tqdm(total=0, unit="chunk", desc="Embedding", leave=False, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.refresh()

    report = wiring.ingest(settings, targets, prune=prune, progress=progress)
    if bar is not None:
        bar.close()
    for warning in report.warnings:
        click.secho(f"Warning: {warning}", fg="yellow", err=True)
    click.echo(report.summary())
    if report.warnings and not (report.added or report.updated or report.unchanged):
        raise QAError("Nothing could be ingested.", "Fix the files named above and run `qa ingest` again.")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array instead of a table.")
@friendly
def sources(as_json: bool) -> None:
    """List the ingested documents (id, title, date, chunks)."""
    from qa import wiring

    records = sorted(wiring.store(load_settings()).doc_records().values(), key=lambda r: r.doc_id)
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in records], ensure_ascii=False, indent=1))
        return
    if not records:
        click.echo("No documents yet. Run `qa ingest` first.")
        return
    click.echo(f"{'id':<24} {'date':<16} {'chunks':>6}  title")
    for r in records:
        click.echo(f"{r.doc_id:<24} {r.date or '-':<16} {r.n_chunks:>6}  {r.title[:90]}")
    click.echo(f"{len(records)} documents, {sum(r.n_chunks for r in records)} chunks")


@main.command()
@click.option(
    "--relation",
    "-r",
    default=None,
    help="Only this relation (sanction, supply, attack, produce, accuse, condemn, meet, kill).",
)
@click.option(
    "--entity",
    "-e",
    default=None,
    help="Only edges with this actor or target (aliases count: Tehran = Iran).",
)
@click.option(
    "--limit", default=50, show_default=True, type=click.IntRange(1, 100000), help="Most groups shown."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array of groups with their citations.")
@friendly
def relations(relation: str | None, entity: str | None, limit: int, as_json: bool) -> None:
    """Who sanctioned, supplied, attacked … whom: relation edges across every article, each cited."""
    from qa import relations as rel
    from qa import wiring
    from qa.errors import InputError
    from vectorstore.edge import RELATIONS

    if relation is not None and relation not in RELATIONS:
        raise InputError(f"Unknown relation {relation!r}.", f"Use one of: {', '.join(RELATIONS)}.")
    if entity is not None and not entity.strip():
        raise InputError("The entity is empty.", "Give a name, e.g. --entity Iran, or leave the option out.")
    chunk_store = wiring.store(load_settings())
    groups = rel.matching(wiring.relation_index(chunk_store).groups(), relation=relation, entity=entity)
    if as_json:
        click.echo(json.dumps([_group_json(g) for g in groups[:limit]], ensure_ascii=False, indent=1))
        return
    if not groups:
        click.echo(
            "No relation edges match." if chunk_store.count() else "No documents yet. Run `qa ingest` first."
        )
        return
    for g in groups[:limit]:
        dates = ", ".join(d[:10] for d in g.dates[:3])
        hedge = f" [{g.hedge}]" if g.hedge else ""
        click.secho(f"{g.label}{hedge}", bold=True, nl=False)
        click.echo(f"  · {g.sources} source{'s' if g.sources > 1 else ''}" + (f" · {dates}" if dates else ""))
        for e in g.edges[:3]:
            click.secho(f"    {e.doc_id} [{e.start}:{e.end}] “{e.quote}”", dim=True)
        if len(g.edges) > 3:
            click.secho(f"    … {len(g.edges) - 3} more sentences", dim=True)
    shown = min(limit, len(groups))
    click.echo(f"{shown} of {len(groups)} groups, {sum(len(g.edges) for g in groups)} edges")


def _group_json(g: Any) -> dict[str, Any]:
    from qa.relations import when

    return {
        "subject": g.subject,
        "relation": g.relation,
        "object": g.object,
        "subject_text": g.subject_text,
        "object_text": g.object_text,
        "sources": g.sources,
        "dates": g.dates,
        "items": g.items,
        "hedge": g.hedge,
        "citations": [
            {
                "doc_id": e.doc_id,
                "title": e.title,
                "start": e.start,
                "end": e.end,
                "quote": e.quote,
                "date": when(e),
                "stated_date": e.date,
                "verb": e.verb,
                "hedge": e.hedge,
                "reason": e.reason,
            }
            for e in g.edges
        ],
    }


def _print_answer(answer: Any) -> None:
    style = {"fg": "yellow"} if answer.abstained else {"bold": True}
    click.secho(answer.answer, **style)
    if answer.standalone_question != answer.question:
        click.secho(f"(searched for: {answer.standalone_question})", dim=True)
    for c in answer.citations:
        click.echo(f"  [{c.n}] {c.title}" + (f" ({c.date[:10]})" if c.date else "") + f" — {c.doc_id}")
        click.secho(f"      “{c.quote}”", dim=True)
    if answer.unmatched:
        click.secho(f"  check the quote: it does not mention {', '.join(answer.unmatched)}", fg="yellow")
    if answer.abstained and answer.retrieved:
        click.echo("  Closest sources:")
        seen = set()
        for r in answer.retrieved:
            if r.doc_id not in seen:
                seen.add(r.doc_id)
                click.echo(f"   - {r.title or r.doc_id} — {r.doc_id}")
    note = f" · {answer.note}" if answer.note else ""
    click.secho(
        f"  mode: {answer.mode}{note} · {answer.timings_ms['total']:.0f} ms · {answer.model}", dim=True
    )


def _ask_once(answerer: Any, question: str, history: list[dict[str, str]] | None, show_draft: bool) -> Any:
    from qa.result import Final, Token

    final = None
    drafted = False
    for event in answerer.stream(question, history):
        if isinstance(event, Token) and show_draft:
            click.secho(event.text, dim=True, nl=False, err=True)
            drafted = True
        elif isinstance(event, Final):
            final = event.answer
    if drafted:
        click.echo("\n" + click.style("verified:", dim=True), err=True)
    return final


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object (the answer contract).")
@friendly
def ask(question: str, as_json: bool) -> None:
    """Answer one QUESTION with citations."""
    from qa import wiring
    from qa.engine import clean_question

    settings = load_settings()
    clean_question(question, settings.max_question_chars)  # refuse bad input before loading anything
    # One answer: the embedder's ~5 s import runs in a child on the other core (see embed_worker).
    embed = wiring.embedder_in_child(settings)
    try:
        answerer = wiring.answerer(settings, embed=embed)
        answer = _ask_once(answerer, question, None, show_draft=not as_json and sys.stderr.isatty())
    finally:
        embed.close()
    if as_json:
        click.echo(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        _print_answer(answer)
    _exit_now()


def _exit_now() -> None:
    """End a one-shot command without interpreter teardown (freeing torch, llama.cpp and Chroma objects
    takes ~1.5 s of a cold `qa ask`). Only in a real process: under a test runner stdout is replaced."""
    if sys.stdout is sys.__stdout__ and sys.stderr is sys.__stderr__:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        os._exit(0)


@main.command()
@friendly
def chat() -> None:
    """A conversation in the terminal; follow-up questions use the history. Ctrl-D to leave."""
    from qa import wiring

    answerer = wiring.answerer(load_settings())
    history: list[dict[str, str]] = []
    click.echo("Ask about the documents (Ctrl-D or 'exit' to leave).")
    while True:
        try:
            question = input("> ")
        except EOFError:
            click.echo()
            return
        if question.strip().lower() in {"exit", "quit"}:
            return
        try:
            answer = _ask_once(answerer, question, history, show_draft=sys.stderr.isatty())
        except QAError as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            continue
        _print_answer(answer)
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]


if __name__ == "__main__":
    main()
