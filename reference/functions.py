"""softmax and cross_entropy_error, for one sample (1-D) or a batch (2-D)."""
from __future__ import annotations

import numpy as np

LOG_EPSILON = 1e-7  # the book's guard against log(0); backprop differentiates log(y) without it


def softmax(x: np.ndarray) -> np.ndarray:
    """Row-wise softmax, shifted by each row's maximum so exp never overflows.

    The shift changes nothing mathematically (softmax is invariant under adding a
    constant to a row) and keeps every exponent <= 0.
    """
    shifted = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


def cross_entropy_error(y: np.ndarray, t: np.ndarray) -> float:
    """Batch-mean cross-entropy of predictions ``y`` against ``t``: one-hot rows or label indices.

    A 1-D ``y`` is one sample (a batch of one); ``t`` is then a one-hot row or one label.
    """
    rows = y.reshape(-1, y.shape[-1])
    t = np.asarray(t)
    labels = t.reshape(rows.shape).argmax(axis=1) if t.size == rows.size else t.reshape(-1)
    n = rows.shape[0]
    return -np.sum(np.log(rows[np.arange(n), labels] + LOG_EPSILON)) / n
