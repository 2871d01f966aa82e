"""Ten students of the whole default assignment, one way of handing it in each: what the end-to-end test
autogrades and what ``benchmarks/assignment.py`` times. Each says which components it should lose
points on (the one it breaks and those that use it) and the status autograde should give it."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from assignments.course import ASSIGNMENT, NOTEBOOK
from course_kit import submit

SIGMOID_BACKWARD = "    def backward(self, dout):\n        return dout * self.out * (1 - self.out)"
NAIVE_SIGMOID = ("        e = np.exp(-np.abs(x))\n        self.out = np.where(x >= 0, 1 / (1 + e), e / (1 + e))",
                 "        self.out = 1 / (1 + np.exp(-x))  # overflows for x < -709: RuntimeWarning, right answer")
CHEAT = ("\nimport numpy.testing\nnumpy.testing.assert_allclose = lambda *args, **kwargs: None\n"
         "def check_component(*args, **kwargs):\n    pass\n")
EVERYTHING = ("MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "softmax", "cross_entropy_error",
              "SoftmaxWithLoss", "numerical_gradient", "TwoLayerNet", "train")


@dataclass(frozen=True)
class Student:
    changes: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # grade_id -> (old, new)
    extra: Mapping[str, str] = field(default_factory=dict)                # grade_id -> code appended
    loses: frozenset[str] = frozenset()                                   # components short of full points
    status: str = "graded"
    flagged: bool = False
    unreadable: bool = False


CLASS: dict[str, Student] = {
    "correct": Student(),
    "warns": Student({"Sigmoid": NAIVE_SIGMOID}),  # a RuntimeWarning costs nothing
    "db_mean": Student({"Affine": ("np.sum(dout, axis=0)", "np.mean(dout, axis=0)")},
                       loses=frozenset({"Affine", "TwoLayerNet", "train"})),
    "no_div_n": Student({"SoftmaxWithLoss": ("/ n", "")}, loses=frozenset({"SoftmaxWithLoss", "TwoLayerNet", "train"})),
    "wrong_sign": Student({"train": ("-= learning_rate", "+= learning_rate")}, loses=frozenset({"train"})),
    "raises": Student({"Relu": ("        self.mask = x <= 0\n", "        raise ValueError('todo')\n")},
                      loses=frozenset({"Relu", "TwoLayerNet", "train"})),
    "loops": Student({"MulLayer": ("        return dout * self.y", "        while True:\n            pass\n")},
                     loses=frozenset({"MulLayer"})),
    "exits": Student({"Sigmoid": (SIGMOID_BACKWARD, SIGMOID_BACKWARD.replace(
        "        return", "        import os; os._exit(1)\n        return"))}, loses=frozenset({"Sigmoid"}), status="crashed"),
    # x < 0 differs from x <= 0 only at 0, which the network's inputs never hit: Relu alone loses
    "cheats": Student({"Relu": ("x <= 0", "x < 0")}, {"Relu": CHEAT}, loses=frozenset({"Relu"}), flagged=True),
    "unreadable": Student(loses=frozenset(EVERYTHING), status="unreadable", unreadable=True),
}


def hand_in(course: Path, students: Mapping[str, Student] = CLASS) -> None:
    """Put each student's notebook where ``nbgrader collect`` would: submitted/STUDENT/ch05/ch05.ipynb."""
    for name, student in students.items():
        if student.unreadable:  # a notebook saved half-way, or edited by hand: not JSON
            target = course / "submitted" / name / ASSIGNMENT / NOTEBOOK
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text('{"cells": [{"cell_type": "code", "source": "class Relu:')
        else:
            submit(course, name, student.changes, extra=student.extra)
