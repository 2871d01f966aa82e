"""The report a student reads first: the score, one line per check, and under each failure what to fix."""
from __future__ import annotations

import io
from collections import Counter

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from graders.report.labels import label
from graders.results import Report, points_text

MARKS = {"pass": ("✓", "green"), "fail": ("✗", "red"), "error": ("✗", "red"), "warning": ("!", "yellow")}


def render_text(report: Report, *, color: bool | None = None, width: int = 100) -> str:
    """Plain text, with colour when ``color`` is True (or None and writing to a terminal is assumed off)."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=bool(color), no_color=not color, width=width, highlight=False,
                      soft_wrap=True)
    lang = report.lang
    counts = Counter(c.status for c in report.checks)
    console.print(Text(f"{report.submission}", style="bold"))
    console.print(f"{label(lang, 'score')}: {points_text(report.score)} / {points_text(report.max_score)}   "
                  f"{label(lang, 'passed')} {counts['pass']}, {label(lang, 'failed')} {counts['fail']}, "
                  f"{label(lang, 'errors')} {counts['error']}, {label(lang, 'warnings')} {counts['warning']}")
    for check in report.checks:
        mark, style = MARKS[check.status]
        line = Text(f"  {mark} ", style=style)
        line.append(f"{check.id:<40} {check.points:g}/{check.max_points:g}")
        console.print(line)
        if check.message:
            console.print(Text(f"      {check.message}", style="dim" if check.status == "warning" else ""))
    for name, run in report.attachments.items():
        if name.startswith("training."):
            console.print(_history_table(name, run, lang))
    for note in report.notes:
        console.print(f"{label(lang, 'notes')}: {note}")
    if report.all_passed:
        console.print(Text(label(lang, "all_passed"), style="bold green"))
    return buffer.getvalue()


def _history_table(name: str, run: dict[str, Any], lang: str) -> Table:
    """The per-epoch table of a training run, as the grader evaluated it."""
    loop = label(lang, "grader_loop" if name.endswith("grader") else "own_loop")
    table = Table(title=f"{loop}: {run['dataset']}, {run['iters']} steps (threshold {run['threshold']:g})",
                  title_justify="left", box=None, pad_edge=False)
    for column in ("epoch", "iteration", "loss", "train acc", "test acc"):
        table.add_column(column, justify="right")
    for row in run["history"]:
        table.add_row(f"{row['epoch']:g}", str(row["iteration"]), f"{row['loss']:.4f}", f"{row['train_acc']:.4f}",
                      f"{row['test_acc']:.4f}")
    for kind, path in run.get("files", {}).items():
        table.caption = (table.caption + "\n" if table.caption else "") + f"{kind}: {path}"
    table.caption_justify = "left"
    return table
