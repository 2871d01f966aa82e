"""Small modules and short functions, so that a newcomer reads one job in one place: no module over 250 lines and
no function over 50 outside generated code, unless it is listed here with its one-line reason."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graders", "reference", "assignments", "labdata", "backprop_lab")
MODULE_LINES, FUNCTION_LINES = 250, 50
LONG_MODULES: dict[str, str] = {}
LONG_FUNCTIONS: dict[str, str] = {}


def _sources() -> list[Path]:
    return [p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if not p.name.startswith("_generated")]


def test_no_module_is_longer_than_it_may_be():
    long = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8").count("\n") for p in _sources()}
    assert {name: n for name, n in long.items() if n > MODULE_LINES and name not in LONG_MODULES} == {}
    assert [name for name in LONG_MODULES if long.get(name, 0) <= MODULE_LINES] == []  # a stale reason goes too


def test_no_function_is_longer_than_it_may_be():
    long = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                name = f"{path.relative_to(ROOT)}:{node.name}"
                if lines > FUNCTION_LINES and name not in LONG_FUNCTIONS:
                    long[name] = lines
    assert long == {}
