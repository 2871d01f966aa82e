"""The command line's assignment commands: run the work, print what a person needs to see."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assignments.autograde import StudentGrade, autograde_course
from assignments.course import create_course
from assignments.parts import COMPONENTS, PART_IDS
from graders.config import config_from_document, read_document
from graders.messages import CATALOGUES, section
from graders.results import points_text


def create(course_dir: str, *, parts: Sequence[str] | None, lang: str, points_path: str | None) -> int:
    grading = read_course_config(points_path) if points_path else {}
    started = time.perf_counter()
    released = create_course(course_dir, parts=parts or PART_IDS, lang=lang,
                             points=grading.get("assignment", {}).get("points", {}), grading=grading)
    words = section(lang, "course")
    print(words["created"].format(released=released, s=time.perf_counter() - started))
    print(words["submitted"].format(folder=Path(course_dir) / "submitted" / "STUDENT" / "ch05" / released.name))
    return 0


def read_course_config(path: str) -> dict:
    """The grading config ``check --config`` takes (JSON or YAML, validated), whose ``assignment.points`` are the
    notebook's points per component; or, the short form, a JSON object of those points alone."""
    document = read_document(path)
    if document and all(name in COMPONENTS for name in document):
        document = {"assignment": {"points": document}}
    config_from_document(document, Path(path).name)  # validates: one line naming what is wrong
    return document


def autograde(course_dir: str, assignment: str, force: bool = False, student: str | None = None) -> int:
    console = Console(stderr=True)
    started = time.perf_counter()
    words = section(course_language(course_dir), "course")
    with console.status(words["working"]) as status:
        def progress(grade: StudentGrade) -> None:
            status.update(words["progress"].format(student=grade.student, score=points_text(grade.trusted),
                                                   max=points_text(grade.max_score), status=grade.status))
        grades = autograde_course(course_dir, assignment, on_student=progress, force=force, student=student)
    table = Table(title=words["title"].format(assignment=assignment, n=len(grades), s=time.perf_counter() - started))
    columns = [words[f"column.{c}"] for c in ("student", "score", "in_kernel", "max", "status", "flags")]
    for column, right in zip(columns, (False, True, True, True, False, False)):
        table.add_column(column, justify="right" if right else "left")
    for g in grades:
        table.add_row(g.student, points_text(g.trusted), points_text(g.in_kernel), points_text(g.max_score),
                      Text(g.status, style="" if g.status == "graded" else "red"), Text("; ".join(g.flags)))
    Console().print(table)
    root = Path(course_dir)
    print(words["exports"].format(csv=root / "exports" / "grades.csv", gradescope=root / "exports" / "gradescope",
                                  feedback=root / "feedback"))
    return 1 if any(g.flags or g.status != "graded" for g in grades) else 0


def course_language(course_dir: str) -> str:
    try:
        lang = json.loads((Path(course_dir) / "backprop_lab.json").read_text()).get("lang", "en")
    except (OSError, ValueError, AttributeError):
        return "en"
    return lang if lang in CATALOGUES else "en"
