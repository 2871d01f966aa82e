"""autograde's exports: grades.csv (the gradebook's score, then a column of points per component) and one
Gradescope results file per student, each written atomically."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

from graders.batch.files import write_atomic
from graders.results import points_text

if TYPE_CHECKING:
    from assignments.autograde import StudentGrade


def export(root: Path, grades: list["StudentGrade"]) -> None:
    """grades.csv (the gradebook's score, then a column of points per component) and the Gradescope files."""
    exports = root / "exports"
    (exports / "gradescope").mkdir(parents=True, exist_ok=True)
    per_student = {g.student: _per_component(g.gradescope) for g in grades}
    components = list(dict.fromkeys(c for points in per_student.values() for c in points))
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["student_id", "score", "max_score", "in_kernel_score", "status", "flags", *components])
    for g in grades:
        writer.writerow([g.student, points_text(g.trusted), points_text(g.max_score), points_text(g.in_kernel), g.status,
                         "; ".join(g.flags), *(points_text(per_student[g.student].get(c, 0.0)) for c in components)])
    write_atomic(exports / "grades.csv", table.getvalue())
    for g in grades:
        write_atomic(exports / "gradescope" / f"{g.student}.json", json.dumps(g.gradescope, ensure_ascii=False, indent=1))


def _per_component(gradescope: dict) -> dict[str, float]:
    """Points per component the gradebook scores, from the Gradescope tests (each tagged with its component first);
    checks worth nothing there (the grader's own training loop, in an assignment that grades ``train``) are left out."""
    points: dict[str, float] = {}
    for test in gradescope.get("tests", []):
        if float(test.get("max_score", 0.0)) > 0:
            component = (test.get("tags") or ["?"])[0]
            points[component] = points.get(component, 0.0) + float(test.get("score", 0.0))
    return points
