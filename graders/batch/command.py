"""``backprop-lab grade``: the class folder in, results, a summary and exports out."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graders.batch.discover import discover
from graders.batch.lock import RunLock
from graders.batch.runner import grade_entries
from graders.batch.store import ResultStore
from graders.batch.summary import bugs_table, scores_table, write_exports
from graders.config import load_config
from graders.submission import SubmissionError


def grade_command(submissions_dir: str, out_dir: str, *, workers: int = 2, scheduler: str | None = None,
                  train: bool = False, force: bool = False, lang: str = "en", config_path: str | None = None,
                  data: str | None = None, iters: int | None = None) -> int:
    """Grade the class; 0 when every submission was graded, 1 when some could not be, 130 when interrupted."""
    config = load_config(config_path)
    if train:  # a schedule without a threshold is refused now, not in every worker
        from graders.training.settings import settings_from
        settings_from(config.raw, dataset=data, iters=iters)
    entries, problems = discover(submissions_dir)
    if not entries and not problems:
        raise SubmissionError(f"{submissions_dir}: no submissions in it (.py, .ipynb, folders, .zip, .tar.gz)")
    settings = {"config": dict(config.raw), "lang": lang, "train": train, "data": data, "iters": iters}
    with RunLock(Path(out_dir)):
        return _grade_locked(entries, problems, settings, out_dir, workers=workers, scheduler=scheduler, force=force)


def _grade_locked(entries: list, problems: list[str], settings: dict, out_dir: str, *, workers: int,
                  scheduler: str | None, force: bool) -> int:
    store = ResultStore(out_dir, settings)
    err = Console(stderr=True)
    for problem in problems:
        err.print(f"skipped: {problem}", soft_wrap=True, markup=False)
    started = time.perf_counter()
    with Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                  transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("grading", total=len(entries))
        bar.update(task, completed=sum(store.done(e) for e in entries) if not force else 0)
        try:
            progress = grade_entries(entries, store, settings, workers=workers, scheduler=scheduler, force=force,
                                     on_result=lambda *_: bar.advance(task))
        except KeyboardInterrupt:
            done = sum(store.done(e) for e in entries)
            err.print(f"interrupted: {done} of {len(entries)} graded and saved in {store.folder}; "
                      "run the same command again to grade the rest")
            return 130
    results = [r for e in entries if (r := store.load(e.student)) is not None]
    console = Console()
    console.print(scores_table(results))
    console.print(bugs_table(results))
    paths = write_exports(results, Path(out_dir))
    seconds = time.perf_counter() - started
    rate = len(progress.graded) / seconds * 60 if progress.graded else 0.0
    lost = f", {progress.lost_workers} lost and replaced" if progress.lost_workers else ""
    console.print(f"graded {len(progress.graded)}, already done {progress.skipped}, could not grade "
                  f"{len(progress.errors)}; {seconds:.1f} s ({rate:.0f} per minute) with "
                  f"{'the cluster at ' + scheduler if scheduler else f'{workers} worker(s)'}{lost}")
    console.print(f"grades: {paths['csv']}  Gradescope: {paths['gradescope']}  histogram: {paths['histogram']}")
    for result in results:
        if result.get("status") != "graded":  # one line each; the next run tries them again
            err.print(f"could not grade {result['student']}: {result.get('error', '')}", soft_wrap=True, markup=False)
    return 1 if progress.errors or problems else 0
