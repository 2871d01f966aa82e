"""TwoLayerNet, judged against derive/two_layer_net.py at full size (784-50-10): predict, loss, accuracy, the
order of backward, and the gradient against both oracles.

The symbolic oracle (two_layer_net_gradient, generated from the SymPy proof) gives every
element; the numerical one (random directional derivatives of the oracle's loss) checks
the same gradient by measurement, at the cost of a few loss evaluations, and localises a
failure to a parameter and an element.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from graders import oracles
from graders.bugs import GRADIENT_MISMATCH, MISSING_RETURN, WRONG_SHAPE, Bug, Evidence
from graders.checks.base import Check, Expect, Suite, Verdict, expect, sandbox_verdict
from graders.checks.cross_entropy import NO_DELTA
from graders.components import PARAMETERS
from graders.oracles.numerical import directional_check, element_derivative
from graders.sandbox import Probe, ProbeResult

FULL = (784, 50, 10)
SMALL = (12, 6, 4)


def _layers_not_reversed(ev: Evidence) -> bool:
    """The first layer whose backward ran was the first of the forward pass (lastLayer, -1, aside)."""
    order, count = ev.got.get("backward_order"), ev.got.get("layer_count")
    if order is None or count is None or int(count) < 2:
        return False
    visited = order[order >= 0]
    return visited.size > 0 and int(visited[0]) == 0


LAYERS_NOT_REVERSED = Bug("two_layer_net.layers_not_reversed", "backward visits the layers in forward order: reverse "
                          "them (layers.reverse())", "역전파에서 계층을 순전파와 같은 순서로 호출했습니다: 순서를 "
                          "뒤집으세요 (layers.reverse()).", detect=_layers_not_reversed)
BUGS = (LAYERS_NOT_REVERSED,)


def suite(rng: np.random.Generator) -> Suite:
    built = Suite()
    for tag, sizes, n, labels_only in (("full", FULL, 3, False), ("labels", SMALL, 5, True)):
        params, x, t = _inputs(rng, sizes, n, one_hot=not labels_only)
        inputs = {**params, "x": x, "t": t}
        probe = Probe(f"TwoLayerNet.{tag}", "network", inputs, {"sizes": list(sizes)})
        built.probes.append(probe)
        scores, scale = _predict(params, x)
        labels = t if t.ndim == 1 else np.argmax(t, axis=1)
        loss = Expect("loss", oracles.two_layer_net_loss(params, x, t), (NO_DELTA,))
        judged = {**inputs, "y": oracles.softmax(scores)}  # for the detectors: the probabilities of the loss
        grads = oracles.two_layer_net_gradient(params, x, t)
        gradient = [Expect(f"grad_{k}", grads[k]) for k in PARAMETERS]
        if labels_only:
            built.checks.append(Check("TwoLayerNet.labels", "TwoLayerNet", "loss/gradient", probe.id,
                                      expect([loss, *gradient], inputs=judged)))
            continue
        built.checks.extend([
            Check("TwoLayerNet.predict", "TwoLayerNet", "predict", probe.id,
                  expect([Expect("scores", scores, scale=scale)], inputs=inputs)),
            Check("TwoLayerNet.loss", "TwoLayerNet", "loss", probe.id, expect([loss], inputs=judged)),
            Check("TwoLayerNet.accuracy", "TwoLayerNet", "accuracy", probe.id,
                  expect([Expect("accuracy", np.mean(np.argmax(scores, axis=1) == labels))], inputs=inputs)),
            Check("TwoLayerNet.backward_order", "TwoLayerNet", "gradient", probe.id, _order),
            Check("TwoLayerNet.gradient", "TwoLayerNet", "gradient", probe.id, expect(gradient, inputs=inputs)),
            Check("TwoLayerNet.gradient_numerical", "TwoLayerNet", "gradient", probe.id,
                  _directional(params, x, t, np.random.default_rng(rng.integers(2 ** 32)))),
        ])
    return built


def probe_parameters(rng: np.random.Generator, sizes: tuple[int, int, int]) -> dict[str, np.ndarray]:
    """Weights large enough that every term of the gradient matters, biases that split ReLU's pattern."""
    d, h, k = sizes
    return {"W1": rng.normal(0, 0.05, (d, h)), "b1": rng.normal(0, 0.1, h),
            "W2": rng.normal(0, 0.3, (h, k)), "b2": rng.normal(0, 0.1, k)}


