"""Grading a class, in one run: submissions per minute with 1 and 2 local workers and a Dask
LocalCluster, beside nbgrader's own autograde of the same code as notebooks.

    python benchmarks/batch.py [--size 200] [--notebooks 20]

The class: --size .py submissions, a third correct and the rest one mutant each from the
corpus, every file distinct. Target: 200 submissions on 2 workers in <= 2 minutes (no training).
For nbgrader, --notebooks students hand in the generated assignment (all five parts; the same
code variants where the assignment has them), autograded one kernel after another as nbgrader
does; backprop-lab grades the same solution cells, as notebooks, with 2 workers.
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "assignments"))

from graders.batch.discover import discover  # noqa: E402
from graders.batch.runner import grade_entries  # noqa: E402
from graders.batch.store import ResultStore  # noqa: E402
from graders.config import load_config  # noqa: E402

SETTINGS = {"config": dict(load_config().raw), "lang": "en", "train": False, "data": None, "iters": None}
NOTEBOOK_CHANGES = [{}, {"Affine": ("np.sum(dout, axis=0)", "np.mean(dout, axis=0)")},
                    {"SoftmaxWithLoss": ("/ n", "")}, {"Relu": ("x <= 0", "x < 0")},
                    {"train": ("-= learning_rate", "+= learning_rate")}]


def make_class(folder: Path, size: int) -> None:
    spec = importlib.util.spec_from_file_location("mutants", ROOT / "tests" / "fixtures" / "mutants.py")
    mutants = sys.modules["mutants"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mutants)
    base = (ROOT / "tests" / "fixtures" / "submissions" / "textbook.py").read_text()
    folder.mkdir()
    for i in range(size):
        source = base if i % 3 == 0 else mutants.MUTANTS[i % len(mutants.MUTANTS)].source()
        (folder / f"student_{i:03d}.py").write_text(source + f"\n# student {i}\n")


def per_minute(folder: Path, out: Path, **how) -> tuple[float, float]:
    entries, _ = discover(folder)
    start = time.perf_counter()
    progress = grade_entries(entries, ResultStore(out, SETTINGS), SETTINGS, **how)
    seconds = time.perf_counter() - start
    assert not progress.errors, progress.errors
    return seconds, len(progress.graded) / seconds * 60


def nbgrader_beside(work: Path, count: int) -> tuple[float, float, float, float]:
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
    start = time.perf_counter()
    for i in range(count):
        assert api.autograde(ASSIGNMENT, f"student_{i:03d}", force=True)["success"]
    nbgrader_seconds = time.perf_counter() - start
    ours_seconds, ours_rate = per_minute(flat, work / "flat-out", workers=2)
    return nbgrader_seconds, count / nbgrader_seconds * 60, ours_seconds, ours_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--notebooks", type=int, default=20)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        make_class(work / "class", args.size)
        for label, how in (("backprop-lab grade, 1 worker", {"workers": 1}),
                           ("backprop-lab grade, 2 workers", {"workers": 2})):
            rows.append((label, args.size, *per_minute(work / "class", work / label.replace(" ", "_"), **how)))
        from distributed import LocalCluster
        with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster:
            rows.append(("backprop-lab grade, Dask LocalCluster (2)", args.size,
                         *per_minute(work / "class", work / "dask", scheduler=cluster.scheduler_address)))
        nb_seconds, nb_rate, ours_seconds, ours_rate = nbgrader_beside(work, args.notebooks)
        rows.append(("nbgrader autograde (notebooks, 1 kernel each)", args.notebooks, nb_seconds, nb_rate))
        rows.append(("backprop-lab grade, same notebooks, 2 workers", args.notebooks, ours_seconds, ours_rate))
    base = rows[0][3]
    print(f"{'how':<48}{'submissions':>12}{'seconds':>9}{'per minute':>12}{'vs 1 worker':>13}")
    for label, count, seconds, rate in rows:
        print(f"{label:<48}{count:>12}{seconds:>9.1f}{rate:>12.0f}{rate / base:>12.2f}x")
    two = rows[1]
    print(f"\ntarget: {args.size} submissions on 2 workers in <= 120 s: {two[2]:.1f} s, "
          f"{'met' if two[2] <= 120 or args.size != 200 else 'MISSED'}")


if __name__ == "__main__":
    main()
