"""What the sandbox's namespaces cost, in one run: `backprop-lab check` and a class of 200 graded with
bubblewrap and without it (BACKPROP_LAB_ISOLATION=off: resource limits only), taking turns so that a busy
host slows both alike.

    python benchmarks/isolation.py [--repeat N] [--size 200]

Target (issue 13): isolation costs at most 25% on either.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUBMISSION = ROOT / "tests" / "fixtures" / "submissions" / "textbook.py"
sys.path.insert(0, str(ROOT / "benchmarks"))
from batch import make_class  # noqa: E402


def run(command: list[str], isolation: bool) -> float:
    env = dict(os.environ, BACKPROP_LAB_ISOLATION="on" if isolation else "off")
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env)
    elapsed = time.perf_counter() - start
    assert done.returncode in (0, 1), done.stderr.decode()[-2000:]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--class-repeat", type=int, default=2)
    args = parser.parse_args()
    check = [sys.executable, "-m", "backprop_lab", "check", str(SUBMISSION)]
    times: dict[tuple[str, bool], list[float]] = {}
    for _ in range(args.repeat):
        for isolated in (True, False):
            times.setdefault(("check", isolated), []).append(run(check, isolated))
    with tempfile.TemporaryDirectory() as top:
        make_class(Path(top) / "class", args.size)
        for round_ in range(args.class_repeat):
            for isolated in (True, False):
                out = Path(top) / f"out-{round_}-{isolated}"
                grade = [sys.executable, "-m", "backprop_lab", "grade", str(Path(top) / "class"), "--out", str(out),
                         "--workers", "2"]
                times.setdefault(("class", isolated), []).append(run(grade, isolated))
    print(f"{'':28}{'isolated':>10}{'limits only':>13}{'cost':>8}")
    for what, label in (("check", "check, one submission"), ("class", f"grade, class of {args.size}, 2 workers")):
        on, off = statistics.median(times[(what, True)]), statistics.median(times[(what, False)])
        print(f"{label:28}{on:>9.2f}s{off:>12.2f}s{(on / off - 1) * 100:>+7.0f}%")
    on = statistics.median(times[("class", True)])
    print(f"submissions a minute, isolated, 2 workers: {args.size / on * 60:.0f}   (target: isolation <= +25%)")


if __name__ == "__main__":
    main()
