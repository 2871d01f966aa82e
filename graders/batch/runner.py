"""Running the class: a pool of local processes, or a Dask cluster; results saved as they arrive."""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from graders.batch.discover import Entry
from graders.batch.store import ResultStore
from graders.batch.task import grade_one


@dataclass
class Progress:
    total: int
    skipped: int = 0
    graded: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def grade_entries(entries: list[Entry], store: ResultStore, settings: dict[str, Any], *, workers: int = 2,
                  scheduler: str | None = None, force: bool = False,
                  on_result: Callable[[Entry, dict[str, Any]], None] | None = None) -> Progress:
    """Grade what is not done yet; each result is saved the moment it comes back."""
    todo = [e for e in entries if force or not store.done(e)]
    progress = Progress(total=len(entries), skipped=len(entries) - len(todo))
    run = _dask if scheduler else _local
    for entry, result in run(todo, settings, workers, scheduler):
        store.save(entry, result)
        (progress.graded if result["status"] == "graded" else progress.errors).append(entry.student)
        if on_result:
            on_result(entry, result)
    return progress


def _local(todo: list[Entry], settings: dict[str, Any], workers: int, _: str | None
           ) -> Iterator[tuple[Entry, dict[str, Any]]]:
    if not todo:
        return
    # spawn: the workers start clean (no inherited threads or locks); each one runs its sandbox children
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(grade_one, e.source, settings, e.digest): e for e in todo}
        try:
            for future in as_completed(futures):
                yield futures[future], future.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _dask(todo: list[Entry], settings: dict[str, Any], workers: int, scheduler: str | None
          ) -> Iterator[tuple[Entry, dict[str, Any]]]:
    from distributed import Client
    from distributed import as_completed as dask_completed

    if not todo:
        return
    with Client(scheduler, timeout="10s") as client:
        futures = {client.submit(grade_one, e.source, settings, e.digest, pure=False, key=f"grade-{e.student}-{e.digest[:12]}"): e
                   for e in todo}
        try:
            for future in dask_completed(futures):
                yield futures[future], future.result()
        except BaseException:
            client.cancel(list(futures))
            raise
