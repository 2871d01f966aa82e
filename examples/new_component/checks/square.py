"""Square, judged against derive/square.py: a batch with both signs; its bug forgets the power rule's 2.

An example of a new component's check module (docs/architecture.md, "Adding a component"):
tests/test_adding_a_component.py copies it to graders/checks/square.py."""
from __future__ import annotations

import numpy as np

from graders import oracles
from graders.bugs import IGNORES_DOUT, Bug, Evidence
from graders.checks.base import Suite
from graders.checks.layer_shapes import LAYER_CALLS, forward_backward
from graders.checks.probe_builders import layer_probe, upstream


def _no_two(ev: Evidence) -> bool:
    return ev.matches(ev.want["dx"] / 2)


NO_TWO = Bug("square.no_two", "dx = x*dout: the derivative of x**2 is 2*x; multiply by 2",
             "dx = x*dout로 계산했습니다: x**2의 미분은 2*x입니다. 2를 곱하세요.", detect=_no_two)
BUGS = (NO_TWO,)


def suite(rng: np.random.Generator) -> Suite:
    built = Suite()
    inputs = {"x": rng.normal(size=(3, 4)), "dout": upstream(rng, (3, 4))}
    probe = layer_probe("Square.float64", "Square", inputs, LAYER_CALLS)
    forward_backward(built, probe.id, "Square", inputs, np.float64, oracles.square_forward(inputs["x"]),
                     lambda i: {"dx": oracles.square_backward(i["x"], i["dout"])}, (NO_TWO, IGNORES_DOUT))
    built.probes.append(probe)
    return built
