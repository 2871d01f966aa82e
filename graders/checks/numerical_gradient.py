"""numerical_gradient: values on a cubic whose gradient is known, 1-D and 2-D, and x restored."""
from __future__ import annotations

import numpy as np

from graders.bugs import CATALOG
from graders.checks.base import Check, Expect, Suite, Verdict, expect, sandbox_verdict
from graders.compare import close
from graders.sandbox import Probe, ProbeResult

BUGS = ("numerical_gradient.wrong_denominator", "numerical_gradient.forward_difference")
SCALE = 100.0  # central differences with h = 1e-4 are good to about h^2 f''' ~ 1e-7, not to rounding


def numerical_gradient(rng: np.random.Generator) -> Suite:
    suite = Suite()
    for tag, shape in (("vector", (5,)), ("matrix", (3, 4))):
        inputs = {"x": rng.normal(size=shape), "c": rng.uniform(-1, 1, shape), "d": rng.uniform(-2, 2, shape),
                  "e": rng.uniform(-3, 3, shape)}
        x, c, d, e = inputs["x"], inputs["c"], inputs["d"], inputs["e"]
        gradient = 3 * c * x ** 2 + 2 * d * x + e  # of f(x) = sum(c x^3 + d x^2 + e x)
        probe = Probe(f"numerical_gradient.{tag}", "numerical_gradient", inputs)
        suite.add(probe, Check(f"numerical_gradient.{tag}", "numerical_gradient", "numerical_gradient", probe.id,
                               expect([Expect("grad", gradient, BUGS, SCALE)], inputs=inputs)))
        if tag == "matrix":
            suite.checks.append(Check("numerical_gradient.restores_x", "numerical_gradient", "numerical_gradient",
                                      probe.id, _restored(x)))
    return suite


def _restored(x: np.ndarray):
    def judge(result: ProbeResult) -> Verdict:
        if result.status != "ok":
            return sandbox_verdict(result)
        after = result.arrays.get("after_x")
        if after is not None and close(after, x, scale=np.abs(x).max() * 1e-3):
            return Verdict.ok()
        return Verdict.of(CATALOG["numerical_gradient.not_restored"], what="x")
    return judge
