"""Sigmoid, judged against derive/sigmoid.py: ordinary inputs at both precisions, and |x| up to 1e4 for overflow."""
from __future__ import annotations

import numpy as np

from graders import oracles
from graders.bugs import IGNORES_DOUT, Bug, Evidence, not_finite
from graders.checks.base import Check, Expect, Suite, expect
from graders.checks.layer_shapes import LAYER_CALLS, forward_backward
from graders.checks.probe_builders import layer_probe, upstream


def _backward_uses_x(ev: Evidence) -> bool:
    return ev.matches(oracles.sigmoid_backward(ev.inputs["x"], ev.inputs["dout"]))


BACKWARD_USES_X = Bug("sigmoid.backward_uses_x", "dx = dout*x*(1-x): the derivative is y*(1-y) with y the forward "
                      "output, not x", "dx = dout*x*(1-x)로 계산했습니다: 미분은 순전파 출력 y로 y*(1-y)입니다. x가 아니라 "
                      "y(self.out)를 쓰세요.", detect=_backward_uses_x)
OVERFLOW = Bug("sigmoid.overflow", "{what} is inf or nan for large |x|: exp overflows; use exp(-|x|) or np.clip",
               "|x|가 클 때 {what}이(가) inf나 nan이 됩니다: exp가 넘칩니다(overflow). exp(-|x|) 형태나 np.clip을 쓰세요.",
               detect=not_finite)
BUGS = (BACKWARD_USES_X, OVERFLOW)
WRONG_DX = (BACKWARD_USES_X, IGNORES_DOUT)


def _backward(i: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {"dx": oracles.sigmoid_backward(oracles.sigmoid_forward(i["x"]), i["dout"])}


def suite(rng: np.random.Generator) -> Suite:
    built = Suite()
    ordinary = rng.normal(size=(4, 5)) * 3
    large = np.array([[-1e4, -1e3, -100.0, -30.0, 0.0], [30.0, 100.0, 1e3, 1e4, 1.0]])
    for tag, x, dtype in (("float64", ordinary, np.float64), ("float32", ordinary, np.float32),
                          ("large", large, np.float64)):
        inputs = {"x": x.astype(dtype), "dout": upstream(rng, x.shape, dtype)}
        probe = layer_probe(f"Sigmoid.{tag}", "Sigmoid", inputs, LAYER_CALLS)
        if tag == "large":
            built.checks.append(Check("Sigmoid.large_inputs", "Sigmoid", "forward", probe.id, expect(
                [Expect("out", oracles.sigmoid_forward(inputs["x"]), (OVERFLOW,)),
                 Expect("dx", _backward(inputs)["dx"], (OVERFLOW, *WRONG_DX))],
                inputs=inputs, oracle=_backward)))
        else:
            # dx = dout*y*(1-y): where y is near 1, 1-y carries an absolute rounding error of about eps*y, so
            # the error of dx scales with |dout|*y, not with |dx| (what a float32 layer loses to cancellation)
            y = oracles.sigmoid_forward(inputs["x"].astype(np.float64))
            forward_backward(built, probe.id, "Sigmoid", inputs, dtype, oracles.sigmoid_forward(inputs["x"]),
                             _backward, WRONG_DX, dx_scale=np.abs(inputs["dout"].astype(np.float64)) * y)
        built.probes.append(probe)
    return built
