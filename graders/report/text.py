"""The report a student reads first: the score, one line per check, and under each failure what to fix."""
from __future__ import annotations

import io
from collections import Counter
from typing import Any, Iterator

from graders.messages import label
from graders.results import Report, points_text

MARKS = {"pass": ("✓", "green"), "fail": ("✗", "red"), "error": ("✗", "red"), "warning": ("!", "yellow")}


def render_text(report: Report, *, color: bool | None = None, width: int = 100) -> str:
    """Plain text, with colour when ``color`` is True. Plain text is written without rich (its import is a tenth
    of a check's time); only a training run's table goes through it."""
    if not color:
        return "".join(text if style == "table" else f"{text}\n" for text, style in _lines(report, False, width))
    from rich.console import Console
    from rich.text import Text
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=width, highlight=False, soft_wrap=True)
    for text, style in _lines(report, True, width):
        if style == "table":
            buffer.write(text)
        else:
            console.print(Text(text, style=style))
    return buffer.getvalue()


def _lines(report: Report, color: bool, width: int) -> Iterator[tuple[str, str]]:
    """The report's lines with their styles; a training table comes rendered whole, styled "table"."""
    lang = report.lang
    counts = Counter(c.status for c in report.checks)
    yield report.submission, "bold"
    yield (f"{label(lang, 'score')}: {points_text(report.score)} / {points_text(report.max_score)}   "
           f"{label(lang, 'passed')} {counts['pass']}, {label(lang, 'failed')} {counts['fail']}, "
           f"{label(lang, 'errors')} {counts['error']}, {label(lang, 'warnings')} {counts['warning']}"), ""
    for check in report.checks:
        mark, style = MARKS[check.status]
        yield f"  {mark} {check.id:<40} {check.points:g}/{check.max_points:g}", style
        if check.message:
            yield f"      {check.message}", "dim" if check.status == "warning" else ""
    for name, run in report.attachments.items():
        if name.startswith("training."):
            yield _table_text(name, run, lang, color, width), "table"
    for note in report.notes:
        yield f"{label(lang, 'notes')}: {note}", ""
    if report.all_passed:
        yield label(lang, "all_passed"), "bold green"


def _table_text(name: str, run: dict[str, Any], lang: str, color: bool, width: int) -> str:
    from rich.console import Console
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=color, no_color=not color, width=width, highlight=False,
            soft_wrap=True).print(_history_table(name, run, lang))
    return buffer.getvalue()


def _history_table(name: str, run: dict[str, Any], lang: str) -> Any:
    """The per-epoch table of a training run, as the grader evaluated it (a rich Table)."""
    from rich.table import Table
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
