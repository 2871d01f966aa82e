"""The two shapes most layer checks take: a node with two inputs (MulLayer, AddLayer), and a layer with one
(Relu, Sigmoid) checked at float64 and float32."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from graders.bugs import IGNORES_DOUT, INPUT_MUTATED, Bug
from graders.checks.base import Check, Expect, Suite, expect
from graders.checks.probe_builders import layer_probe, upstream

Arrays = dict[str, np.ndarray]
NODE_CALLS = [("forward", ["x", "y"], ["out"]), ("backward", ["dout"], ["dx", "dy"])]
LAYER_CALLS = [("forward", ["x"], ["out"]), ("backward", ["dout"], ["dx"])]


def two_input_node(rng: np.random.Generator, cls: str, forward: Callable[[np.ndarray, np.ndarray], np.ndarray],
                   backward: Callable[[Arrays], Arrays], bugs: tuple[Bug, ...]) -> Suite:
    """Arrays, and the book's scalar prices (100 yen apples, 2 of them, 1.1 tax)."""
    suite = Suite()
    arrays = {"x": rng.normal(size=(3, 4)), "y": rng.normal(size=(3, 4)), "dout": upstream(rng, (3, 4))}
    prices = {"x": np.float64(100.0), "y": np.float64(2.0), "dout": np.float64(1.1)}
    for tag, inputs, scalars in (("arrays", arrays, ()), ("scalars", prices, ("x", "y", "dout"))):
        probe = layer_probe(f"{cls}.{tag}", cls, inputs, NODE_CALLS, scalars=scalars)
        want = backward(inputs)
        suffix = "" if tag == "arrays" else ".scalars"
        suite.add(probe,
                  Check(f"{cls}.forward{suffix}", cls, "forward", probe.id,
                        expect([Expect("out", forward(inputs["x"], inputs["y"]))], inputs=inputs,
                               watch={"x": INPUT_MUTATED, "y": INPUT_MUTATED})),
                  Check(f"{cls}.backward{suffix}", cls, "backward", probe.id,
                        expect([Expect(name, want[name], (IGNORES_DOUT, *bugs)) for name in ("dx", "dy")],
                               inputs=inputs, watch={"dout": INPUT_MUTATED}, oracle=backward)))
    return suite


def forward_backward(suite: Suite, probe_id: str, cls: str, inputs: Arrays, dtype: Any, out: np.ndarray,
                     backward: Callable[[Arrays], Arrays], bugs: tuple[Bug, ...], dout_habit: Bug = INPUT_MUTATED,
                     dx_scale: np.ndarray | None = None) -> None:
    """forward and backward as two checks (float64), or as one (float32: a dtype check, not a second grade).
    ``dx_scale``: the magnitude of the terms behind dx, where rounding makes it larger than |dx|."""
    dx = backward(inputs)["dx"]
    if np.dtype(dtype) == np.float32:
        suite.checks.append(Check(f"{cls}.float32", cls, "forward/backward", probe_id, expect(
            [Expect("out", out), Expect("dx", dx, bugs, scale=dx_scale)], inputs=inputs, dtype=dtype, oracle=backward,
            watch={"x": INPUT_MUTATED, "dout": dout_habit})))
        return
    suite.checks.append(Check(f"{cls}.forward", cls, "forward", probe_id, expect(
        [Expect("out", out)], inputs=inputs, watch={"x": INPUT_MUTATED})))
    suite.checks.append(Check(f"{cls}.backward", cls, "backward", probe_id, expect(
        [Expect("dx", dx, bugs)], inputs=inputs, oracle=backward, watch={"dout": dout_habit})))
