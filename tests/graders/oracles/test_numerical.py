"""The numerical oracle: directional derivatives accept the true gradient and reject wrong ones cheaply."""
from __future__ import annotations

import numpy as np
import pytest

from graders import oracles
from graders.oracles.numerical import directional_check, element_derivative, numerical_gradient


def _net(rng, sizes=(784, 50, 10), n=3):
    d, h, k = sizes
    params = {"W1": rng.normal(0, 0.05, (d, h)), "b1": rng.normal(0, 0.1, h), "W2": rng.normal(0, 0.3, (h, k)),
              "b2": rng.normal(0, 0.1, k)}
    x = rng.uniform(0, 1, (n, d)) * (rng.uniform(size=(n, d)) < 0.3)
    t = np.eye(k)[rng.integers(k, size=n)]
    return params, x, t


def _loss(x, t):
    return lambda p: oracles.two_layer_net_loss(p, x, t)


def test_the_true_gradient_passes_at_full_size():
    rng = np.random.default_rng(0)
    params, x, t = _net(rng)
    grads = oracles.two_layer_net_gradient(params, x, t)
    tests = directional_check(_loss(x, t), params, grads, rng)
    assert len(tests) == 8 and all(test.ok for test in tests)


WRONG = {
    "db averaged": lambda g, n: {**g, "b2": g["b2"] / n},
    "missing /N": lambda g, n: {k: v * n for k, v in g.items()},
    "sign of W1": lambda g, n: {**g, "W1": -g["W1"]},
    "b1 from the wrong layer, padded": lambda g, n: {**g, "b1": np.resize(g["b2"], g["b1"].shape)},
    "the busiest hidden unit's column zeroed": lambda g, n: {
        **g, "W1": np.where(np.arange(50) == np.argmax(np.abs(g["W1"]).sum(axis=0)), 0.0, g["W1"])},
}


@pytest.mark.parametrize("name", list(WRONG))
def test_wrong_gradients_fail(name):
    rng = np.random.default_rng(1)
    params, x, t = _net(rng)
    grads = WRONG[name](oracles.two_layer_net_gradient(params, x, t), len(x))
    assert not all(test.ok for test in directional_check(_loss(x, t), params, grads, rng))


def test_element_by_element_agrees_with_the_symbolic_oracle_on_a_small_net():
    rng = np.random.default_rng(2)
    params, x, t = _net(rng, sizes=(6, 5, 4), n=3)
    numeric = numerical_gradient(_loss(x, t), params)
    symbolic = oracles.two_layer_net_gradient(params, x, t)
    for key in params:
        np.testing.assert_allclose(numeric[key], symbolic[key], rtol=1e-5, atol=1e-7)
    assert element_derivative(_loss(x, t), params, "W2", (1, 2)) == pytest.approx(symbolic["W2"][1, 2], rel=1e-5)
