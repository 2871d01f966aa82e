"""Making submissions for a generated course: the released notebook with its solution cells filled in."""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

import nbformat

from assignments.course import ASSIGNMENT, NOTEBOOK
from assignments.solutions import solution


def submit(course: Path, student: str, changes: Mapping[str, tuple[str, str]] = {},
           extra: Mapping[str, str] = {}) -> Path:
    """Student ``student`` hands in the reference solutions, with ``changes`` (grade_id -> (old, new))
    applied to their cells and ``extra`` code appended to some cells."""
    notebook = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            code = solution(meta["grade_id"]).full()
            if meta["grade_id"] in changes:
                old, new = changes[meta["grade_id"]]
                assert old in code, (meta["grade_id"], old)
                code = code.replace(old, new)
            cell.source = code + extra.get(meta["grade_id"], "")
    target = course / "submitted" / student / ASSIGNMENT / NOTEBOOK
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return target
