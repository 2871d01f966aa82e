"""The generated source notebook: nbgrader metadata, solutions from the reference, test cells that cannot
be misread as partial scores, text in both languages."""
from __future__ import annotations

import inspect
import textwrap

import nbformat
import pytest

from assignments.notebook import build_notebook
from assignments.parts import COMPONENTS, PART_IDS
from assignments.solutions import BEGIN, END, SOURCES, solution


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_component_has_a_solution_cell_named_after_it_and_two_tests(lang):
    notebook = build_notebook(PART_IDS, lang)
    nbformat.validate(notebook)
    ids = [c.metadata.nbgrader["grade_id"] for c in notebook.cells]
    assert len(ids) == len(set(ids))
    for name in COMPONENTS:
        cell = notebook.cells[ids.index(name)]
        assert cell.metadata.nbgrader["solution"] and BEGIN in cell.source and END in cell.source
        visible, hidden = notebook.cells[ids.index(f"{name}_visible")], notebook.cells[ids.index(f"{name}_hidden")]
        assert visible.metadata.nbgrader["grade"] and visible.metadata.nbgrader["points"] > 0
        assert "### BEGIN HIDDEN TESTS" in hidden.source and "seed=None" in hidden.source
        for test in (visible, hidden):  # ends with a statement: nothing for nbgrader to read as a partial score
            last = [line for line in test.source.splitlines() if line.strip() and not line.startswith("###")][-1]
            assert last.startswith("_ = check_component(")
    assert ("오차역전파법" in notebook.cells[0].source) == (lang == "ko")


def test_parts_not_assigned_are_given_in_full_and_locked():
    notebook = build_notebook(["training"], "en")
    given = {c.metadata.nbgrader["grade_id"]: c for c in notebook.cells if c.metadata.nbgrader["grade_id"].endswith("_given")}
    assert set(given) == {f"{name}_given" for name in COMPONENTS if name != "train"}
    assert all(c.metadata.nbgrader["locked"] and BEGIN not in c.source for c in given.values())
    graded = [c for c in notebook.cells if c.metadata.nbgrader.get("grade")]
    assert {c.metadata.nbgrader["grade_id"] for c in graded} == {"train_visible", "train_hidden"}


@pytest.mark.parametrize("name", COMPONENTS)
def test_solutions_are_the_reference_code(name):
    def lines(text: str) -> list[str]:
        return [line for line in text.splitlines() if line.strip()]

    reference_source = textwrap.dedent(inspect.getsource(SOURCES[name]))
    assert lines(solution(name).full()) == lines(reference_source)
    cell = solution(name).cell()
    assert lines(cell.replace(BEGIN, "").replace(END, "")) == lines(reference_source)  # the markers are all it adds


def test_points_split_between_visible_and_hidden():
    notebook = build_notebook(PART_IDS, "en", {"Affine": 6})
    points = {c.metadata.nbgrader["grade_id"]: c.metadata.nbgrader.get("points") for c in notebook.cells}
    assert points["Affine_visible"] == points["Affine_hidden"] == 3
    assert points["TwoLayerNet_visible"] == 2 and points["Relu_hidden"] == 1
