"""The nbgrader cycle, timed in one run: `assignment create`, then the class of ten autograded.

    python benchmarks/assignment.py            # the full default course (all five parts), ten students
    python benchmarks/assignment.py --short    # the graph part, two students: that the script still runs

The class is tests/assignments/class_of_ten.py: two correct (one with a harmless warning), four with a
bug, one that raises, one that loops forever in a method, one whose kernel dies, one that cheats in
its kernel, one unreadable notebook. The cycle is nbgrader's autograde (a kernel per submission) with
the sandboxed regrade beside it, the gradebook, the exports and the feedback. It also says whether
each student has one score in the gradebook, grades.csv, the Gradescope JSON and diagnosis.txt.
Targets: create <= 30 s, the cycle <= 90 s.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "assignments"))

from assignments.autograde import StudentGrade, autograde_course  # noqa: E402
from assignments.course import ASSIGNMENT, create_course  # noqa: E402
from class_of_ten import CLASS, hand_in  # noqa: E402


def scores_everywhere(course: Path, grade: StudentGrade) -> dict[str, float]:
    """The student's score as each output states it."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        in_gradebook = gradebook.find_submission(ASSIGNMENT, grade.student).score
    rows = {r["student_id"]: r for r in csv.DictReader((course / "exports" / "grades.csv").open(encoding="utf-8"))}
    gradescope = json.loads((course / "exports" / "gradescope" / f"{grade.student}.json").read_text())
    diagnosis = (course / "feedback" / grade.student / ASSIGNMENT / "diagnosis.txt").read_text()
    stated = next(line for line in diagnosis.splitlines() if line.startswith(("score:", "점수:")))
    return {"gradebook": in_gradebook, "grades.csv": float(rows[grade.student]["score"]),
            "gradescope": gradescope["score"], "gradescope tests": sum(t["score"] for t in gradescope["tests"]),
            "diagnosis.txt": float(stated.split(":", 1)[1].split("/")[0])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="the graph part and two students only")
    args = parser.parse_args()
    parts = ("graph",) if args.short else None
    students = {name: CLASS[name] for name in ("correct", "loops")} if args.short else CLASS
    with tempfile.TemporaryDirectory() as work:
        course = Path(work) / "course"
        start = time.perf_counter()
        create_course(course, **({"parts": parts} if parts else {}))
        created = time.perf_counter() - start
        hand_in(course, students)
        start = time.perf_counter()
        grades = autograde_course(course)
        cycle = time.perf_counter() - start
        everywhere = {g.student: scores_everywhere(course, g) for g in grades}
    what = "the graph part" if args.short else "all five parts"
    print(f"{'step':<48}{'seconds':>9}  target")
    print(f"{'assignment create (validate + generate)':<48}{created:>9.1f}  <= 30 s: {'met' if created <= 30 else 'MISSED'}")
    print(f"{f'autograde, {len(grades)} submissions ({what})':<48}{cycle:>9.1f}  <= 90 s: "
          f"{'met' if cycle <= 90 else 'MISSED'}")
    print(f"{'whole cycle':<48}{created + cycle:>9.1f}")
    print(f"\n{'student':<12}{'trusted':>8}{'in kernel':>10}{'max':>6}  {'status':<11}flags")
    for g in grades:
        print(f"{g.student:<12}{g.trusted:>8.2f}{g.in_kernel:>10.2f}{g.max_score:>6g}  {g.status:<11}{'; '.join(g.flags)}")
    same = all(max(v.values()) - min(v.values()) < 1e-6 for v in everywhere.values())
    print(f"\none score per student in the gradebook, grades.csv, Gradescope (score and tests) and diagnosis.txt: "
          f"{'yes' if same else 'NO'}")
    if not same:
        for student, values in everywhere.items():
            print(f"  {student}: {values}")


if __name__ == "__main__":
    main()
