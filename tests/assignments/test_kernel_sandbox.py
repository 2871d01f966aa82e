"""nbgrader's kernel runs in the sandbox too: a submission cannot reach the course's source notebook, the
solution or a classmate, and an honest student after a vandal (who leaves traps in the folder the kernels
share) is graded as if alone. The trusted regrade
is rebuilt from the source as `assignment create` wrote it, checked by hash."""
from __future__ import annotations

import hashlib
import json

import pytest

from assignments.autograde import autograde_course
from assignments.course import ASSIGNMENT, NOTEBOOK, AssignmentError, create_course
from course_kit import submit
from graders.sandbox import isolation

pytestmark = pytest.mark.skipif(bool(isolation.available()), reason=f"no bubblewrap here: {isolation.available()}")

VANDAL = """
import glob, os
for _path in ['../../../source/ch05/ch05.ipynb', *glob.glob('/tmp/**/source/ch05/ch05.ipynb', recursive=True),
              '../../../../submitted/honest/ch05/ch05.ipynb', '../../../gradebook.db']:
    try:
        with open(_path, 'a') as _f:
            _f.write('x')
        print('WROTE', _path)
    except OSError:
        pass
# the kernel's sockets folder serves the next student's kernel too: leave a trap for the grader and one for them
import pathlib, sys
_connection = pathlib.Path(sys.argv[sys.argv.index('-f') + 1])
for _name, _make in [('connection.json', lambda p: p.symlink_to(CANARY)), ('kernel-1', lambda p: p.write_text('')),
                     ('home/.ipython/profile_default/startup/00-trap.py',
                      lambda p: p.write_text('import numpy; numpy.sum = None'))]:
    try:
        _trap = _connection.parent / _name
        _trap.parent.mkdir(parents=True, exist_ok=True)
        _trap.unlink(missing_ok=True)
        _make(_trap)
    except OSError:
        pass
"""


def test_the_kernel_cannot_reach_the_source_the_solution_or_a_classmate(tmp_path):
    course = tmp_path / "course"
    create_course(course, parts=("graph",), lang="en")
    source = course / "source" / ASSIGNMENT / NOTEBOOK
    before = source.read_bytes()
    canary = tmp_path / "canary.txt"  # a file the grader (root) could write, were it to follow a student's link
    canary.write_text("untouched")
    submit(course, "a_vandal", extra={"MulLayer": VANDAL.replace("CANARY", repr(str(canary)))})
    submit(course, "b_borrower", {"MulLayer": ("class MulLayer", "class MyMul")},
           extra={"MulLayer": "\ntry:\n    from reference.layers import MulLayer\nexcept ImportError:\n    pass\n"})
    submit(course, "c_honest")
    grades = {g.student: g for g in autograde_course(course)}
    assert source.read_bytes() == before and canary.read_text() == "untouched"
    feedback = course / "feedback" / "c_honest" / ASSIGNMENT
    assert sorted(p.name for p in feedback.iterdir()) == ["ch05.html", "diagnosis.txt"]  # no kernel caches
    honest = grades["c_honest"]
    assert (honest.trusted, honest.in_kernel, honest.status, honest.flags) == (honest.max_score,) * 2 + ("graded", [])
    vandal = grades["a_vandal"]
    assert vandal.trusted == vandal.max_score and vandal.status == "graded"
    cells = json.loads((course / "autograded" / "a_vandal" / ASSIGNMENT / NOTEBOOK).read_text())["cells"]
    printed = "".join("".join(o.get("text", "")) for c in cells for o in c.get("outputs", []))
    assert "WROTE" not in printed
    borrower = grades["b_borrower"]
    mul = [c for c in borrower.report.checks if c.component == "MulLayer"]
    assert mul and all(c.points == 0 for c in mul) and borrower.in_kernel < borrower.max_score


def test_a_changed_source_notebook_stops_autograde_with_one_line(tmp_path):
    course = tmp_path / "course"
    create_course(course, parts=("graph",), lang="en")
    settings = json.loads((course / "backprop_lab.json").read_text())
    source = course / "source" / ASSIGNMENT / NOTEBOOK
    assert settings["source_sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    submit(course, "someone")
    source.write_bytes(source.read_bytes().replace(b"np.sum", b"np.mean"))
    with pytest.raises(AssignmentError, match="changed since `backprop-lab assignment create`"):
        autograde_course(course)
