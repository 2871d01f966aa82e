"""Grading a class, in one run: submissions per minute and peak memory with 1 and 2 local workers and a
Dask LocalCluster, the results checked identical across the three, beside nbgrader's own autograde of the
same code as notebooks.

    python benchmarks/batch.py [--size 200,1000] [--notebooks 20] [--skip-nbgrader]

A class of each --size: .py submissions, a third correct and the rest one mutant each from the
corpus, every file distinct. Target: >= 1,000 submissions a minute on 2 workers (no training),
with the sandbox's isolation on (bubblewrap; warm children where the grader is root).
Each backend grades the same class into its own fresh results folder; every results/STUDENT.json must
then be the same across the three once the timing fields ("seconds", "execution_time") are dropped,
or the run says where they differ and exits 1.
Peak memory: the RSS of the grading process and all its descendants (pool or Dask workers, their
sandboxes), sampled every 0.2 s; "all" is the largest sum (pages shared between processes count
once per process), "grader" the grading process itself (with Dask: also the scheduler), "worker" the
largest single descendant.
For nbgrader, --notebooks students hand in the generated assignment (all five parts; the same
code variants where the assignment has them), autograded one kernel after another as nbgrader
does; backprop-lab grades the same solution cells, as notebooks, with 2 workers.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil  # installed with distributed

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "assignments"))

from graders.batch.discover import discover  # noqa: E402
from graders.batch.runner import grade_entries  # noqa: E402
from graders.batch.store import RESULTS, ResultStore  # noqa: E402
from graders.config import load_config  # noqa: E402

SETTINGS = {"config": dict(load_config().raw), "lang": "en", "train": False, "data": None, "iters": None}
NOTEBOOK_CHANGES = [{}, {"Affine": ("np.sum(dout, axis=0)", "np.mean(dout, axis=0)")},
                    {"SoftmaxWithLoss": ("/ n", "")}, {"Relu": ("x <= 0", "x < 0")},
                    {"train": ("-= learning_rate", "+= learning_rate")}]
TIMING = {"seconds", "execution_time"}  # the report's and Gradescope's: the only fields that vary run to run
MB = 1024 * 1024


@dataclass
class Row:
    label: str
    count: int
    seconds: float
    peak: "PeakRss | None" = None
    errors: tuple[str, ...] = ()  # "student: why" for each submission that could not be graded

    @property
    def rate(self) -> float:
        return self.count / self.seconds * 60


class PeakRss:
    """Peak RSS of this process and its descendants, sampled every `every` seconds in a thread."""

    def __init__(self, every: float = 0.2) -> None:
        self.every, self.all, self.grader, self.worker = every, 0, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()  # at least one sample, however short the run

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def sample(self) -> None:
        me = psutil.Process(os.getpid())
        grader, workers = me.memory_info().rss, []
        for child in me.children(recursive=True):
            try:
                workers.append(child.memory_info().rss)
            except (psutil.NoSuchProcess, psutil.AccessDenied):  # finished between the listing and the read
                pass
        self.all = max(self.all, grader + sum(workers))
        self.grader = max(self.grader, grader)
        self.worker = max(self.worker, *workers, 0)


def make_class(folder: Path, size: int) -> None:
    spec = importlib.util.spec_from_file_location("mutants", ROOT / "tests" / "fixtures" / "mutants.py")
    mutants = sys.modules["mutants"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mutants)
    base = (ROOT / "tests" / "fixtures" / "submissions" / "textbook.py").read_text()
    folder.mkdir()
    for i in range(size):
        source = base if i % 3 == 0 else mutants.MUTANTS[i % len(mutants.MUTANTS)].source()
        (folder / f"student_{i:03d}.py").write_text(source + f"\n# student {i}\n")


def grade(label: str, folder: Path, out: Path, **how: Any) -> Row:
    """Grade the class into a fresh results folder, timed and with its peak memory."""
    assert not out.exists(), out
    entries, _ = discover(folder)
    store = ResultStore(out, SETTINGS)
    with PeakRss() as peak:
        start = time.perf_counter()
        progress = grade_entries(entries, store, SETTINGS, **how)
        seconds = time.perf_counter() - start
    errors = tuple(f"{s}: {(store.load(s) or {}).get('error', '?')}" for s in sorted(progress.errors))
    return Row(label, len(progress.graded) + len(errors), seconds, peak, errors)


def nbgrader_beside(work: Path, count: int) -> list[Row]:
    from assignments.autograde import _api
    from assignments.course import ASSIGNMENT, NOTEBOOK, create_course
    from assignments.environment import use_this_environment
    from assignments.regrade import trusted_notebook
    from course_kit import submit

    course = work / "course"
    create_course(course)
    flat = work / "notebooks"
    flat.mkdir()
    for i in range(count):
        submitted = submit(course, f"student_{i:03d}", NOTEBOOK_CHANGES[i % len(NOTEBOOK_CHANGES)],
                           extra={"MulLayer": f"\n# student {i}\n"})
        trusted_notebook(course / "source" / ASSIGNMENT / NOTEBOOK, submitted, flat / f"student_{i:03d}.ipynb")
    use_this_environment()
    api = _api(course)
    with PeakRss() as peak:
        start = time.perf_counter()
        for i in range(count):
            assert api.autograde(ASSIGNMENT, f"student_{i:03d}", force=True)["success"]
        nbgrader_seconds = time.perf_counter() - start
    return [Row("nbgrader autograde (notebooks, 1 kernel each)", count, nbgrader_seconds, peak),
            grade("grade, the same notebooks, 2 workers", flat, work / "flat-out", workers=2)]


def without_timing(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_timing(v) for k, v in value.items() if k not in TIMING}
    if isinstance(value, list):
        return [without_timing(v) for v in value]
    return value


def first_difference(a: Any, b: Any, where: str = "") -> tuple[str, Any, Any] | None:
    """The path of the first place two JSON values differ, and the value on each side."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            found = first_difference(a.get(key, "<missing>"), b.get(key, "<missing>"), f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if a == b else (where or ".", a, b)


