"""AddLayer, judged against derive/add.py: arrays and the book's prices; dout passes to both inputs unchanged."""
from __future__ import annotations

import numpy as np

from graders import oracles
from graders.bugs import Bug
from graders.checks.base import Suite
from graders.checks.layer_shapes import two_input_node

BUGS: tuple[Bug, ...] = ()  # its mistakes are the shared ones: ignoring dout, writing into an input


def suite(rng: np.random.Generator) -> Suite:
    return two_input_node(rng, "AddLayer", oracles.add_forward,
                          lambda i: dict(zip(("dx", "dy"), oracles.add_backward(i["dout"]))), BUGS)
