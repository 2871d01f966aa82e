"""What grading a trainer costs, in one run: lockstep replay and the textbook-schedule accuracy run.

    python benchmarks/training_check.py [--data mnist-10k|mnist|fashion-mnist] [--iters N]

Each figure is a whole check as `backprop-lab check --train` runs it (sandbox start, the
student's code, the grader's judging), on the correct textbook-style submission of the
mutant corpus. Targets: replay of a 784-50-10 net <= 2 s; the textbook schedule (10,000
steps) on the embedded digits <= 30 s.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from graders.sandbox import Limits, run_probes
from graders.submission import load_submission
from graders.training.accuracy import accuracy_suite
from graders.training.data import load_digits
from graders.training.replay import replay_suite
from graders.training.settings import settings_from

SUBMISSION = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "submissions" / "textbook.py"


def timed(suite, submission) -> tuple[float, str, str]:
    start = time.perf_counter()
    run = run_probes(submission, suite.probes, Limits())
    check = suite.checks[-1]
    verdict = check.judge(run.results[check.probe])
    return time.perf_counter() - start, check.id, verdict.status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="mnist-10k")
    parser.add_argument("--iters", type=int, default=10_000)
    args = parser.parse_args()
    settings = settings_from({}, dataset=args.data, iters=args.iters)
    submission = load_submission(SUBMISSION)
    start = time.perf_counter()
    digits = load_digits(settings)
    print(f"data: {args.data}, {len(digits.x_train):,} train / {len(digits.x_test):,} test digits, "
          f"loaded in {time.perf_counter() - start:.2f} s")
    print(f"{'check':<22}{'loop':<22}{'seconds':>9}  {'status':<8}target")
    for loop in ("grader", "own"):
        seconds, name, status = timed(replay_suite(loop, digits, settings, np.random.default_rng(0)), submission)
        print(f"{name:<22}{loop:<22}{seconds:>9.2f}  {status:<8}<= 2 s: {'met' if seconds <= 2 else 'MISSED'}")
    for loop in ("grader", "own"):
        suite = accuracy_suite(loop, digits, settings)
        seconds, name, status = timed(suite, submission)
        final = suite.artifacts[loop]["history"][-1]
        print(f"{name:<22}{loop:<22}{seconds:>9.2f}  {status:<8}<= 30 s: {'met' if seconds <= 30 else 'MISSED'}"
              f"   ({settings.iters} steps, test accuracy {final['test_acc']:.4f}, threshold {settings.threshold:g})")


if __name__ == "__main__":
    main()
