"""``backprop-lab assignment create``: a ready nbgrader course for chapter 5.

Writes nbgrader_config.py and source/ch05/ch05.ipynb, proves the source notebook (run with the
reference solutions and the hidden tests, every test cell must earn full marks), then runs
nbgrader's generate_assignment to make the student version in release/.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Mapping, Sequence

import nbformat

from assignments.environment import use_this_environment
from assignments.notebook import build_notebook
from assignments.parts import COMPONENTS, PART_IDS
from labdata.errors import LabError

ASSIGNMENT = "ch05"
NOTEBOOK = "ch05.ipynb"
COURSE_ID = "backprop-lab-ch05"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"  # what a solution cell becomes in the student's copy

CONFIG = '''# nbgrader configuration written by `backprop-lab assignment create`.
c = get_config()
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = {root!r}
c.ClearSolutions.code_stub = {{"python": {code_stub!r}}}
c.ExecutePreprocessor.timeout = 120
# backprop-lab's own settings (the course's language, parts, points) are in backprop_lab.json.
'''


class AssignmentError(LabError):
    """A course that cannot be created or graded as asked; one line."""


def create_course(course_dir: str | os.PathLike, *, parts: Sequence[str] = PART_IDS, lang: str = "en",
                  points: Mapping[str, float] | None = None, grading: Mapping[str, Any] | None = None) -> Path:
    """Write, validate and generate the course; returns the released notebook's path. ``grading`` (a grading
    config document, validated) is kept with the course: the trusted regrade uses its names rule and limits."""
    unknown = [p for p in parts if p not in PART_IDS]
    if unknown:
        raise AssignmentError(f"unknown part {unknown[0]!r}; choose from {', '.join(PART_IDS)}",
                              ko=f"모르는 부분 {unknown[0]!r}입니다. 다음 중에서 고르세요: {', '.join(PART_IDS)}")
    points = dict(points or {})
    bad = [k for k, v in points.items() if k not in COMPONENTS or not isinstance(v, (int, float)) or v < 0]
    if bad:
        raise AssignmentError(f"points: {bad[0]!r} is not a component with a number of points >= 0 "
                              f"(components: {', '.join(COMPONENTS)})",
                              ko=f"points: {bad[0]!r}은(는) 0점 이상의 배점을 가진 구성 요소가 아닙니다 "
                              f"(구성 요소: {', '.join(COMPONENTS)})")
    root = Path(course_dir).resolve()
    source = root / "source" / ASSIGNMENT
    source.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(CONFIG.format(course_id=COURSE_ID, root=str(root), code_stub=CODE_STUB))
    notebook = build_notebook(parts, lang, points)
    nbformat.write(notebook, source / NOTEBOOK)
    validate_source(source / NOTEBOOK)
    # the hash autograde checks before it rebuilds trusted notebooks from the source
    digest = hashlib.sha256((source / NOTEBOOK).read_bytes()).hexdigest()
    (root / "backprop_lab.json").write_text(json.dumps({"lang": lang, "parts": list(parts), "points": points,
                                                        "source_sha256": digest, "grading": dict(grading or {})}))
    generate(root)
    return root / "release" / ASSIGNMENT / NOTEBOOK


def validate_source(path: Path) -> None:
    """Run the source notebook as it is (solutions and hidden tests in it): every test cell must earn its points."""
    from nbclient import NotebookClient
    from nbgrader.utils import determine_grade, is_grade

    use_this_environment()
    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as work:
        NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": work}},
                       allow_errors=True).execute()
    short = [(cell.metadata.nbgrader["grade_id"], determine_grade(cell)) for cell in notebook.cells if is_grade(cell)]
    failing = [grade_id for grade_id, (score, maximum) in short if score != maximum]
    if failing:
        raise AssignmentError(f"{path.name}: the reference solution does not pass {', '.join(failing)}"
                              f"{_first_error(notebook)}",
                              ko=f"{path.name}: 참조 답안이 {', '.join(failing)}을(를) 통과하지 못합니다"
                              f"{_first_error(notebook)}")


def _first_error(notebook: nbformat.NotebookNode) -> str:
    """'; first error: cell ID raised NAME: VALUE' for the first cell that raised (a test cell's failure may
    only be the consequence of a cell before it, e.g. a class cell whose definition raised)."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "?")
                value = (output.get("evalue") or "").strip().splitlines()
                return f"; first error: cell {grade_id} raised {output.get('ename')}: {value[0] if value else ''}"
    return ""


def nbgrader_config(root: Path):
    """nbgrader's settings for the course at ``root``, as nbgrader_config.py (CONFIG) writes them for its own
    commands: the one place both generate_assignment and autograde take them from."""
    from traitlets.config import Config
    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = COURSE_ID
    config.ClearSolutions.code_stub = {"python": CODE_STUB}
    return config


def generate(root: Path) -> None:
    from nbgrader.apps import NbGraderAPI

    use_this_environment()
    result = NbGraderAPI(config=nbgrader_config(root)).generate_assignment(ASSIGNMENT, force=True)
    if not result["success"]:
        last = (result.get("error") or result.get("log") or "unknown error").strip().splitlines()[-1]
        raise AssignmentError(f"nbgrader generate_assignment failed: {last}",
                              ko=f"nbgrader generate_assignment가 실패했습니다: {last}")
