"""The whole cycle with real nbgrader and a real kernel: create the course, hand in submissions, autograde,
read the gradebook. Trusted scores come from the sandbox; the cheater is flagged; a crash costs only the
crashing code; warnings cost nothing. The full default course, created and autograded by the command a
user types, gives a student who writes the book's code full marks, in English and Korean."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from assignments.autograde import autograde_course
from assignments.course import ASSIGNMENT, NOTEBOOK, AssignmentError, create_course
from assignments.notebook import points_for
from assignments.parts import COMPONENTS
from backprop_lab.cli import main
from book_style import book_cells
from course_kit import submit

SIGMOID_BACKWARD = "    def backward(self, dout):\n        return dout * self.out * (1 - self.out)"
NAIVE_SIGMOID = ("        e = np.exp(-np.abs(x))\n        self.out = np.where(x >= 0, 1 / (1 + e), e / (1 + e))",
                 "        self.out = 1 / (1 + np.exp(-x))  # overflows for x < -709: RuntimeWarning, right answer")
CHEAT = ("\nimport numpy.testing\nnumpy.testing.assert_allclose = lambda *args, **kwargs: None\n"
         "def check_component(*args, **kwargs):\n    pass\n")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    create_course(course, parts=("graph", "activations", "affine_softmax"), lang="en")
    submit(course, "correct")
    submit(course, "db_mean", {"Affine": ("np.sum(dout, axis=0)", "np.mean(dout, axis=0)")})
    submit(course, "no_div_n", {"SoftmaxWithLoss": ("/ n", "")})
    submit(course, "raises", {"Relu": ("        self.mask = x <= 0\n", "        raise ValueError('todo')\n")})
    submit(course, "loops", {"MulLayer": ("        return dout * self.y", "        while True:\n            pass\n")})
    submit(course, "exits", {"Sigmoid": (SIGMOID_BACKWARD, SIGMOID_BACKWARD.replace("        return",
                                                                                   "        import os; os._exit(1)\n        return"))})
    submit(course, "cheats", {"Relu": ("x <= 0", "x < 0")}, extra={"Relu": CHEAT})
    submit(course, "warns", {"Sigmoid": NAIVE_SIGMOID})
    grades = {g.student: g for g in autograde_course(course)}
    return course, grades


def _component_points(grade, component):
    return [c for c in grade.report.checks if c.component == component]


@pytest.mark.slow
def test_scores(graded):
    course, grades = graded
    full = grades["correct"].max_score
    assert full == 2 * 8  # 8 components of 2 points (1 visible + 1 hidden)
    assert (grades["correct"].trusted, grades["correct"].in_kernel, grades["correct"].flags) == (full, full, [])
    assert grades["warns"].trusted == grades["warns"].in_kernel == full  # warnings cost nothing
    assert grades["db_mean"].trusted < full and grades["db_mean"].in_kernel == full - 2
    assert grades["no_div_n"].trusted < full
    assert grades["raises"].trusted == grades["raises"].in_kernel == full - 2
    assert grades["loops"].trusted == full - 2  # the endless MulLayer.backward costs MulLayer's cells only
    for name in ("db_mean", "no_div_n", "raises", "loops", "warns", "correct"):
        assert grades[name].status == "graded" and grades[name].flags == [], name


@pytest.mark.slow
def test_a_crashed_kernel_is_reported_and_costs_only_the_crashing_code(graded):
    _, grades = graded
    exits = grades["exits"]
    assert exits.status == "crashed"
    assert exits.trusted == exits.max_score - 2  # every Sigmoid probe calls backward, which ends the process
    crashed = [c for c in exits.report.checks if c.bug == "crashed"]
    assert crashed and {c.component for c in crashed} == {"Sigmoid"}


@pytest.mark.slow
def test_the_cheater_is_flagged_and_gets_the_trusted_score(graded):
    _, grades = graded
    cheats = grades["cheats"]
    assert cheats.in_kernel == cheats.max_score  # every notebook test "passed"
    assert cheats.trusted < cheats.max_score
    assert cheats.flags == ["tests passed in the notebook but not out of it: possible tampering (Relu)"]


@pytest.mark.slow
def test_gradebook_exports_and_feedback(graded):
    from nbgrader.api import Gradebook
    course, grades = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student, grade in grades.items():
            assert gradebook.find_submission("ch05", student).score == pytest.approx(grade.trusted)
        relu = gradebook.find_grade("Relu_hidden", "ch05", "ch05", "cheats")
        assert (relu.auto_score, relu.manual_score) == (1.0, pytest.approx(1 / 3))  # of 3 checks, forward passes
    rows = {r["student_id"]: r for r in csv.DictReader(open(course / "exports" / "grades.csv"))}
    assert set(rows) == set(grades) and rows["exits"]["status"] == "crashed"
    assert "possible tampering" in rows["cheats"]["flags"]
    scope = json.loads((course / "exports" / "gradescope" / "db_mean.json").read_text())
    assert scope["score"] == pytest.approx(grades["db_mean"].trusted)
    assert any(t["status"] == "failed" and "db" in t["output"] for t in scope["tests"])
    assert (course / "feedback" / "db_mean" / "ch05" / "ch05.html").exists()
    diagnosis = (course / "feedback" / "db_mean" / "ch05" / "diagnosis.txt").read_text()
    assert "Affine.backward: db is the batch mean of dout" in diagnosis


def test_bad_course_input(tmp_path, capsys):
    with pytest.raises(AssignmentError, match="unknown part 'graphs'"):
        create_course(tmp_path / "c", parts=["graphs"])
    with pytest.raises(AssignmentError, match="points: 'Relu2' is not a component"):
        create_course(tmp_path / "c", points={"Relu2": 3})
    assert main(["autograde", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {tmp_path}: not a course made by `backprop-lab assignment create`")


def _backprop_lab(*args: str) -> subprocess.CompletedProcess:
    """The installed command, as a user types it (the console script beside this interpreter)."""
    command = Path(sys.executable).with_name("backprop-lab")
    return subprocess.run([str(command), *args], capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module", params=["en", "ko"])
def full_course(request, tmp_path_factory):
    """`backprop-lab assignment create COURSE --lang L` (every part), a student who wrote the book's code,
    then `backprop-lab autograde COURSE`."""
    lang = request.param
    course = tmp_path_factory.mktemp(f"full-course-{lang}")
    created, graded = _backprop_lab("assignment", "create", str(course), "--lang", lang), None
    if created.returncode == 0:
        submit(course, "book_style", code=book_cells())
        graded = _backprop_lab("autograde", str(course))
    return lang, course, created, graded


@pytest.mark.slow
def test_the_full_default_course_is_created(full_course):
    lang, course, created, _ = full_course
    assert created.returncode == 0, created.stderr
    assert "validated the source notebook" in created.stdout
    released = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    solutions = {c.metadata.nbgrader["grade_id"]: c.source for c in released.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    assert list(solutions) == list(COMPONENTS)  # every part assigned, nothing given
    assert all("raise NotImplementedError()" in source and "BEGIN SOLUTION" not in source for source in solutions.values())
    assert ("오차역전파법" in released.cells[0].source) == (lang == "ko")


@pytest.mark.slow
def test_a_student_who_writes_the_books_code_gets_full_marks(full_course):
    """Affine(W, b) with self.x, self.dW, self.db; Relu's mask; SoftmaxWithLoss's loss, y, t; the book's
    TwoLayerNet and training loop: full marks in the kernel and out of it, nothing flagged."""
    lang, course, created, graded = full_course
    assert created.returncode == 0, created.stderr
    assert graded.returncode == 0, graded.stdout + graded.stderr
    output = " ".join(graded.stdout.split())
    assert ("제출물 1개" in output and "성적:" in output) if lang == "ko" else ("1 submissions" in output), output
    rows = {r["student_id"]: r for r in csv.DictReader(open(course / "exports" / "grades.csv"))}
    full = sum(points_for(name, {}) for name in COMPONENTS)
    assert rows["book_style"] == {"student_id": "book_style", "score": f"{full:g}", "max_score": f"{full:g}",
                                  "in_kernel_score": f"{full:g}", "status": "graded", "flags": "",
                                  **{name: f"{points_for(name, {}):g}" for name in COMPONENTS}}


@pytest.mark.slow
def test_one_score_per_student_in_every_output(graded):
    course, grades = graded
    rows = {r["student_id"]: r for r in csv.DictReader((course / "exports" / "grades.csv").open())}
    for student, grade in grades.items():
        gradescope = json.loads((course / "exports" / "gradescope" / f"{student}.json").read_text())
        diagnosis = (course / "feedback" / student / ASSIGNMENT / "diagnosis.txt").read_text()
        score = f"{grade.trusted:g} / {grade.max_score:g}"
        assert abs(float(rows[student]["score"]) - grade.trusted) < 1e-6, student
        assert gradescope["score"] == grade.trusted, student
        assert abs(sum(t["score"] for t in gradescope["tests"]) - grade.trusted) < 1e-6, student
        assert abs(sum(t["max_score"] for t in gradescope["tests"]) - grade.max_score) < 1e-6, student
        assert f"score: {score}" in diagnosis, (student, diagnosis.splitlines()[:4])
