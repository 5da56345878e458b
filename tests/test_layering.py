"""The package layering: vectorstore <- qa <- {ui, eval}; `qa` (the core and its CLI) is a library
without the UI or the evaluation harness, whose commands reach `qa` through entry points."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("vectorstore", "qa", "ui", "eval")
# What each package may import, of the project's own packages (itself always).
ALLOWED = {
    "vectorstore": set(),
    "qa": {"vectorstore"},
    "ui": {"qa", "vectorstore"},
    "eval": {"qa", "vectorstore"},
}


def imported_packages(path: Path) -> set[str]:
    """Top-level project packages a module imports anywhere (module level, functions, TYPE_CHECKING)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(PACKAGES)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_imports_only_the_layers_below_it(package: str) -> None:
    offending = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) - ALLOWED[package] - {package})
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from ui.app import serve\n    import eval.run\n", encoding="utf-8")
    assert imported_packages(module) == {"ui", "eval"}


def test_the_commands_of_ui_and_eval_are_offered_by_qa() -> None:
    from click.testing import CliRunner

    from qa.cli import main

    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "eval", "bench"):
        assert f"  {command} " in result.output
