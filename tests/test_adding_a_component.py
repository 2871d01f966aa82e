"""docs/architecture.md's "Adding a component", followed for a small one: a Square node (out = x², dx = 2·x·dout).

In a copy of the grader, the steps are taken as written (examples/new_component holds the two new files); then the
grader must pass a right Square and name the bug of one that forgets the 2, with no other file touched."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "new_component"
RIGHT = """import numpy as np


class Square:
    def forward(self, x):
        self.x = x
        return x ** 2

    def backward(self, dout):
        return 2 * self.x * dout
"""
GRADE = ("import json, sys\nfrom graders.checker import check_submission\n"
         "report = check_submission(sys.argv[1], only=['Square'])\n"
         "print(json.dumps([[c.id, c.status, c.bug, c.message] for c in report.checks]))\n")


def _copy_of_the_grader(tmp: Path) -> Path:
    for package in ("graders", "labdata"):
        shutil.copytree(ROOT / package, tmp / package, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: the step's anchor {old!r} is not there once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _run(tmp: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=tmp, env={"PYTHONPATH": str(tmp), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def test_a_new_component_takes_a_derivation_a_check_module_and_a_registry_line(tmp_path):
    tmp = _copy_of_the_grader(tmp_path)
    # 1. The derivation, in the derivations' registry, and its oracle generated from it.
    shutil.copy(EXAMPLE / "derive" / "square.py", tmp / "graders" / "derive" / "square.py")
    registry = tmp / "graders" / "derive" / "registry.py"
    _edit(registry, "from graders.derive.codegen", "from graders.derive import square\nfrom graders.derive.codegen")
    _edit(registry, "softmax_with_loss, two_layer_net)\nTHEOREMS", "softmax_with_loss, two_layer_net, square)\nTHEOREMS")
    assert "square.dx" in _run(tmp, "-m", "graders.derive", "--write")
    # 2. The check module: probes, checks, bug classes.
    shutil.copy(EXAMPLE / "checks" / "square.py", tmp / "graders" / "checks" / "square.py")
    # 3. One line in the registry of components.
    _edit(tmp / "graders" / "components.py", '    Component("train",',
          '    Component("Square", "class", 0, ("square", "squarelayer"), "square"),\n    Component("train",')

    (tmp / "right.py").write_text(RIGHT)
    (tmp / "no_two.py").write_text(RIGHT.replace("return 2 * self.x * dout", "return self.x * dout"))
    right = json.loads(_run(tmp, "-c", GRADE, "right.py"))
    assert [(c[0], c[1]) for c in right] == [("Square.forward", "pass"), ("Square.backward", "pass")]
    wrong = json.loads(_run(tmp, "-c", GRADE, "no_two.py"))
    assert [(c[0], c[1], c[2]) for c in wrong] == [("Square.forward", "pass", None),
                                                   ("Square.backward", "fail", "square.no_two")]
    assert wrong[1][3] == "Square.backward: dx = x*dout: the derivative of x**2 is 2*x; multiply by 2"
