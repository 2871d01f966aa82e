"""``backprop-lab autograde``: nbgrader's autograde, then a trusted regrade of every submission.

nbgrader runs the tests in the student's own kernel, where the student's code can patch them.
Here every submission is regraded out of the kernel by the sandboxed graders; the trusted score
is written into the gradebook (as the cells' manual score, which nbgrader's totals prefer); a
submission whose notebook tests passed but whose trusted ones did not is flagged; a kernel
that died is reported as crashed. Grades go to exports/grades.csv, Gradescope JSON to
exports/gradescope/, and feedback (nbgrader's HTML with the diagnoses as comments, and the
diagnostic report) to feedback/STUDENT/ASSIGNMENT/.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from assignments.course import ASSIGNMENT, NOTEBOOK, AssignmentError, nbgrader_config
from assignments.environment import use_this_environment
from assignments.exports import export
from assignments.kernel_sandbox import sandboxed_kernels
from assignments.regrade import component_fraction, regrade, unreadable
from graders.batch.files import write_atomic
from graders.batch.lock import RunLock
from graders.messages import say
from graders.report.gradescope import to_gradescope
from graders.report.text import render_text
from graders.results import Report
from graders.sandbox import Limits, leftovers

EPSILON = 1e-6
CELL_SECONDS = 8                          # a notebook cell in nbgrader's kernel (the slowest, training, takes ~2 s)
REGRADE_LIMITS = Limits(probe_seconds=3)  # a call in the sandbox (the slowest takes well under a second)


@dataclass
class StudentGrade:
    student: str
    in_kernel: float = 0.0            # what nbgrader's run in the student's kernel gave
    trusted: float = 0.0              # what the sandboxed regrade gives (recorded in the gradebook)
    max_score: float = 0.0
    # graded, crashed (the kernel died), unreadable (not a notebook), not-run (nbgrader could not run it)
    status: str = "graded"
    flags: list[str] = field(default_factory=list)
    report: Report | None = None      # None for a student kept from an earlier run
    gradescope: dict = field(default_factory=dict)

    def saved(self, digest: str, source: str) -> dict:
        return {"student": self.student, "digest": digest, "source": source, "in_kernel": self.in_kernel,
                "trusted": self.trusted, "max_score": self.max_score, "status": self.status, "flags": self.flags,
                "gradescope": self.gradescope}


def autograde_course(course_dir: str | Path, assignment: str = ASSIGNMENT, *, force: bool = False,
                     student: str | None = None,
                     on_student: Callable[[StudentGrade], None] | None = None) -> list[StudentGrade]:
    """Autograde every submission not graded yet (``force``: all of them; ``student``: that one again); each
    student's result is kept the moment it is done (exports/results/STUDENT.json), so a killed run resumes."""
    root = Path(course_dir).resolve()
    settings = _course_settings(root)
    if assignment != ASSIGNMENT:
        raise AssignmentError(f"{root}: no assignment {assignment!r} (this course has {ASSIGNMENT!r})",
                              ko=f"{root}: 과제 {assignment!r}이(가) 없습니다 (이 과정의 과제는 {ASSIGNMENT!r})")
    submitted = sorted(p for p in (root / "submitted").glob(f"*/{assignment}") if p.is_dir())
    if not submitted:
        raise AssignmentError(f"{root / 'submitted'}: no submissions of {assignment}",
                              ko=f"{root / 'submitted'}: {assignment}의 제출물이 없습니다")
    if student is not None and student not in {f.parent.name for f in submitted}:
        raise AssignmentError(f"{root / 'submitted'}: no submission of {assignment} by {student!r}",
                              ko=f"{root / 'submitted'}: {student!r}의 {assignment} 제출물이 없습니다")
    use_this_environment()
    with RunLock(root / "exports"):
        return _autograde(root, assignment, settings, submitted, force, on_student, student)


