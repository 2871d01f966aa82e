"""MulLayer, judged against derive/mul.py: arrays and the book's prices; its bug swaps which input multiplies dout."""
from __future__ import annotations

import numpy as np

from graders import oracles
from graders.bugs import Bug, Evidence
from graders.checks.base import Suite
from graders.checks.layer_shapes import two_input_node


def _swapped(ev: Evidence) -> bool:
    return ev.matches(ev.inputs["dout"] * ev.inputs[ev.output[1:]])


SWAPPED = Bug("mul.swapped", "{what} uses its own input: the gradient of x*y with respect to x is dout*y, and to y is "
              "dout*x", "{what}에 자기 입력을 곱했습니다: x*y를 x로 미분하면 dout*y, y로 미분하면 dout*x입니다 (입력을 서로 "
              "바꿔 곱하세요).", detect=_swapped)
BUGS = (SWAPPED,)


def suite(rng: np.random.Generator) -> Suite:
    return two_input_node(rng, "MulLayer", oracles.mul_forward,
                          lambda i: dict(zip(("dx", "dy"), oracles.mul_backward(i["x"], i["y"], i["dout"]))), BUGS)
