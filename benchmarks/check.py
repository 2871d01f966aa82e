"""How fast grading is, and what the cheap gradient check costs against the book's, in one run.

    python benchmarks/check.py [--repeat N]

1. `backprop-lab check` on a full correct submission, as a user runs it (a new process each
   time: interpreter, imports, sandbox, every probe, the report), in each format, taking turns with
   `python -c "import numpy"`, the floor of any numpy program. Target: <= 0.2 s.
2. The full-size (784-50-10, batch 3) gradient check: random directional derivatives (what the
   checker does) against the book's element-by-element central differences over all 39,760
   parameters. Target: >= 50x faster.
3. Whether the cheap check still catches every gradient mutant of the corpus: each mutant whose
   TwoLayerNet gradient is wrong by the symbolic oracle must fail the directional check too.
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from graders import oracles
from graders.checker import check_submission
from graders.oracles.numerical import directional_check

ROOT = Path(__file__).resolve().parents[1]
SUBMISSION = ROOT / "tests" / "fixtures" / "submissions" / "textbook.py"


COMMANDS = {
    "python -c 'import numpy' (the floor)": [sys.executable, "-c", "import numpy"],
    **{f"check --format {fmt}": [sys.executable, "-m", "backprop_lab", "check", str(SUBMISSION), "--format", fmt]
       for fmt in ("text", "json", "gradescope")},
}


def time_commands(repeat: int) -> dict[str, list[float]]:
    """Each command a new process, taking turns round by round (the host's speed drifts)."""
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(repeat):
        for name, command in COMMANDS.items():
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True)
            times[name].append(time.perf_counter() - start)
            assert done.returncode == 0, done.stderr.decode()
    return times


def book_numerical_gradient(loss, params: dict[str, np.ndarray], h: float = 1e-4) -> dict[str, np.ndarray]:
    """The book's way: perturb each parameter in place, two loss evaluations per element."""
    grads = {}
    for key, x in params.items():
        grad = np.zeros_like(x)
        for index in np.ndindex(x.shape):
            saved = x[index]
            x[index] = saved + h
            up = loss(params)
            x[index] = saved - h
            down = loss(params)
            x[index] = saved
            grad[index] = (up - down) / (2 * h)
        grads[key] = grad
    return grads


def full_size_problem(seed: int = 0):
    rng = np.random.default_rng(seed)
    params = {"W1": rng.normal(0, 0.05, (784, 50)), "b1": rng.normal(0, 0.1, 50), "W2": rng.normal(0, 0.3, (50, 10)),
              "b2": rng.normal(0, 0.1, 10)}
    x = rng.uniform(0, 1, (3, 784)) * (rng.uniform(size=(3, 784)) < 0.3)
    t = np.eye(10)[rng.integers(10, size=3)]
    return params, x, t


def gradient_mutants_caught() -> tuple[int, int, list[str]]:
    spec = importlib.util.spec_from_file_location("mutants", ROOT / "tests" / "fixtures" / "mutants.py")
    mutants = sys.modules["mutants"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mutants)
    wrong, caught, missed = 0, 0, []
    workdir = Path(__import__("tempfile").mkdtemp(prefix="bench-mutants-"))
    for mutant in mutants.MUTANTS:
        path = workdir / f"{mutant.id}.py"
        path.write_text(mutant.source())
        checks = {c.id: c for c in check_submission(str(path), only=["TwoLayerNet"]).checks}
        symbolic, numerical = checks["TwoLayerNet.gradient"], checks["TwoLayerNet.gradient_numerical"]
        if symbolic.status == "fail":  # a gradient came back and it is wrong
            wrong += 1
            if numerical.status == "fail":
                caught += 1
            else:
                missed.append(mutant.id)
    return wrong, caught, missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of the check command (default: %(default)s)")
    args = parser.parse_args()

    times = time_commands(args.repeat)
    floor = statistics.median(next(iter(times.values())))
    print(f"cold backprop-lab check, full correct submission, in every format ({args.repeat} rounds, taking turns)")
    print(f"  {'command':<40}{'median s':>9}{'min s':>8}{'vs floor':>10}  target <= 0.2 s")
    for name, runs in times.items():
        median = statistics.median(runs)
        verdict = "" if "floor" in name else ("met" if median <= 0.2 else "MISSED")
        print(f"  {name:<40}{median:>9.3f}{min(runs):>8.3f}{median / floor:>9.2f}x  {verdict}")

    params, x, t = full_size_problem()
    loss = lambda p: oracles.two_layer_net_loss(p, x, t)  # noqa: E731
    grads = oracles.two_layer_net_gradient(params, x, t)
    start = time.perf_counter()
    tests = directional_check(loss, params, grads, np.random.default_rng(1))
    fast = time.perf_counter() - start
    start = time.perf_counter()
    book = book_numerical_gradient(loss, {k: v.copy() for k, v in params.items()})
    slow = time.perf_counter() - start
    worst = max(float(np.max(np.abs(book[k] - grads[k]))) for k in grads)
    evaluations = sum(v.size for v in params.values()) * 2
    print("\nfull-size gradient check, 784-50-10, batch 3")
    print(f"  {'method':<44}{'loss evals':>12}{'seconds':>10}{'ratio':>9}")
    print(f"  {'book: element by element (39,760 params)':<44}{evaluations:>12,}{slow:>10.3f}{1.0:>8.1f}x")
    print(f"  {'directional derivatives (2 per parameter)':<44}{4 * len(tests):>12,}{fast:>10.4f}"
          f"{slow / fast:>8.0f}x")
    print(f"  both agree with backprop: directional all ok = {all(t.ok for t in tests)}, "
          f"book max |diff| = {worst:.1e};  target >= 50x: {'met' if slow / fast >= 50 else 'MISSED'}")

    wrong, caught, missed = gradient_mutants_caught()
    print(f"\ngradient mutants (TwoLayerNet.gradient wrong by the symbolic oracle): {wrong}")
    print(f"  caught by the directional check: {caught}/{wrong}" + (f"   missed: {', '.join(missed)}" if missed else ""))


if __name__ == "__main__":
    main()
