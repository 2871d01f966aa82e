"""What finding the code costs: `backprop-lab check` on one file against the same code laid out as a
student's whole repository, in one run, interleaved so a busy host slows both alike.

    python benchmarks/discovery.py [--repeat N]

The repository: the book's layout one level down (common/, ch05/, dataset/), chapters 1-8 with
their scripts and notebooks beside it (nothing of which defines a chapter-5 component), and a
draft copy of the layers. Target (issue 12): discovery adds at most 0.2 s to a check.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "graders"))
from corpus import TEXTBOOK, write_book_layout  # noqa: E402


def student_repository(top: Path) -> Path:
    repo = top / "deep-learning-study"
    write_book_layout(repo / "book")
    for chapter in range(1, 9):
        folder = repo / "book" / f"ch0{chapter}"
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(6):
            (folder / f"exercise_{i}.py").write_text(f"import numpy as np\nx = np.arange({i + 3})\nprint(x.sum())\n")
        (folder / "notes.ipynb").write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "# notes"}],
                                                        "nbformat": 4, "nbformat_minor": 5, "metadata": {}}))
    (repo / "book" / "ch05" / "layers_draft.py").write_text((repo / "book" / "common" / "layers.py").read_text())
    return repo


def check_seconds(path: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "backprop_lab", "check", str(path)], capture_output=True)
    elapsed = time.perf_counter() - start
    assert done.returncode == 0, done.stdout.decode()[-2000:] + done.stderr.decode()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as top:
        repo = student_repository(Path(top))
        files = sum(1 for p in repo.rglob("*") if p.is_file())
        single, tree = [], []
        for _ in range(args.repeat):
            single.append(check_seconds(TEXTBOOK))
            tree.append(check_seconds(repo))
    a, b = statistics.median(single), statistics.median(tree)
    print(f"check, one file                 median {a:.3f} s  (of {args.repeat})")
    print(f"check, a repository of {files} files  median {b:.3f} s")
    print(f"discovery adds                  {b - a:+.3f} s  (target <= 0.2 s)   ratio {b / a:.2f}x")


if __name__ == "__main__":
    main()
