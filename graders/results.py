"""Grading results as plain data: what every check produces and every report consumes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["pass", "fail", "error", "warning"]
STATUSES: tuple[Status, ...] = ("pass", "fail", "error", "warning")


@dataclass(frozen=True)
class CheckResult:
    """One graded property of one component, e.g. ``Affine.backward.db``.

    ``status`` is ``pass`` or ``fail`` for a property that was measured, ``error`` when
    the submission could not be run far enough to measure it (exception, timeout,
    crash, missing name), and ``warning`` for a harmless habit that deducts nothing.
    ``message`` is already in the report's language; ``details`` carries the numbers
    behind it (expected, got, worst index, tolerance) for machine readers.
    """

    id: str
    component: str
    method: str
    status: Status
    points: float
    max_points: float
    message: str = ""
    bug: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status in ("pass", "warning")


@dataclass(frozen=True)
class Report:
    """Everything known about one graded submission."""

    submission: str
    checks: tuple[CheckResult, ...]
    lang: str = "en"
    seconds: float = 0.0
    notes: tuple[str, ...] = ()
    attachments: dict[str, Any] = field(default_factory=dict)  # e.g. a training run's history and files

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.checks), 6)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_points for c in self.checks), 6)

    @property
    def all_passed(self) -> bool:
        return all(c.passed for c in self.checks)


def points_text(value: float) -> str:
    """A score as every output writes it (the gradebook keeps 6 decimals), without trailing zeros: 24, 14.666667.
    One format everywhere, so a student never reads two numbers for one score."""
    return f"{value:.6f}".rstrip("0").rstrip(".")
