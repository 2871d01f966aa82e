"""Gradescope's results.json: one test per check, the score, text output."""
from __future__ import annotations

from typing import Any

from graders.messages import label, say
from graders.results import Report


def to_gradescope(report: Report) -> dict[str, Any]:
    tests = [{"name": c.id, "name_format": "text", "score": c.points, "max_score": c.max_points,
              "status": "passed" if c.passed else "failed", "output": c.message, "output_format": "text",
              "tags": [c.component] + ([c.bug] if c.bug else [])} for c in report.checks]
    summary = "\n".join(report.notes) or (label(report.lang, "all_passed") if report.all_passed else "")
    return {"score": report.score, "output": summary, "output_format": "text", "visibility": "visible",
            "execution_time": report.seconds, "tests": tests}


def unreadable(reason: str, lang: str = "en") -> dict[str, Any]:
    """results.json for a submission that could not be read at all: the student sees why, not a broken autograder."""
    text = say(lang, "unreadable_submission", reason=reason)
    return {"score": 0.0, "output": text, "output_format": "text", "visibility": "visible", "tests": []}
