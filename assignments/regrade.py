"""Regrading a submitted notebook out of its kernel: the student's solution cells, found by grade_id,
put back among the source notebook's own setup and given cells, and graded by the sandboxed checker."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, Mapping, Sequence

import nbformat

from assignments.parts import COMPONENTS
from graders.bugs import UNREADABLE
from graders.checker import check_submission
from graders.config import config_from_document
from graders.sandbox import Limits
from graders.results import Report
from graders.submission import SubmissionError, load_submission
from graders.training.settings import TrainingSettings

# The trainer in the assignment: replay of both loops, and a short accuracy run of the student's own
# loop (about a second; the reference reaches 0.87-0.88 after 500 steps on the embedded digits).
TRAINING = TrainingSettings(iters=500, threshold=0.85, accuracy_loops=("own",))


def trusted_notebook(source: Path, submitted: Path, target: Path) -> list[str]:
    """Write to ``target`` the notebook the sandbox grades; returns the components the source assigns.

    Only solution cells come from the submission; everything else (setup, given code) comes from
    the source, so a student who edited a locked cell changes nothing. Tests and demos are left out.
    """
    source_nb = nbformat.read(source, as_version=4)
    submitted_cells = {}
    try:
        for cell in nbformat.read(submitted, as_version=4).cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id:
                submitted_cells[grade_id] = cell.source
    except (OSError, ValueError, KeyError, json.JSONDecodeError):
        pass  # an unreadable submission: its solution cells are empty and every component fails
    cells, assigned = [], []
    for cell in source_nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id", "")
        if cell.cell_type != "code" or meta.get("grade") or grade_id.endswith("_demo"):
            continue
        if meta.get("solution"):
            assigned.append(grade_id)
            cells.append(nbformat.v4.new_code_cell(submitted_cells.get(grade_id, "")))
        else:
            cells.append(nbformat.v4.new_code_cell(cell.source))
    nbformat.write(nbformat.v4.new_notebook(cells=cells), target)
    return assigned


def regrade(source: Path, submitted: Path, work: Path, lang: str, limits: Limits = Limits(),
            grading: Mapping[str, Any] | None = None) -> Report:
    """The trusted report of one submission, under the course's grading config (``grading``, validated when the
    course was made): its names rule, and its limits if it sets any (else ``limits``)."""
    target = work / f"{submitted.parent.parent.name}.ipynb"
    assigned = trusted_notebook(source, submitted, target)
    components: Sequence[str] = [c for c in assigned if c in COMPONENTS and c != "train"]
    training = TRAINING if "train" in assigned else None
    config = config_from_document(dict(grading or {}), validate=False)
    if "limits" not in (grading or {}):
        config = dataclasses.replace(config, limits=limits)
    report = check_submission(str(target), only=components or ["MulLayer"], lang=lang, training=training,
                              config=config)
    report = dataclasses.replace(report, submission=str(submitted))
    reason = unreadable_reason(submitted, lang)
    return report if reason is None else _unreadable(report, reason)


def unreadable_reason(submitted: Path, lang: str) -> str | None:
    """Why the submitted notebook cannot be read (one line, in ``lang``), or None when it can."""
    try:
        load_submission(submitted)
    except SubmissionError as exc:
        return exc.text(lang).replace(str(submitted), submitted.name)
    return None


def unreadable(report: Report) -> bool:
    """Was the notebook unreadable (every check failed for that one reason, which is the first note)?"""
    return bool(report.checks) and all(c.bug == "unreadable" for c in report.checks)


def _unreadable(report: Report, reason: str) -> Report:
    """Every check failed for the one reason there is, said once per check and first among the notes
    (rather than "MulLayer is not defined" for each of them)."""
    bug = UNREADABLE
    checks = tuple(dataclasses.replace(check, status="error", points=0.0, bug=bug.id,
                                       message=f"{check.message.split(': ', 1)[0]}: {bug.message(report.lang, error=reason)}")
                   for check in report.checks)
    return dataclasses.replace(report, checks=checks, notes=(reason, *report.notes))


def component_fraction(report: Report, component: str) -> float:
    """The share of ``component``'s points the trusted checks gave."""
    checks = [c for c in report.checks if c.component == component]
    maximum = sum(c.max_points for c in checks)
    return sum(c.points for c in checks) / maximum if maximum else 0.0
