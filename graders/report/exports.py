"""A class's exports, written the same way by ``grade`` and ``autograde``: grades.csv (a row per student: the
score, what the command adds, then the points of each component, as otter and nbgrader users expect) and
gradescope/STUDENT.json. Every score is spelled as the gradebook keeps it; every file is written atomically."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from graders.batch.files import write_atomic
from graders.results import points_text


@dataclass(frozen=True)
class GradeRow:
    """One student's line of grades.csv; ``score`` None when the submission could not be graded."""

    student: str
    score: float | None
    max_score: float | None
    columns: Sequence[str] = ()                                     # the command's own, in ``extra`` order
    components: dict[str, float] = field(default_factory=dict)      # points per component


def write_grades_csv(path: Path, rows: Sequence[GradeRow], extra: Sequence[str]) -> None:
    """student_id, score, max_score, the ``extra`` columns, then one column per component (first seen first)."""
    components = list(dict.fromkeys(c for row in rows for c in row.components))
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["student_id", "score", "max_score", *extra, *components])
    for row in rows:
        graded = row.score is not None
        writer.writerow([row.student, points_text(row.score) if graded else "",
                         points_text(row.max_score) if graded and row.max_score is not None else "", *row.columns,
                         *(points_text(row.components.get(c, 0.0)) if graded else "" for c in components)])
    write_atomic(path, table.getvalue())


def write_gradescope(folder: Path, documents: dict[str, dict[str, Any]]) -> None:
    """gradescope/STUDENT.json: Gradescope's results.json of each student."""
    folder.mkdir(parents=True, exist_ok=True)
    for student, document in documents.items():
        write_atomic(folder / f"{student}.json", json.dumps(document, ensure_ascii=False, indent=1))
