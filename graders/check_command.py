"""``backprop-lab check``: grade one submission and print the report; the exit code says how it went.

The library (``graders.checker``) grades and returns data; this module is the command around it: the
config file, the training settings, a progress bar on a terminal, the report in the format asked for,
one line on stderr for bad input, and the exit code (``graders.exit_codes``).
"""
from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence, TextIO

from graders import exit_codes
from graders.checker import check_submission
from graders.config import ConfigError, load_config
from graders.messages import say
from graders.sandbox import Probe
from graders.sandbox.calls import SandboxFailure
from graders.submission import SubmissionError
from graders.training.settings import TrainingSettings, settings_from
from labdata import DataError, LabError

LANGS = ("en", "ko")
FORMATS = ("text", "json", "gradescope")


@contextlib.contextmanager
def _training_progress(training: TrainingSettings | None) -> Iterator[Callable[[Probe, int], None] | None]:
    """A progress bar on stderr for the long training runs, when a person is watching."""
    if training is None or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    tasks: dict[str, Any] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        def on_tick(probe: Probe, step: int) -> None:
            total = probe.params.get("iters", len(probe.arrays.get("batches", ())))
            if probe.id not in tasks:
                tasks[probe.id] = bar.add_task(probe.id, total=total)
            bar.update(tasks[probe.id], completed=step)
        yield on_tick


def check_command(submission: str, *, only: Sequence[str] | None = None, fmt: str = "text", lang: str = "en",
                  config_path: str | None = None, out: TextIO | None = None, train: bool = False,
                  data: str | None = None, iters: int | None = None, data_dir: str | None = None,
                  out_dir: str | None = None) -> int:
    """Grade and print to ``out`` (stdout); 0 all passed, 1 a check failed, 2 usage or input error, 3 could not grade.

    ``train`` adds the trainer checks on ``data`` (default: the config's, else mnist-10k) for ``iters``
    steps; their history and learning curves go to ``out_dir`` (default runs/check-NAME).
    """
    out = out or sys.stdout
    if fmt not in FORMATS or lang not in LANGS:
        print(f"error: --format must be one of {FORMATS} and --lang one of {LANGS}", file=sys.stderr)
        return exit_codes.USAGE
    try:
        config = load_config(config_path)
        training = settings_from(config.raw, dataset=data, iters=iters, data_dir=data_dir) if train else None
        if training is not None and out_dir is None:
            out_dir = f"runs/check-{Path(submission).stem}"
        with _training_progress(training) as on_tick:
            report = check_submission(submission, only=only, lang=lang, config=config, training=training,
                                      out_dir=out_dir, on_tick=on_tick, beside=True)
    except (SubmissionError, ConfigError, DataError, ValueError) as exc:
        line = exc.text(lang) if isinstance(exc, LabError) else str(exc)
        exit_codes.say_error(line, lang)
        if fmt == "gradescope" and isinstance(exc, SubmissionError):  # Gradescope shows the student this
            from graders.report.gradescope import unreadable
            out.write(json.dumps(unreadable(line, lang), ensure_ascii=False, indent=2) + "\n")
        return exit_codes.USAGE
    except SandboxFailure as exc:
        exit_codes.say_error(say(lang, "grader_failed", error=exc), lang)
        return exit_codes.INTERNAL
    if fmt == "text":
        from graders.report.text import render_text
        out.write(render_text(report, color=out.isatty() if hasattr(out, "isatty") else False))
    else:
        from graders.report import gradescope, json_report
        document = json_report.to_json(report) if fmt == "json" else gradescope.to_gradescope(report)
        out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return exit_codes.OK if report.all_passed else exit_codes.FAILED
