"""Build the assignment's source notebook (nbgrader metadata included) from the parts and the reference."""
from __future__ import annotations

from typing import Mapping, Sequence

import nbformat
from nbformat.notebooknode import NotebookNode

from assignments.parts import PARTS, WORDS
from assignments.solutions import CONSTANTS, solution

SETUP = """import os
import numpy as np
import numpy.typing
from collections import OrderedDict
from typing import Any, Callable

from graders.inkernel import check_component

os.environ.setdefault("BACKPROP_LAB_LANG", {lang!r})
{constants}
"""

DEFAULT_POINTS = {"TwoLayerNet": 4.0, "train": 2.0}  # per component, half for the visible and half for the hidden test


def points_for(component: str, points: Mapping[str, float]) -> float:
    return float(points.get(component, DEFAULT_POINTS.get(component, 2.0)))


def build_notebook(parts: Sequence[str], lang: str = "en", points: Mapping[str, float] = {}) -> NotebookNode:
    """The source notebook: for each part, its text, a solution cell and two test cells per component
    it assigns, and its demo; components of parts not assigned are given in full, locked."""
    words = WORDS[lang]
    cells = [_markdown(f"# {words['title']}", "title"),
             _markdown(words["setup"], "setup_text"),
             _code(SETUP.format(lang=lang, constants="\n".join(f"{k} = {v!r}" for k, v in CONSTANTS.items())),
                   "setup", locked=True)]
    for part in PARTS:
        assigned = part.id in parts
        if assigned:
            cells += [_markdown(f"## {part.title[lang]}\n\n{part.intro[lang]}", f"{part.id}_text")]
        for name in part.components:
            if not assigned:
                cells += [_markdown(words["given"].format(name=name), f"{name}_given_text"),
                          _code(solution(name).full(), f"{name}_given", locked=True)]
                continue
            half = points_for(name, points) / 2
            cells += [_markdown(words["write"].format(name=name), f"{name}_text"),
                      _code(solution(name).cell(), name, solution=True),
                      _test(f'_ = check_component("{name}", globals())', f"{name}_visible", half),
                      _test("### BEGIN HIDDEN TESTS\n"
                            f'_ = check_component("{name}", globals(), seed=None)  # fresh random inputs\n'
                            "### END HIDDEN TESTS", f"{name}_hidden", half)]
        if assigned and part.demo:
            cells.append(_code(part.demo, f"{part.id}_demo", locked=True))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata.update({"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                              "language_info": {"name": "python"}})
    return notebook


def _nbgrader(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
              points: float | None = None) -> dict:
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id, "schema_version": 3,
            "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _markdown(text: str, grade_id: str) -> NotebookNode:
    return nbformat.v4.new_markdown_cell(text, metadata=_nbgrader(grade_id, locked=True))


def _code(source: str, grade_id: str, *, solution: bool = False, locked: bool = False) -> NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata=_nbgrader(grade_id, solution=solution, locked=locked))


def _test(source: str, grade_id: str, points: float) -> NotebookNode:
    """A test cell: it ends with a statement (a trailing number would be read as a partial score)."""
    return nbformat.v4.new_code_cell(source, metadata=_nbgrader(grade_id, grade=True, locked=True, points=points))