def _autograde(root: Path, assignment: str, settings: dict, submitted: list[Path], force: bool,
               on_student: Callable[[StudentGrade], None] | None, student: str | None = None) -> list[StudentGrade]:
    kept = root / "exports" / "results"
    kept.mkdir(parents=True, exist_ok=True)
    source_digest = settings.get("source_sha256", "")
    grades = []
    # nbgrader runs one kernel at a time, sandboxed; the sandboxed regrade of the same submission runs beside it,
    # from a copy of the source notebook taken before any student code ran (and checked against its hash).
    with tempfile.TemporaryDirectory(prefix=leftovers.prefix("autograde")) as work, \
            ThreadPoolExecutor(max_workers=1) as beside, \
            sandboxed_kernels(root) as kernel_config:
        source = _trusted_source(root, assignment, settings, Path(work))
        api = _api(root, kernel_config)
        for folder in submitted:
            digest = hashlib.sha256((folder / NOTEBOOK).read_bytes()).hexdigest() \
                if (folder / NOTEBOOK).is_file() else ""
            again = force or folder.parent.name == student
            earlier = None if again else _kept(kept / f"{folder.parent.name}.json", digest, source_digest)
            if earlier is not None:
                grades.append(earlier)
                continue
            grade = StudentGrade(folder.parent.name)
            trusted = beside.submit(regrade, source, folder / NOTEBOOK, Path(work), settings["lang"], REGRADE_LIMITS,
                                    settings.get("grading"))
            outcome = api.autograde(assignment, grade.student, force=True)
            log = (outcome.get("log") or "") + (outcome.get("error") or "")
            if not outcome["success"]:
                grade.status = "crashed" if "Kernel died" in log or "DeadKernel" in log else "not-run"
            grade.report = trusted.result()
            if unreadable(grade.report):  # said wherever the score is: grades.csv, Gradescope, feedback, comments
                grade.status, grade.flags = "unreadable", [grade.report.notes[0]]
            _record(root, assignment, grade)
            _feedback(api, root, assignment, grade, settings["lang"])
            grade.gradescope = to_gradescope(grade.report) | {"score": grade.trusted}
            write_atomic(kept / f"{grade.student}.json",
                         json.dumps(grade.saved(digest, source_digest), ensure_ascii=False, indent=1))
            grades.append(grade)
            if on_student:
                on_student(grade)
    export(root, grades)
    return grades


