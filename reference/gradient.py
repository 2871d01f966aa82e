"""numerical_gradient: central differences, the slow but trustworthy check on backprop."""
from __future__ import annotations

from typing import Callable

import numpy as np

H = 1e-4


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Gradient of ``f`` at ``x`` by central differences, (f(x+h) - f(x-h)) / 2h, element by element.

    ``x`` is perturbed in place (``f`` usually reads it through a closure, as the book's
    nets read their params) and every element is restored, even when ``f`` raises.
    """
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        try:
            x[i] = original + H
            f_plus = f(x)
            x[i] = original - H
            f_minus = f(x)
        finally:
            x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * H)
    return grad
