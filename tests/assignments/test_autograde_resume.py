"""autograde resumes like grade: each student's result is kept the moment it is done, a rerun grades only
the new, the changed and the unfinished, and --force grades everyone again."""
from __future__ import annotations

import csv
import json

from assignments.autograde import autograde_course
from assignments.course import ASSIGNMENT, NOTEBOOK, create_course
from backprop_lab.cli import main
from course_kit import submit


def test_autograde_resumes_student_by_student(tmp_path, capsys):
    course = tmp_path / "course"
    create_course(course, parts=("graph",), lang="en")
    submit(course, "ann")
    submit(course, "bob", {"MulLayer": ("return dout * self.y", "return dout * self.x")})
    first = {g.student: g for g in autograde_course(course)}
    kept = course / "exports" / "results"
    assert sorted(p.stem for p in kept.glob("*.json")) == ["ann", "bob"]
    ann_autograded = course / "autograded" / "ann" / ASSIGNMENT / NOTEBOOK
    stamp = ann_autograded.stat().st_mtime_ns

    (kept / "bob.json").unlink()  # as if killed while grading bob
    again = {g.student: g for g in autograde_course(course)}
    assert ann_autograded.stat().st_mtime_ns == stamp  # ann was not run again
    assert again["ann"].report is None and again["bob"].report is not None
    assert {s: (g.trusted, g.in_kernel, g.status) for s, g in again.items()} == \
        {s: (g.trusted, g.in_kernel, g.status) for s, g in first.items()}
    grades = (course / "exports" / "grades.csv").read_text()
    assert grades.count("\n") == 3 and f"ann,{first['ann'].trusted:g}," in grades

    submit(course, "ann", {"MulLayer": ("return dout * self.y", "return dout * self.x")})  # ann hands in again
    changed = {g.student: g for g in autograde_course(course)}
    assert changed["ann"].report is not None and changed["ann"].trusted < first["ann"].trusted

    bob_stamp = (kept / "bob.json").stat().st_mtime_ns
    capsys.readouterr()
    assert main(["autograde", str(course), "--student", "ann"]) in (0, 1)
    assert (kept / "bob.json").stat().st_mtime_ns == bob_stamp  # only ann again
    rows = {r["student_id"]: r for r in csv.DictReader((course / "exports" / "grades.csv").open())}
    assert set(rows) == {"ann", "bob"} and float(rows["ann"]["MulLayer"]) < float(rows["ann"]["AddLayer"])

    assert main(["autograde", str(course), "--force"]) in (0, 1)
    assert ann_autograded.stat().st_mtime_ns != stamp
    assert json.loads((kept / "ann.json").read_text())["trusted"] == changed["ann"].trusted
    assert main(["autograde", str(course), "--student", "zed"]) == 2


def test_plain_nbgrader_commands_read_the_course_without_warnings(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    course = tmp_path / "course"
    create_course(course, parts=("graph",), lang="en")
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    done = subprocess.run(["nbgrader", "db", "assignment", "list"], cwd=course, capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0 and "ch05" in done.stdout + done.stderr
    assert "WARNING" not in done.stdout + done.stderr, done.stderr