def compare(outs: dict[str, Path]) -> str | None:
    """None if every results/STUDENT.json is the same across the backends (timing dropped), else where not."""
    (first, first_out), *others = outs.items()
    students = sorted(p.name for p in (first_out / RESULTS).glob("*.json"))
    for label, out in others:
        theirs = sorted(p.name for p in (out / RESULTS).glob("*.json"))
        if theirs != students:
            missing = sorted(set(students) ^ set(theirs))
            return f"{first} and {label} graded different students: {', '.join(missing[:5])}"
    for name in students:
        ours = without_timing(json.loads((first_out / RESULTS / name).read_text()))
        for label, out in others:
            found = first_difference(ours, without_timing(json.loads((out / RESULTS / name).read_text())))
            if found:
                key, a, b = found
                return (f"first difference: {Path(name).stem}, key {key}\n"
                        f"  {first}: {json.dumps(a, ensure_ascii=False)[:300]}\n"
                        f"  {label}: {json.dumps(b, ensure_ascii=False)[:300]}")
    return None


def sources() -> dict[str, int]:
    """The grader's own files and when each was last written: a run they change under is not a measurement."""
    return {str(p.relative_to(ROOT)): p.stat().st_mtime_ns for folder in ("graders", "labdata", "assignments")
            for p in sorted((ROOT / folder).rglob("*.py"))}


def megabytes(value: int | None) -> str:
    return "-" if value is None else f"{value / MB:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="200", help="class sizes, comma-separated (e.g. 200,1000)")
    parser.add_argument("--notebooks", type=int, default=20)
    parser.add_argument("--skip-nbgrader", action="store_true", help="leave out nbgrader's part (slow)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.size.split(",")]
    rows, differences, before = [], [], sources()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        for size in sizes:
            rows += grade_a_class(work / f"class-{size}", size, differences)
        if not args.skip_nbgrader:
            rows += nbgrader_beside(work, args.notebooks)
    print(f"{'how':<48}{'submissions':>12}{'seconds':>9}{'per minute':>12}{'ratio':>13}"
          f"{'peak RSS MB: all':>18}{'grader':>8}{'worker':>8}")
    base = rows[0].rate
    for row in rows:
        if row.label.endswith(", 1 worker") or row.label.startswith("nbgrader"):
            base = row.rate  # each class against its own 1-worker run; the notebooks against nbgrader
        peak = row.peak
        print(f"{row.label:<48}{row.count:>12}{row.seconds:>9.1f}{row.rate:>12.0f}{row.rate / base:>12.2f}x"
              f"{megabytes(peak and peak.all):>18}{megabytes(peak and peak.grader):>8}"
              f"{megabytes(peak and peak.worker):>8}")
    for row in rows:
        if row.label.startswith("grade ") and row.label.endswith(", 2 workers"):
            print(f"target: >= 1000 submissions a minute on 2 workers ({row.count}): {row.rate:.0f}, "
                  f"{'met' if row.rate >= 1000 else 'MISSED'}")
    print(f"results identical across 1 worker, 2 workers and Dask: {'no' if any(differences) else 'yes'} "
          f"({', '.join(map(str, sizes))} results/STUDENT.json each, timing fields {', '.join(sorted(TIMING))} dropped)")
    for difference in differences:
        if difference:
            print(difference)
    for row in rows:
        if row.errors:
            print(f"{row.label}: {len(row.errors)} could not be graded; first: {row.errors[0][:300]}")
    after = sources()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        print(f"WARNING: the grader's files changed during the run: {', '.join(changed[:8])}")
    return 1 if any(differences) or changed or any(row.errors for row in rows) else 0


def grade_a_class(folder: Path, size: int, differences: list[str]) -> list[Row]:
    """One class of ``size``, graded by 1 worker, 2 workers and a Dask LocalCluster; appends to ``differences``
    where their results are not the same."""
    folder.mkdir()
    make_class(folder / "class", size)
    outs = {"1 worker": folder / "out-1", "2 workers": folder / "out-2", "Dask": folder / "out-dask"}
    rows = [grade(f"grade {size}, 1 worker", folder / "class", outs["1 worker"], workers=1),
            grade(f"grade {size}, 2 workers", folder / "class", outs["2 workers"], workers=2)]
    from distributed import LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster:
        rows.append(grade(f"grade {size}, Dask LocalCluster (2)", folder / "class", outs["Dask"],
                          scheduler=cluster.scheduler_address))
    differences.append(compare(outs))
    return rows


if __name__ == "__main__":
    sys.exit(main())