def _inputs(rng: np.random.Generator, sizes: tuple[int, int, int], n: int, *, one_hot: bool):
    """probe_parameters, MNIST-like sparse x, and targets the net gets all but one of right."""
    d, h, k = sizes
    params = probe_parameters(rng, sizes)
    x = rng.uniform(0, 1, (n, d)) * (rng.uniform(size=(n, d)) < 0.3)
    labels = rng.integers(k, size=n)
    predicted = np.argmax(_predict(params, x)[0], axis=1)
    labels[: n - 1] = predicted[: n - 1]  # all but one right: an accuracy strictly between 0 and 1
    labels[n - 1] = (predicted[n - 1] + 1) % k
    return params, x, (np.eye(k)[labels] if one_hot else labels)


def _predict(params: dict[str, np.ndarray], x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The oracle's scores, and the magnitude of their summed terms."""
    scores = oracles.two_layer_net_scores(params, x)
    scale_hidden = np.abs(x) @ np.abs(params["W1"]) + np.abs(params["b1"])
    return scores, scale_hidden @ np.abs(params["W2"]) + np.abs(params["b2"])


def _order(result: ProbeResult) -> Verdict:
    """Layers must be visited last to first in backward; the driver logged the order of the calls."""
    if result.status != "ok":
        return sandbox_verdict(result)
    if LAYERS_NOT_REVERSED.detect(Evidence("backward_order", result.arrays, {}, {})):
        return Verdict.of(LAYERS_NOT_REVERSED)
    return Verdict.ok()


def _directional(params: dict[str, np.ndarray], x: np.ndarray, t: np.ndarray,
                 rng: np.random.Generator) -> Callable[[ProbeResult], Verdict]:
    def loss(p) -> float:
        return oracles.two_layer_net_loss(p, x, t)

    def judge(result: ProbeResult) -> Verdict:
        if result.status != "ok":
            return sandbox_verdict(result)
        if "grad_W1" in result.errors:
            return Verdict.raised(result.errors["grad_W1"])
        grads = {k: result.arrays.get(f"grad_{k}") for k in PARAMETERS}
        for k, g in grads.items():
            if g is None:
                return Verdict.of(MISSING_RETURN, what=f"grads['{k}']")
            if g.shape != params[k].shape:
                return Verdict.of(WRONG_SHAPE, what=f"grads['{k}']", got_shape=str(g.shape),
                                  want_shape=str(params[k].shape))
        for test in directional_check(loss, params, grads, rng):
            if not test.ok:
                return _localised(test, grads[test.param], loss, params)
        return Verdict.ok()
    return judge


def _localised(test, got: np.ndarray, loss, params: dict[str, np.ndarray]) -> Verdict:
    """Confirm the directional failure element by element, among the gradient's largest entries."""
    flat = np.abs(got.astype(np.float64)).ravel()
    worst, worst_diff, worst_numeric = (0,) * got.ndim, -1.0, float("nan")
    for i in np.argsort(flat)[-8:]:
        index = np.unravel_index(int(i), got.shape)
        numeric = element_derivative(loss, params, test.param, index)
        if abs(float(got[index]) - numeric) > worst_diff:
            worst, worst_diff, worst_numeric = index, abs(float(got[index]) - numeric), numeric
    return Verdict.of(GRADIENT_MISMATCH, what=f"grads['{test.param}']", analytic=f"{test.analytic:.6g}",
                      numeric=f"{test.numeric:.6g}", where=str(tuple(int(i) for i in worst)),
                      got=f"{float(got[worst]):.6g}", expected=f"{worst_numeric:.6g}")
