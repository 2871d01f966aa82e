"""The whole cycle with real nbgrader and a real kernel: create the full default course, hand in the class of
ten (tests/assignments/class_of_ten.py), autograde, read the gradebook and every export. Trusted scores come
from the sandbox; each student loses points exactly on the components their code breaks; the cheater is
flagged; a crash costs only the crashing code; an unreadable notebook says why wherever its score is;
warnings cost nothing. The full default course, created and autograded by the command a
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
from graders.results import points_text
from book_style import book_cells
from class_of_ten import CLASS, hand_in
from course_kit import submit


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The full default course (every part), the class of ten handed in, autograded."""
    course = tmp_path_factory.mktemp("course")
    create_course(course)
    hand_in(course)
    grades = {g.student: g for g in autograde_course(course)}
    return course, grades


def _csv_rows(course: Path) -> dict[str, dict[str, str]]:
    return {r["student_id"]: r for r in csv.DictReader((course / "exports" / "grades.csv").open(encoding="utf-8"))}


@pytest.mark.slow
def test_each_student_loses_points_exactly_where_their_code_is_wrong(graded):
    """Per component (grades.csv's columns): the broken component and those built on it, nothing else."""
    course, grades = graded
    rows = _csv_rows(course)
    full = {name: points_for(name, {}) for name in COMPONENTS}
    assert grades["correct"].max_score == sum(full.values())
    for name, student in CLASS.items():
        short = {c for c in COMPONENTS if float(rows[name][c]) < full[c] - 1e-9}
        assert short == set(student.loses), name
        assert (grades[name].status, bool(grades[name].flags)) == (student.status, student.flagged or student.unreadable), name
    assert grades["correct"].in_kernel == grades["warns"].in_kernel == grades["correct"].max_score  # warnings cost nothing
    assert grades["db_mean"].in_kernel < grades["correct"].max_score


@pytest.mark.slow
def test_a_crashed_kernel_is_reported_and_costs_only_the_crashing_code(graded):
    _, grades = graded
    exits = grades["exits"]
    assert exits.status == "crashed"
    assert exits.trusted == exits.max_score - points_for("Sigmoid", {})  # every Sigmoid probe ends the process
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
def test_an_unreadable_notebook_gets_its_reason_wherever_its_score_is(graded):
    course, grades = graded
    reason = "ch05.ipynb: not a notebook: invalid JSON at line 1, column"
    assert grades["unreadable"].trusted == 0 and grades["unreadable"].flags[0].startswith(reason)
    assert _csv_rows(course)["unreadable"]["flags"].startswith(reason)
    gradescope = json.loads((course / "exports" / "gradescope" / "unreadable.json").read_text())
    assert gradescope["output"].startswith(reason)
    assert all(reason in t["output"] and t["tags"][1] == "unreadable" for t in gradescope["tests"])
    diagnosis = (course / "feedback" / "unreadable" / ASSIGNMENT / "diagnosis.txt").read_text()
    assert diagnosis.startswith(reason) and "status: unreadable" in diagnosis


@pytest.mark.slow
def test_gradebook_exports_and_feedback(graded):
    from nbgrader.api import Gradebook
    course, grades = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        relu = gradebook.find_grade("Relu_hidden", "ch05", "ch05", "cheats")
        assert (relu.auto_score, relu.manual_score) == (1.0, pytest.approx(1 / 3))  # of 3 checks, forward passes
    rows = _csv_rows(course)
    assert set(rows) == set(grades) == set(CLASS) and rows["exits"]["status"] == "crashed"
    assert "possible tampering" in rows["cheats"]["flags"]
    scope = json.loads((course / "exports" / "gradescope" / "db_mean.json").read_text())
    assert any(t["status"] == "failed" and "db" in t["output"] for t in scope["tests"])
    assert (course / "feedback" / "db_mean" / "ch05" / "ch05.html").exists()
    diagnosis = (course / "feedback" / "db_mean" / "ch05" / "diagnosis.txt").read_text()
    assert "Affine.backward: db is the batch mean of dout" in diagnosis


@pytest.mark.slow
def test_one_score_per_student_in_every_output(graded):
    """The gradebook, grades.csv, the Gradescope JSON (its score and the sum of its tests) and the feedback."""
    from nbgrader.api import Gradebook
    course, grades = graded
    rows = _csv_rows(course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        in_gradebook = {s: gradebook.find_submission(ASSIGNMENT, s).score for s in grades}
    for student, grade in grades.items():
        gradescope = json.loads((course / "exports" / "gradescope" / f"{student}.json").read_text())
        diagnosis = (course / "feedback" / student / ASSIGNMENT / "diagnosis.txt").read_text()
        assert in_gradebook[student] == pytest.approx(grade.trusted, abs=1e-6), student
        assert abs(float(rows[student]["score"]) - grade.trusted) < 1e-6, student
        assert gradescope["score"] == grade.trusted, student
        assert abs(sum(t["score"] for t in gradescope["tests"]) - grade.trusted) < 1e-6, student
        assert abs(sum(t["max_score"] for t in gradescope["tests"]) - grade.max_score) < 1e-6, student
        assert f"score: {points_text(grade.trusted)} / {points_text(grade.max_score)}" in diagnosis, student


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
    assert ("원본 노트북을 검증하고" if lang == "ko" else "validated the source notebook") in created.stdout
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
