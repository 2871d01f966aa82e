"""autograde's exports: grades.csv (the gradebook's score, the score in the kernel, the status and flags, then
a column of points per component) and one Gradescope results file per student (graders/report/exports.py)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from graders.report.exports import GradeRow, write_gradescope, write_grades_csv
from graders.results import points_text

if TYPE_CHECKING:
    from assignments.autograde import StudentGrade


def export(root: Path, grades: list["StudentGrade"]) -> None:
    exports = root / "exports"
    rows = [GradeRow(g.student, g.trusted, g.max_score, (points_text(g.in_kernel), g.status, "; ".join(g.flags)),
                     _per_component(g.gradescope)) for g in grades]
    write_grades_csv(exports / "grades.csv", rows, extra=("in_kernel_score", "status", "flags"))
    write_gradescope(exports / "gradescope", {g.student: g.gradescope for g in grades})


def _per_component(gradescope: dict) -> dict[str, float]:
    """Points per component the gradebook scores, from the Gradescope tests (each tagged with its component first);
    checks worth nothing there (the grader's own training loop, in an assignment that grades ``train``) are left out."""
    points: dict[str, float] = {}
    for test in gradescope.get("tests", []):
        if float(test.get("max_score", 0.0)) > 0:
            component = (test.get("tags") or ["?"])[0]
            points[component] = points.get(component, 0.0) + float(test.get("score", 0.0))
    return points
