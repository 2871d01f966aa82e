"""numerical_gradient, judged by calculus rather than a derivation: values on a cubic whose gradient is known,
1-D and 2-D, and x restored after each perturbation."""
from __future__ import annotations

import numpy as np

from graders.bugs import Bug, Evidence
from graders.checks.base import Check, Expect, Suite, Verdict, expect, sandbox_verdict
from graders.compare import close
from graders.sandbox import Probe, ProbeResult

SCALE = 100.0  # central differences with h = 1e-4 are good to about h^2 f''' ~ 1e-7, not to rounding


def _wrong_denominator(ev: Evidence) -> bool:
    got, want = ev.got["grad"].astype(np.float64), ev.want["grad"]
    if got.shape != want.shape or not np.isfinite(got).all():
        return False
    ratio = float(np.sum(got * want) / np.sum(want * want))
    return abs(ratio - 1) > 0.01 and close(got, ratio * want, scale=np.abs(want).max())


def _forward_difference(ev: Evidence) -> bool:
    x, c, d = ev.inputs["x"], ev.inputs["c"], ev.inputs["d"]
    h = 1e-4  # (f(x+h) - f(x)) / h = f'(x) + h f''(x)/2 + h^2 f'''(x)/6 for the cubic under test
    forward = ev.want["grad"] + h * (3 * c * x + d) + h * h * c
    return close(ev.got["grad"], forward, scale=np.abs(forward).max())


NOT_RESTORED = Bug("numerical_gradient.not_restored", "x is not restored after perturbing it: put back x[idx] = "
                   "tmp_val", "x를 바꾼 뒤 되돌려 놓지 않았습니다: x[idx] = tmp_val로 복원하세요.")
WRONG_DENOMINATOR = Bug("numerical_gradient.wrong_denominator", "the result is {ratio} times the derivative: the "
                        "central difference divides by 2*h", "결과가 미분의 {ratio}배입니다: 중심 차분은 2*h로 나눕니다.",
                        detect=_wrong_denominator)
FORWARD_DIFFERENCE = Bug("numerical_gradient.forward_difference", "a forward difference (f(x+h) - f(x)) / h: use the "
                         "central difference (f(x+h) - f(x-h)) / (2*h)", "전방 차분 (f(x+h) - f(x)) / h를 썼습니다: "
                         "중심 차분 (f(x+h) - f(x-h)) / (2*h)을 쓰세요.", detect=_forward_difference)
BUGS = (NOT_RESTORED, WRONG_DENOMINATOR, FORWARD_DIFFERENCE)


def suite(rng: np.random.Generator) -> Suite:
    built = Suite()
    for tag, shape in (("vector", (5,)), ("matrix", (3, 4))):
        inputs = {"x": rng.normal(size=shape), "c": rng.uniform(-1, 1, shape), "d": rng.uniform(-2, 2, shape),
                  "e": rng.uniform(-3, 3, shape)}
        x, c, d, e = inputs["x"], inputs["c"], inputs["d"], inputs["e"]
        gradient = 3 * c * x ** 2 + 2 * d * x + e  # of f(x) = sum(c x^3 + d x^2 + e x)
        probe = Probe(f"numerical_gradient.{tag}", "numerical_gradient", inputs)
        built.add(probe, Check(f"numerical_gradient.{tag}", "numerical_gradient", "numerical_gradient", probe.id,
                               expect([Expect("grad", gradient, (WRONG_DENOMINATOR, FORWARD_DIFFERENCE), SCALE)],
                                      inputs=inputs)))
        if tag == "matrix":
            built.checks.append(Check("numerical_gradient.restores_x", "numerical_gradient", "numerical_gradient",
                                      probe.id, _restored(x)))
    return built


def _restored(x: np.ndarray):
    def judge(result: ProbeResult) -> Verdict:
        if result.status != "ok":
            return sandbox_verdict(result)
        after = result.arrays.get("after_x")
        if after is not None and close(after, x, scale=np.abs(x).max() * 1e-3):
            return Verdict.ok()
        return Verdict.of(NOT_RESTORED, what="x")
    return judge
