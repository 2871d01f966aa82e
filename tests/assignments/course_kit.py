"""Making submissions for a generated course: the released notebook with its solution cells filled in;
and running a notebook's cells in order in a fresh namespace, as a kernel does."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import nbformat
from nbformat.notebooknode import NotebookNode

from assignments.course import ASSIGNMENT, NOTEBOOK
from assignments.solutions import solution


def submit(course: Path, student: str, changes: Mapping[str, tuple[str, str]] = {},
           extra: Mapping[str, str] = {}, code: Mapping[str, str] | None = None) -> Path:
    """Student ``student`` hands in ``code`` (grade_id -> source; default: the reference solutions),
    with ``changes`` (grade_id -> (old, new)) applied to their cells and ``extra`` code appended to some cells."""
    notebook = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            source = code[meta["grade_id"]] if code is not None else solution(meta["grade_id"]).full()
            if meta["grade_id"] in changes:
                old, new = changes[meta["grade_id"]]
                assert old in source, (meta["grade_id"], old)
                source = source.replace(old, new)
            cell.source = source + extra.get(meta["grade_id"], "")
    target = course / "submitted" / student / ASSIGNMENT / NOTEBOOK
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return target


def fill(notebook: NotebookNode, code: Mapping[str, str]) -> NotebookNode:
    """The notebook with each solution cell's source replaced by ``code[grade_id]``."""
    notebook = nbformat.from_dict(notebook)
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = code[meta["grade_id"]]
    return notebook


def run_cells(notebook: NotebookNode) -> dict[str, Any]:
    """Run every code cell in order in one fresh namespace, each compiled on its own as a kernel compiles
    it: with no ``from __future__`` import of this module's (``dont_inherit``), so an annotation that names
    a class still being defined raises NameError here as it does in Jupyter. The first cell that raises
    fails the test, named by its grade_id. Returns the namespace."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "?")
        code = compile(cell.source, f"<cell {grade_id}>", "exec", dont_inherit=True)
        try:
            exec(code, namespace)
        except Exception as exc:
            raise AssertionError(f"cell {grade_id} raised {type(exc).__name__}: {exc}") from exc
    return namespace
