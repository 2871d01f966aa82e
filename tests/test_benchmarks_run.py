"""The benchmarks the README quotes still run (in a short mode): a benchmark that rots is a figure nobody
can check. (batch.py runs in tests/test_batch_benchmark.py.)"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


SHORT_RUNS = [
    ("discovery.py", ["--repeat", "1"], "target"),
    ("isolation.py", ["--repeat", "1", "--size", "4", "--class-repeat", "1"], "target"),
    ("check.py", ["--repeat", "1"], "caught by the directional check: 17/17"),
    ("train.py", ["--iters", "500"], "matrix-multiply floor, float64"),
    ("training_check.py", ["--iters", "1000"], "threshold"),
    ("assignment.py", ["--short"], "Gradescope (score and tests) and diagnosis.txt: yes"),
]


def test_every_benchmark_has_a_short_run():
    covered = {script for script, _, _ in SHORT_RUNS} | {"batch.py"}  # batch.py: tests/test_batch_benchmark.py
    assert {p.name for p in (ROOT / "benchmarks").glob("*.py")} == covered


@pytest.mark.slow
@pytest.mark.parametrize("script,args,figure", SHORT_RUNS)
def test_benchmark_runs_and_prints_its_figures(script, args, figure):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert figure in done.stdout
