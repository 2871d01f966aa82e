"""The generated source notebook: nbgrader metadata, solutions from the reference, test cells that cannot
be misread as partial scores, text in both languages; every cell runs in order as a kernel runs it, and
the code it gives runs on a student's book-style layers."""
from __future__ import annotations

import inspect
import textwrap

import nbformat
import pytest

from assignments.notebook import build_notebook
from assignments.parts import COMPONENTS, PART_IDS
from assignments.solutions import BEGIN, END, SOURCES, solution
from book_style import book_cells
from course_kit import fill, run_cells


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


@pytest.fixture
def kernel_env(monkeypatch):
    """What the setup cell's os.environ.setdefault and the demos' pyplot leave behind is undone afterwards."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("BACKPROP_LAB_LANG", raising=False)
    yield
    import matplotlib.pyplot as plt
    plt.close("all")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_cell_of_the_full_source_notebook_runs_in_order_in_a_fresh_namespace(lang, kernel_env):
    """The source notebook, reference solutions and hidden tests included, cell by cell with no
    ``from __future__ import annotations``: what `assignment create` runs in a kernel to validate it."""
    namespace = run_cells(build_notebook(PART_IDS, lang))
    assert all(name in namespace for name in COMPONENTS)


@pytest.mark.parametrize("given", [None, *PART_IDS])
def test_the_given_code_runs_on_a_book_style_students_code(given, kernel_env):
    """Every part but ``given`` assigned and answered in the book's style (Affine(W, b), dW, db, ...);
    ``given``'s components are the reference's, given in full. Every cell runs and every test passes:
    the given code asks nothing of the student's code that the book's interface does not have."""
    parts = [p for p in PART_IDS if p != given]
    notebook = fill(build_notebook(parts, "en"), book_cells())
    given_cells = [c for c in notebook.cells if c.metadata.nbgrader["grade_id"].endswith("_given")]
    assert bool(given_cells) == (given is not None)
    run_cells(notebook)