def _kept(path: Path, digest: str, source: str) -> StudentGrade | None:
    """A student graded by an earlier run from the same notebook and source, if any."""
    try:
        saved = json.loads(path.read_text())
        if saved["digest"] != digest or saved["source"] != source or not digest:
            return None
        return StudentGrade(saved["student"], saved["in_kernel"], saved["trusted"], saved["max_score"],
                            saved["status"], list(saved["flags"]), None, dict(saved["gradescope"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _record(root: Path, assignment: str, grade: StudentGrade) -> None:
    """Trusted scores into the gradebook as manual scores; in-kernel scores kept for comparison."""
    from nbgrader.api import Gradebook, MissingEntry

    notebook_id = Path(NOTEBOOK).stem
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        try:
            submission = gradebook.find_submission_notebook(notebook_id, assignment, grade.student)
        except MissingEntry:
            grade.status = "not-run"
            return
        lang = grade.report.lang if grade.report else "en"
        disagree, maxima, awarded = [], {}, {}
        for cell in submission.grades:
            component = cell.name.rsplit("_", 1)[0]
            maxima[component] = maxima.get(component, 0.0) + cell.max_score
            fraction = component_fraction(grade.report, component)
            in_kernel = cell.auto_score or 0.0
            cell.manual_score = round(fraction * cell.max_score, 6)
            awarded[component] = awarded.get(component, 0.0) + cell.manual_score
            grade.in_kernel += in_kernel
            grade.trusted += cell.manual_score
            grade.max_score += cell.max_score
            if in_kernel > cell.manual_score + EPSILON and component not in disagree:
                disagree.append(component)
        grade.report = on_gradebook_scale(grade.report, maxima, awarded)
        for comment in submission.comments:
            notes = [c.message for c in grade.report.checks if c.component == comment.name and c.message]
            if notes:
                comment.manual_comment = "\n".join(notes)
        gradebook.db.commit()
    if disagree:
        grade.flags.append(say(lang, "possible_tampering", checks=", ".join(disagree)))


def on_gradebook_scale(report: Report, maxima: dict[str, float], awarded: dict[str, float]) -> Report:
    """The report with each component's checks worth the gradebook's points for it: their maxima add up to the
    component's cells' maxima and their points to what the cells were given (rounded as the gradebook rounds),
    partial credit per check kept, so the gradebook, grades.csv, Gradescope and the feedback state one score."""
    totals: dict[str, list[float]] = {}
    for check in report.checks:
        total = totals.setdefault(check.component, [0.0, 0.0])
        total[0] += check.points
        total[1] += check.max_points
    scaled = []
    for check in report.checks:
        points, maximum = totals[check.component]
        to_points = awarded.get(check.component, 0.0) / points if points else 0.0
        to_maximum = maxima.get(check.component, 0.0) / maximum if maximum else 0.0
        scaled.append(dataclasses.replace(check, points=round(check.points * to_points, 9),
                                          max_points=round(check.max_points * to_maximum, 9)))
    return dataclasses.replace(report, checks=tuple(scaled))


def _feedback(api, root: Path, assignment: str, grade: StudentGrade, lang: str) -> None:
    if grade.status == "graded":
        api.generate_feedback(assignment, grade.student, force=True)
    folder = root / "feedback" / grade.student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    status = say(lang, "course.status", status=grade.status)
    header = "\n".join(grade.flags + ([status] if grade.status != "graded" else []))
    (folder / "diagnosis.txt").write_text((header + "\n\n" if header else "") + render_text(grade.report, color=False))


def _course_settings(root: Path) -> dict:
    try:
        return json.loads((root / "backprop_lab.json").read_text())
    except (OSError, json.JSONDecodeError):
        raise AssignmentError(f"{root}: not a course made by `backprop-lab assignment create` "
                              "(no readable backprop_lab.json)",
                              ko=f"{root}: `backprop-lab assignment create`로 만든 과정이 아닙니다 "
                              "(읽을 수 있는 backprop_lab.json이 없습니다)") from None


def _trusted_source(root: Path, assignment: str, settings: dict, work: Path) -> Path:
    """A private copy of the source notebook, the same bytes ``assignment create`` wrote (by hash), so that
    nothing a submission did to the course folder reaches the trusted regrade."""
    import hashlib
    data = (root / "source" / assignment / NOTEBOOK).read_bytes()
    expected = settings.get("source_sha256")
    if expected and hashlib.sha256(data).hexdigest() != expected:
        raise AssignmentError(f"{root / 'source' / assignment / NOTEBOOK}: changed since `backprop-lab assignment "
                              "create` (its hash differs); create the course again before grading",
                              ko=f"{root / 'source' / assignment / NOTEBOOK}: `backprop-lab assignment create` 뒤에 "
                              "바뀌었습니다 (해시가 다릅니다). 채점하기 전에 과정을 다시 만드세요")
    copy = work / "source" / NOTEBOOK
    copy.parent.mkdir()
    copy.write_bytes(data)
    return copy


def _api(root: Path, extra: dict | None = None):
    from nbgrader.apps import NbGraderAPI

    warnings.filterwarnings("ignore", module="nbgrader")  # its SQLAlchemy session warnings are not the user's
    config = nbgrader_config(root)
    config.Execute.timeout = CELL_SECONDS
    config.Execute.interrupt_on_timeout = True
    for section, values in (extra or {}).items():
        for key, value in values.items():
            setattr(config[section], key, value)
    return NbGraderAPI(config=config)
