"""MulLayer and AddLayer: the computational graph's two nodes (arrays, and the book's scalar prices)."""
from __future__ import annotations

import numpy as np

from graders import oracles
from graders.checks.base import Check, Expect, Suite, expect
from graders.checks.probes import layer_probe, upstream

CALLS = [("forward", ["x", "y"], ["out"]), ("backward", ["dout"], ["dx", "dy"])]


def mul_layer(rng: np.random.Generator) -> Suite:
    return _node(rng, "MulLayer", oracles.mul_forward,
                 lambda i: dict(zip(("dx", "dy"), oracles.mul_backward(i["x"], i["y"], i["dout"]))), ("mul.swapped",))


def add_layer(rng: np.random.Generator) -> Suite:
    return _node(rng, "AddLayer", oracles.add_forward,
                 lambda i: dict(zip(("dx", "dy"), oracles.add_backward(i["dout"]))), ())


def _node(rng: np.random.Generator, cls: str, forward, backward, bugs: tuple[str, ...]) -> Suite:
    suite = Suite()
    arrays = {"x": rng.normal(size=(3, 4)), "y": rng.normal(size=(3, 4)), "dout": upstream(rng, (3, 4))}
    prices = {"x": np.float64(100.0), "y": np.float64(2.0), "dout": np.float64(1.1)}  # the book's apples, with a tax
    for tag, inputs, scalars in (("arrays", arrays, ()), ("scalars", prices, ("x", "y", "dout"))):
        probe = layer_probe(f"{cls}.{tag}", cls, inputs, CALLS, scalars=scalars)
        want = backward(inputs)
        suffix = "" if tag == "arrays" else ".scalars"
        suite.add(probe,
                  Check(f"{cls}.forward{suffix}", cls, "forward", probe.id,
                        expect([Expect("out", forward(inputs["x"], inputs["y"]))], inputs=inputs,
                               watch={"x": "input_mutated", "y": "input_mutated"})),
                  Check(f"{cls}.backward{suffix}", cls, "backward", probe.id,
                        expect([Expect(name, want[name], ("ignores_dout", *bugs)) for name in ("dx", "dy")],
                               inputs=inputs, watch={"dout": "input_mutated"}, oracle=backward)))
    return suite
