"""The report as JSON, in the shape published in graders/schemas/report.schema.json."""
from __future__ import annotations

import json
from importlib import resources
from typing import Any

from graders.results import Report

SCHEMA_VERSION = 1


def schema() -> dict[str, Any]:
    return json.loads(resources.files("graders.schemas").joinpath("report.schema.json").read_text())


def to_json(report: Report) -> dict[str, Any]:
    """A plain dict; validated against the published schema before it is returned."""
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
    import jsonschema  # only here: its import costs about a second, which text reports need not pay

    jsonschema.validate(document, schema(), cls=jsonschema.Draft202012Validator)
    return document
