"""Numerical oracles: finite differences, written by hand (they are not derived, they measure).

``directional_check`` is the cheap test of a full gradient: for a random direction v, the
central difference (L(θ + h v) - L(θ - h v)) / 2h must equal <∇L, v>. Two loss evaluations
per direction instead of two per parameter (79,520 for the 784-50-10 net), as in PyTorch's
fast gradcheck. ``element_derivative`` then localises a failure one element at a time.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

Params = Mapping[str, np.ndarray]
Loss = Callable[[Params], float]


@dataclass(frozen=True)
class Directional:
    """One directional test of one parameter: backprop's <g, v> against the central difference."""

    param: str
    analytic: float
    numeric: float
    tolerance: float

    @property
    def ok(self) -> bool:
        return abs(self.analytic - self.numeric) <= self.tolerance


def directional_check(loss: Loss, params: Params, grads: Params, rng: np.random.Generator, *,
                      directions: int = 2, h: float = 1e-5, rtol: float = 1e-4) -> list[Directional]:
    """Test each parameter's gradient along ``directions`` random unit directions.

    The tolerance is relative to <|g|, |v|>, the size of the terms of the inner product,
    plus the rounding of the difference quotient (eps * |L| / h).
    """
    base = abs(loss(params))
    tests = []
    for key in params:
        for _ in range(directions):
            v = rng.normal(size=params[key].shape)
            v /= np.linalg.norm(v)
            numeric = (loss(_shifted(params, key, h * v)) - loss(_shifted(params, key, -h * v))) / (2 * h)
            g = np.asarray(grads[key], dtype=np.float64)
            tol = rtol * float(np.sum(np.abs(g) * np.abs(v))) + 50 * np.finfo(np.float64).eps * max(base, 1.0) / h
            tests.append(Directional(key, float(np.sum(g * v)), float(numeric), tol))
    return tests


def element_derivative(loss: Loss, params: Params, key: str, index: tuple[int, ...], h: float = 1e-5) -> float:
    """∂L/∂params[key][index] by a central difference."""
    step = np.zeros_like(params[key], dtype=np.float64)
    step[index] = h
    return (loss(_shifted(params, key, step)) - loss(_shifted(params, key, -step))) / (2 * h)


def numerical_gradient(loss: Loss, params: Params, h: float = 1e-4) -> dict[str, np.ndarray]:
    """Every element by central differences, as the book does: the slow baseline (benchmarks only)."""
    grads = {}
    for key in params:
        grad = np.zeros_like(params[key], dtype=np.float64)
        for index in np.ndindex(params[key].shape):
            grad[index] = element_derivative(loss, params, key, index, h)
        grads[key] = grad
    return grads


def _shifted(params: Params, key: str, step: np.ndarray) -> dict[str, np.ndarray]:
    return {k: (v + step if k == key else v) for k, v in params.items()}
