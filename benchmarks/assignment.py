"""The nbgrader cycle, timed in one run: `assignment create`, then ten submissions autograded.

    python benchmarks/assignment.py

Ten submissions of the whole assignment (all five parts): four correct, three with a bug, one
that raises, one that loops forever in a method, one that cheats in its kernel. The cycle
is nbgrader's autograde (a kernel per submission) with the sandboxed regrade beside it, the
gradebook, the exports and the feedback. Targets: create <= 30 s, the cycle <= 90 s.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "assignments"))

from assignments.autograde import autograde_course  # noqa: E402
from assignments.course import create_course  # noqa: E402
from course_kit import submit  # noqa: E402

SUBMISSIONS = {
    "correct1": {}, "correct2": {}, "correct3": {}, "correct4": {},
    "db_mean": {"Affine": ("np.sum(dout, axis=0)", "np.mean(dout, axis=0)")},
    "no_div_n": {"SoftmaxWithLoss": ("/ n", "")},
    "wrong_sign": {"train": ("-= learning_rate", "+= learning_rate")},
    "raises": {"Relu": ("        self.mask = x <= 0\n", "        raise ValueError('todo')\n")},
    "loops": {"MulLayer": ("        return dout * self.y", "        while True:\n            pass\n")},
    "cheats": {"Relu": ("x <= 0", "x < 0")},
}
CHEAT = "\ndef check_component(*args, **kwargs):\n    pass\n"


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        course = Path(work) / "course"
        start = time.perf_counter()
        create_course(course)
        created = time.perf_counter() - start
        for student, changes in SUBMISSIONS.items():
            submit(course, student, changes, extra={"Relu": CHEAT} if student == "cheats" else {})
        start = time.perf_counter()
        grades = autograde_course(course)
        cycle = time.perf_counter() - start
    print(f"{'step':<44}{'seconds':>9}  target")
    print(f"{'assignment create (validate + generate)':<44}{created:>9.1f}  <= 30 s: {'met' if created <= 30 else 'MISSED'}")
    print(f"{'autograde, 10 submissions (all five parts)':<44}{cycle:>9.1f}  <= 90 s: {'met' if cycle <= 90 else 'MISSED'}")
    print(f"{'whole cycle':<44}{created + cycle:>9.1f}")
    print(f"\n{'student':<12}{'trusted':>8}{'in kernel':>10}{'max':>6}  status   flags")
    for g in grades:
        print(f"{g.student:<12}{g.trusted:>8.2f}{g.in_kernel:>10.2f}{g.max_score:>6g}  {g.status:<8} {'; '.join(g.flags)}")


if __name__ == "__main__":
    main()
