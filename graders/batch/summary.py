"""What a teaching assistant reads at the end: scores, the class's most common bugs, a histogram, exports."""
from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from rich.table import Table
from rich.text import Text

from graders.batch.files import write_atomic
from graders.messages import label
from graders.report.exports import GradeRow, write_grades_csv, write_gradescope
from graders.results import points_text

# Bug classes that usually follow from another (a wrong Affine makes the net's gradient wrong too):
# the specific ones, the root causes, are listed first, then these.
CONSEQUENCES = {"wrong_value", "wrong_shape", "gradient_mismatch", "runtime_error", "training.diverged"}


def common_bugs(results: list[dict[str, Any]]) -> list[tuple[str, int, str]]:
    """(bug id, number of students with it, an example message), most common first: what to teach again."""
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for result in results:
        seen = set()
        for check in result.get("report", {}).get("checks", []):
            if check["status"] in ("fail", "error") and check["bug"] and check["bug"] not in seen:
                seen.add(check["bug"])
                examples.setdefault(check["bug"], check["message"])
        counts.update(seen)
    ranked = sorted(counts.items(), key=lambda item: (item[0] in CONSEQUENCES, -item[1], item[0]))
    return [(bug, n, examples[bug]) for bug, n in ranked]


def scores_table(results: list[dict[str, Any]], lang: str = "en") -> Table:
    table = Table(title=label(lang, "submissions").format(n=len(results)))
    for column, justify in (("student", "left"), ("score", "right"), ("max", "right"), ("failed_checks", "right"),
                            ("first_bug", "left")):
        table.add_column(label(lang, column), justify=justify)
    for r in results:
        if r["status"] != "graded":
            table.add_row(r["student"], "-", "-", "-", Text(r["error"], style="red"))
            continue
        failed = [c for c in r["report"]["checks"] if c["status"] in ("fail", "error")]
        table.add_row(r["student"], points_text(r["report"]["score"]), points_text(r["report"]["max_score"]),
                      str(len(failed)), failed[0]["bug"] if failed else "")
    return table


def bugs_table(results: list[dict[str, Any]], most: int = 10, lang: str = "en") -> Table:
    table = Table(title=label(lang, "common_bugs"))
    table.add_column(label(lang, "bug"))
    table.add_column(label(lang, "students"), justify="right")
    table.add_column(label(lang, "example"))
    for bug, n, example in common_bugs(results)[:most]:
        table.add_row(bug, str(n), Text(example if len(example) <= 110 else example[:107] + "..."))
    return table


def write_exports(results: list[dict[str, Any]], out_dir: Path, lang: str = "en") -> dict[str, Path]:
    """grades.csv, gradescope/STUDENT.json, scores.png and report.html in ``out_dir``."""
    from graders.batch.class_report import write_class_report
    paths = {"csv": out_dir / "grades.csv", "gradescope": out_dir / "gradescope", "histogram": out_dir / "scores.png",
             "report": out_dir / "report.html"}
    rows = []
    for r in results:
        report = r.get("report", {})
        bugs = sorted({c["bug"] for c in report.get("checks", []) if c["bug"] and c["status"] in ("fail", "error")})
        components: dict[str, float] = {}  # points per component, partial credit per check kept
        for check in report.get("checks", []):
            components[check["component"]] = components.get(check["component"], 0.0) + check["points"]
        rows.append(GradeRow(r["student"], report.get("score"), report.get("max_score"),
                             (r["status"], " ".join(bugs) or r.get("error", "")), components))
    write_grades_csv(paths["csv"], rows, extra=("status", "bugs"))
    write_gradescope(paths["gradescope"], {r["student"]: r["gradescope"] for r in results if r["status"] == "graded"})
    _histogram([r["report"] for r in results if r["status"] == "graded"], paths["histogram"])
    write_class_report(results, paths["histogram"], paths["report"], lang)
    return paths


def _histogram(reports: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6.4, 3.6), dpi=100)
    if reports:  # one bar per point (or per few points on a long scale), over the range the class spans
        maximum, lowest = max(r["max_score"] for r in reports), min(r["score"] for r in reports)
        step = max(1, int(np.ceil((maximum - np.floor(lowest)) / 40)))
        edges = np.arange(np.floor(lowest) - step / 2, maximum + step, step)
        axes.hist([r["score"] for r in reports], bins=edges, color="tab:blue", edgecolor="white")
        axes.set_xlim(edges[0], edges[-1])
    axes.set_xlabel("score")
    axes.set_ylabel("students")
    axes.set_title(f"scores of {len(reports)} submissions")
    figure.tight_layout()
    image = io.BytesIO()
    figure.savefig(image, format="png", metadata={"Software": None})  # no version stamp: same scores, same bytes
    plt.close(figure)
    write_atomic(path, image.getvalue())
