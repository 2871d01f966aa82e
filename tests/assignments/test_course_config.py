"""`assignment create --config` takes the grading config `check --config` takes (JSON or YAML, one schema):
its `assignment.points` set the notebook's points, and the rest (here `exact_names`) rules the trusted
regrade. The short form, a JSON object of points per component, still works."""
from __future__ import annotations

import json

import nbformat
import pytest

from assignments.autograde import autograde_course
from assignments.cli import read_course_config
from assignments.course import ASSIGNMENT, NOTEBOOK, create_course
from course_kit import submit
from graders.config import ConfigError


def test_both_forms_and_a_bad_one(tmp_path):
    (tmp_path / "points.json").write_text('{"TwoLayerNet": 6}')
    assert read_course_config(str(tmp_path / "points.json")) == {"assignment": {"points": {"TwoLayerNet": 6}}}
    (tmp_path / "grading.yaml").write_text("exact_names: true\nassignment:\n  points:\n    Relu: 4\n")
    assert read_course_config(str(tmp_path / "grading.yaml")) == {"exact_names": True,
                                                                  "assignment": {"points": {"Relu": 4}}}
    (tmp_path / "bad.yaml").write_text("assignment:\n  points:\n    Relu: -1\n")
    with pytest.raises(ConfigError, match="bad.yaml: assignment.points.Relu: -1 is less than the minimum of 0"):
        read_course_config(str(tmp_path / "bad.yaml"))


@pytest.mark.slow
def test_the_course_config_sets_the_points_and_rules_the_regrade(tmp_path):
    (tmp_path / "grading.yaml").write_text("exact_names: true\nassignment:\n  points:\n    MulLayer: 6\n")
    course = tmp_path / "course"
    grading = read_course_config(str(tmp_path / "grading.yaml"))
    create_course(course, parts=("graph",), points=grading["assignment"]["points"], grading=grading)
    released = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    points = {c.metadata.nbgrader["grade_id"]: c.metadata.nbgrader.get("points") for c in released.cells
              if c.metadata.get("nbgrader", {}).get("grade")}
    assert points["MulLayer_visible"] == points["MulLayer_hidden"] == 3
    assert json.loads((course / "backprop_lab.json").read_text())["grading"]["exact_names"] is True
    submit(course, "near_name", {"MulLayer": ("class MulLayer", "class MultiplyLayer")})
    grade = autograde_course(course)[0]
    mul = [c for c in grade.report.checks if c.component == "MulLayer"]
    assert mul and all(c.points == 0 for c in mul)  # a near-name counts as missing under exact_names


def test_the_nbgrader_config_file_says_what_backprop_lab_hands_nbgrader(tmp_path):
    """nbgrader_config.py (for an instructor running nbgrader by hand) and nbgrader_config() (what assignment create
    and autograde pass to nbgrader) agree on the course: its root, its id, the stub of a solution cell."""
    from traitlets.config import Config

    from assignments.course import CODE_STUB, CONFIG, COURSE_ID, nbgrader_config
    written = Config()
    exec(CONFIG.format(course_id=COURSE_ID, root=str(tmp_path), code_stub=CODE_STUB), {"get_config": lambda: written})
    handed = nbgrader_config(tmp_path)
    for section, key in (("CourseDirectory", "root"), ("CourseDirectory", "course_id"), ("ClearSolutions", "code_stub")):
        assert written[section][key] == handed[section][key], (section, key)
