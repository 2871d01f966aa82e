"""Running the class: a pool of local processes, or a Dask cluster; results saved as they arrive."""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from graders.batch.discover import Entry
from graders.batch.store import ResultStore
from graders.batch.task import grade_one
from labdata.errors import LabError


class SchedulerUnreachable(LabError):
    """The Dask scheduler named on the command line does not answer; one line."""


@dataclass
class ClassTally:
    """How a class run stands: submissions in all, left as already graded, graded, failed, workers lost."""

    total: int
    skipped: int = 0
    graded: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lost_workers: int = 0            # worker processes (local or Dask) that died under the run


def grade_entries(entries: list[Entry], store: ResultStore, settings: dict[str, Any], *, workers: int = 2,
                  scheduler: str | None = None, force: bool = False,
                  on_result: Callable[[Entry, dict[str, Any]], None] | None = None) -> ClassTally:
    """Grade what is not done yet; each result is saved the moment it comes back."""
    todo = [e for e in entries if force or not store.done(e)]
    tally = ClassTally(total=len(entries), skipped=len(entries) - len(todo))
    run = _dask if scheduler else _local
    for entry, result in run(todo, settings, workers, scheduler, tally):
        store.save(entry, result)
        (tally.graded if result["status"] == "graded" else tally.errors).append(entry.student)
        if on_result:
            on_result(entry, result)
    return tally


def _local(todo: list[Entry], settings: dict[str, Any], workers: int, _: str | None, tally: ClassTally
           ) -> Iterator[tuple[Entry, dict[str, Any]]]:
    """Grade in worker processes. A worker that dies (killed, out of memory) breaks its pool: what was in it is
    graded again in a new pool, then one at a time, so a lost worker costs only the submission it had."""
    pending = list(todo)
    for attempt in range(2):
        lost = []
        for entry, result in _pool(pending, settings, workers):
            if result is None:
                lost.append(entry)
            else:
                yield entry, result
        tally.lost_workers += bool(lost)  # a broken pool: at least one worker died
        pending = lost
    for entry in pending:  # one at a time: the one that loses its worker again is the one to blame
        for entry_, result in _pool([entry], settings, 1):
            yield entry_, result or {"status": "error", "error": "could not grade: its worker was lost three times"}


def _pool(entries: list[Entry], settings: dict[str, Any], workers: int
          ) -> Iterator[tuple[Entry, dict[str, Any] | None]]:
    """(entry, result) as each finishes; None for those whose worker pool broke under them."""
    if not entries:
        return
    # spawn: the workers start clean (no inherited threads or locks); each one runs its sandbox children
    with ProcessPoolExecutor(max_workers=min(workers, len(entries)),
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(grade_one, e.source, settings, e.digest): e for e in entries}
        try:
            for future in as_completed(futures):
                try:
                    yield futures[future], future.result()
                except BrokenProcessPool:
                    yield futures[future], None
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _dask(todo: list[Entry], settings: dict[str, Any], workers: int, scheduler: str | None, tally: ClassTally
          ) -> Iterator[tuple[Entry, dict[str, Any]]]:
    """Grade on a Dask cluster. Dask reschedules what a lost worker held; a result is released once saved, so
    that a lost worker never makes Dask compute again what is already on disk."""
    from distributed import Client
    from distributed import as_completed as dask_completed

    if not todo:
        return
    try:
        client = Client(scheduler, timeout="5s")
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0]
        raise SchedulerUnreachable(f"cannot reach the Dask scheduler at {scheduler}: {reason}",
                                   ko=f"Dask 스케줄러 {scheduler}에 연결할 수 없습니다: {reason}") from None
    with client:
        seen = set(client.scheduler_info()["workers"])
        futures = {client.submit(grade_one, e.source, settings, e.digest, pure=False,
                                 key=f"grade-{e.student}-{e.digest[:12]}"): e for e in todo}
        try:
            for future in dask_completed(futures):
                try:
                    result = future.result()
                except Exception as exc:  # KilledWorker: its workers kept dying; it alone is not graded
                    result = {"status": "error", "error": f"could not grade: {type(exc).__name__}: {exc}"[:300]}
                yield futures[future], result
                future.release()
                seen |= set(client.scheduler_info()["workers"])
        except BaseException:
            client.cancel(list(futures))
            raise
        tally.lost_workers += len(seen - set(client.scheduler_info()["workers"]))
