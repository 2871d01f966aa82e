"""``backprop-lab grade``: the class folder in, results, a summary and exports out."""
from __future__ import annotations

import difflib
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
from graders.messages import label
from graders.submission import SubmissionError


def grade_command(submissions_dir: str, out_dir: str, *, workers: int = 2, scheduler: str | None = None,
                  train: bool = False, force: bool = False, lang: str = "en", config_path: str | None = None,
                  data: str | None = None, iters: int | None = None, student: str | None = None) -> int:
    """Grade the class; 0 when every submission was graded, 1 when some could not be, 130 when interrupted.
    ``student``: regrade that one student only (the others' results and the exports are kept)."""
    config = load_config(config_path)
    if train:  # a schedule without a threshold is refused now, not in every worker
        from graders.training.settings import settings_from
        settings_from(config.raw, dataset=data, iters=iters)
    entries, problems = discover(submissions_dir)
    if not entries and not problems:
        raise SubmissionError(f"{submissions_dir}: no submissions in it (.py, .ipynb, folders, .zip, .tar.gz)",
                              ko=f"{submissions_dir}: 제출물(.py, .ipynb, 폴더, .zip, .tar.gz)이 없습니다")
    everyone = entries
    if student is not None:
        chosen = [e for e in entries if e.student == student]
        if not chosen:
            near = difflib.get_close_matches(student, [e.student for e in entries], n=3)
            raise SubmissionError(f"{submissions_dir}: no student {student!r}"
                                  + (f"; did you mean {', '.join(near)}?" if near else ""),
                                  ko=f"{submissions_dir}: 학생 {student!r}이(가) 없습니다"
                                  + (f". 혹시 {', '.join(near)}인가요?" if near else ""))
        entries, problems, force = chosen, [], True
    settings = {"config": dict(config.raw), "lang": lang, "train": train, "data": data, "iters": iters}
    with RunLock(Path(out_dir)):
        return _grade_locked(entries, everyone, problems, settings, out_dir, workers=workers, scheduler=scheduler,
                             force=force, lang=lang)


def _grade_locked(entries: list, everyone: list, problems: list[str], settings: dict, out_dir: str, *,
                  workers: int, scheduler: str | None, force: bool, lang: str) -> int:
    """Grade ``entries``; the tables and exports cover ``everyone`` in the class."""
    store = ResultStore(out_dir, settings)
    err = Console(stderr=True)
    for problem in problems:
        err.print(label(lang, "skipped").format(why=problem), soft_wrap=True, markup=False)
    started = time.perf_counter()
    with Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                  transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("grading", total=len(entries))
        bar.update(task, completed=sum(store.done(e) for e in entries) if not force else 0)
        try:
            tally = grade_entries(entries, store, settings, workers=workers, scheduler=scheduler, force=force,
                                     on_result=lambda *_: bar.advance(task))
        except KeyboardInterrupt:
            done = sum(store.done(e) for e in entries)
            err.print(label(lang, "interrupted").format(done=done, total=len(entries), folder=store.folder))
            return 130
    results = [r for e in everyone if (r := store.load(e.student)) is not None]
    console = Console()
    console.print(scores_table(results, lang))
    console.print(bugs_table(results, lang=lang))
    paths = write_exports(results, Path(out_dir), lang)
    seconds = time.perf_counter() - started
    rate = len(tally.graded) / seconds * 60 if tally.graded else 0.0
    how = label(lang, "cluster").format(at=scheduler) if scheduler else label(lang, "workers").format(n=workers)
    lost = label(lang, "lost").format(n=tally.lost_workers) if tally.lost_workers else ""
    console.print(label(lang, "summary").format(graded=len(tally.graded), done=tally.skipped,
                                                 errors=len(tally.errors), s=seconds, rate=rate, how=how, lost=lost))
    console.print(label(lang, "exports").format(**paths))
    for result in results:
        if result.get("status") != "graded":  # one line each; the next run tries them again
            err.print(label(lang, "could_not_grade").format(student=result["student"], why=result.get("error", "")),
                      soft_wrap=True, markup=False)
    return 1 if tally.errors or problems else 0
