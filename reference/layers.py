"""The chapter's layers: one small class per node, forward and backward side by side.

Every layer keeps what its backward needs (``x``, ``out``, ``mask``) and never writes
into an array its caller passed in: the caller may still need ``x`` or ``dout`` (a
gradient checker reuses them, and a ``dout`` may be shared by several branches).
"""
from __future__ import annotations

import numpy as np

from reference.functions import cross_entropy_error, softmax


class MulLayer:
    """out = x * y."""

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x  # each input's gradient is the other input


class AddLayer:
    """out = x + y."""

    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout, dout  # addition passes the gradient through unchanged


class ExpLayer:
    """out = exp(x): a node of the sigmoid's graph."""

    def forward(self, x):
        self.out = np.exp(x)
        return self.out

    def backward(self, dout):
        return dout * self.out  # dx = dout * exp(x) = dout * out


class ReciprocalLayer:
    """out = 1 / x: the last node of the sigmoid's graph."""

    def forward(self, x):
        self.out = 1 / x
        return self.out

    def backward(self, dout):
        return -dout * self.out * self.out  # dx = -dout / x^2 = -dout * out^2


class Relu:
    """out = max(0, x).

    At x == 0 the derivative is taken to be 0, the textbook's convention: the mask is
    ``x <= 0``. Unlike the book's version, backward returns a new array instead of
    zeroing ``dout`` in place.
    """

    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0, x)

    def backward(self, dout):
        return np.where(self.mask, 0, dout)  # dx = dout * [x > 0]


class Sigmoid:
    """out = 1 / (1 + exp(-x)), computed without overflow for every finite x."""

    def forward(self, x):
        # exp(-|x|) is never larger than 1; for x < 0, sigma(x) = e^x / (1 + e^x)
        e = np.exp(-np.abs(x))
        self.out = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)  # dx = dout * y * (1 - y)


class Affine:
    """out = x @ W + b, for input of any rank >= 2 (flattened to (N, -1)).

    ``W`` and ``b`` are the caller's arrays, not copies, so an in-place SGD update of the
    network's params reaches the layer.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray):
        self.W, self.b = W, b
        self.x = self.x_shape = self.dW = self.db = None

    def forward(self, x):
        self.x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout  # dW = X^T dY
        self.db = np.sum(dout, axis=0)  # db = sum of dY over the batch
        return (dout @ self.W.T).reshape(self.x_shape)  # dX = dY W^T


class SoftmaxWithLoss:
    """Softmax followed by the batch-mean cross-entropy loss.

    ``t`` may be one-hot rows or label indices. backward returns dout * (y - t) / N.
    """

    def __init__(self):
        self.loss = self.y = self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, t)
        return self.loss

    def backward(self, dout=1):
        n = self.y.shape[0]
        dx = self.y.copy()
        if self.t.size == self.y.size:
            dx -= self.t
        else:
            dx[np.arange(n), self.t] -= 1
        return dx * (dout / n)  # dx = dout * (y - t) / N
