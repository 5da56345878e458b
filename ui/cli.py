"""The UI's sub-command of `qa`: `qa serve` starts the browser chat.

Registered with the `qa` command through the `qa.commands` entry point (see pyproject.toml), so the
core never imports the UI. Gradio is imported only when the command runs.
"""

from __future__ import annotations

import click

from qa.cli import friendly
from qa.settings import load_settings


@click.command()
@click.option("--host", default=None, help="Bind address (default QA_HOST).")
@click.option("--port", type=int, default=None, help="Port (default QA_PORT).")
@friendly
def serve(host: str | None, port: int | None) -> None:
    """Start the browser chat UI."""
    from qa import wiring

    settings = load_settings()
    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    # The embedder loads in a child started first: its torch import overlaps Gradio's and the model's
    # (ready in ~7 s instead of ~11 s on the realistic index; the child ends with this process).
    embed = wiring.embedder_in_child(settings)
    from ui.app import serve as run

    try:
        run(settings.model_copy(update=overrides) if overrides else settings, embed=embed)
    finally:
        embed.close()
