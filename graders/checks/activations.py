"""Relu and Sigmoid: exact zeros for ReLU's convention, large |x| for the sigmoid's overflow."""
from __future__ import annotations

from typing import Any

import numpy as np

from graders import oracles
from graders.checks.base import Check, Expect, Suite, expect
from graders.checks.probes import layer_probe, upstream, with_zeros

CALLS = [("forward", ["x"], ["out"]), ("backward", ["dout"], ["dx"])]
RELU_BUGS = ("relu.mask_at_zero", "relu.mask_from_dout", "relu.no_mask", "ignores_dout")
SIGMOID_BUGS = ("sigmoid.backward_uses_x", "ignores_dout")


def relu(rng: np.random.Generator) -> Suite:
    suite = Suite()
    x = with_zeros(rng.normal(size=(4, 5)), rng)
    for dtype in (np.float64, np.float32):
        inputs = {"x": x.astype(dtype), "dout": upstream(rng, x.shape, dtype)}
        probe = layer_probe(f"Relu.{np.dtype(dtype).name}", "Relu", inputs, CALLS)
        _forward_backward(suite, probe.id, "Relu", inputs, dtype, oracles.relu_forward(inputs["x"]),
                          lambda i: {"dx": oracles.relu_backward(i["x"], i["dout"])}, RELU_BUGS,
                          dout_habit="relu.dout_in_place")
        suite.probes.append(probe)
    return suite


def sigmoid(rng: np.random.Generator) -> Suite:
    suite = Suite()
    ordinary = rng.normal(size=(4, 5)) * 3
    large = np.array([[-1e4, -1e3, -100.0, -30.0, 0.0], [30.0, 100.0, 1e3, 1e4, 1.0]])
    for tag, x, dtype in (("float64", ordinary, np.float64), ("float32", ordinary, np.float32),
                          ("large", large, np.float64)):
        inputs = {"x": x.astype(dtype), "dout": upstream(rng, x.shape, dtype)}
        probe = layer_probe(f"Sigmoid.{tag}", "Sigmoid", inputs, CALLS)

        def backward(i: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
            return {"dx": oracles.sigmoid_backward(oracles.sigmoid_forward(i["x"]), i["dout"])}

        if tag == "large":
            suite.checks.append(Check("Sigmoid.large_inputs", "Sigmoid", "forward", probe.id, expect(
                [Expect("out", oracles.sigmoid_forward(inputs["x"]), ("sigmoid.overflow",)),
                 Expect("dx", backward(inputs)["dx"], ("sigmoid.overflow", *SIGMOID_BUGS))],
                inputs=inputs, oracle=backward)))
        else:
            # dx = dout*y*(1-y): where y is near 1, 1-y carries an absolute rounding error of about eps*y, so
            # the error of dx scales with |dout|*y, not with |dx| (what a float32 layer loses to cancellation)
            y = oracles.sigmoid_forward(inputs["x"].astype(np.float64))
            _forward_backward(suite, probe.id, "Sigmoid", inputs, dtype, oracles.sigmoid_forward(inputs["x"]),
                              backward, SIGMOID_BUGS, dx_scale=np.abs(inputs["dout"].astype(np.float64)) * y)
        suite.probes.append(probe)
    return suite


def _forward_backward(suite: Suite, probe_id: str, cls: str, inputs: dict[str, np.ndarray], dtype: Any,
                      out: np.ndarray, backward, bugs: tuple[str, ...], dout_habit: str = "input_mutated",
                      dx_scale: np.ndarray | None = None) -> None:
    """forward and backward as two checks (float64), or as one (float32: a dtype check, not a second grade).
    ``dx_scale``: the magnitude of the terms behind dx, where rounding makes it larger than |dx|."""
    dx = backward(inputs)["dx"]
    if np.dtype(dtype) == np.float32:
        suite.checks.append(Check(f"{cls}.float32", cls, "forward/backward", probe_id, expect(
            [Expect("out", out), Expect("dx", dx, bugs, scale=dx_scale)], inputs=inputs, dtype=dtype, oracle=backward,
            watch={"x": "input_mutated", "dout": dout_habit})))
        return
    suite.checks.append(Check(f"{cls}.forward", cls, "forward", probe_id, expect(
        [Expect("out", out)], inputs=inputs, watch={"x": "input_mutated"})))
    suite.checks.append(Check(f"{cls}.backward", cls, "backward", probe_id, expect(
        [Expect("dx", dx, bugs)], inputs=inputs, oracle=backward, watch={"dout": dout_habit})))
