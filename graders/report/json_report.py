"""The report as JSON, in the shape published in graders/schemas/report.schema.json."""
from __future__ import annotations

from typing import Any

from graders import schemas
from graders.results import Report

SCHEMA_VERSION = 1


def schema() -> dict[str, Any]:
    return schemas.schema(schemas.REPORT)


def to_json(report: Report) -> dict[str, Any]:
    """A plain dict in the published schema's shape. The grader's own output is not validated on every call (the
    validator's import would be a twentieth of a cold check): the tests validate every report of the corpus, in
    both languages (tests/graders/test_golden_reports.py); what users hand in (configs) is validated on arrival."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "submission": report.submission,
        "lang": report.lang,
        "score": report.score,
        "max_score": report.max_score,
        "all_passed": report.all_passed,
        "seconds": report.seconds,
        "notes": list(report.notes),
        "attachments": report.attachments,
        "checks": [{"id": c.id, "component": c.component, "method": c.method, "status": c.status,
                    "points": c.points, "max_points": c.max_points, "bug": c.bug, "message": c.message,
                    "details": c.details} for c in report.checks],
    }
    return document
