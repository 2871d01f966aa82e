"""The class benchmark in its short mode: two small classes, each graded by 1 worker, 2 workers and a Dask
LocalCluster, and every result is the same across the three (timing fields aside)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_batch_benchmark_results_identical_across_backends():
    command = [sys.executable, str(ROOT / "benchmarks" / "batch.py"), "--size", "12,24", "--skip-nbgrader"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    verdict = next(line for line in done.stdout.splitlines() if "identical" in line)
    assert "yes" in verdict, done.stdout
