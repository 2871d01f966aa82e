"""TwoLayerNet: Affine -> Relu -> Affine -> SoftmaxWithLoss, with backprop and a numerical check.

The assignment's notebook copies this class into a cell, where it runs on the student's own
layers: it uses only the book's interface (``Affine(W, b)``, ``Relu()``, ``SoftmaxWithLoss()``,
``forward``/``backward``, ``dW``/``db``) and has no annotation that names a class defined
later (a notebook cell has no ``from __future__ import annotations``). The trainer's faster
variant is ``reference.learner.Learner``.
"""
from __future__ import annotations

import numpy as np

from reference.gradient import numerical_gradient
from reference.layers import Affine, Relu, SoftmaxWithLoss

PARAMS = ("W1", "b1", "W2", "b2")


class TwoLayerNet:
    """The chapter's network, with the book's attribute names.

    ``params`` holds W1, b1, W2, b2; the Affine layers hold these very arrays, so updating
    ``params`` in place (``params[k] -= lr * grad``) updates the layers too. ``rng`` and
    ``dtype`` make runs reproducible and allow float32.
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int, weight_init_std: float = 0.01,
                 *, rng: np.random.Generator | None = None, dtype: np.typing.DTypeLike = np.float64):
        rng = rng if rng is not None else np.random.default_rng()
        self.params = {
            "W1": (weight_init_std * rng.standard_normal((input_size, hidden_size))).astype(dtype),
            "b1": np.zeros(hidden_size, dtype),
            "W2": (weight_init_std * rng.standard_normal((hidden_size, output_size))).astype(dtype),
            "b2": np.zeros(output_size, dtype),
        }
        self.layers = {
            "Affine1": Affine(self.params["W1"], self.params["b1"]),
            "Relu1": Relu(),
            "Affine2": Affine(self.params["W2"], self.params["b2"]),
        }
        self.lastLayer = SoftmaxWithLoss()

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Scores before the softmax (the softmax does not change the argmax)."""
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        return self.lastLayer.forward(self.predict(x), t)

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """Fraction of correct predictions; ``t`` as labels or one-hot rows."""
        predicted = np.argmax(self.predict(x), axis=1)
        labels = np.argmax(t, axis=1) if t.ndim != 1 else t
        return float(np.mean(predicted == labels))

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """The gradient by central differences: slow, for checking ``gradient``."""
        loss = lambda _: self.loss(x, t)  # noqa: E731  (reads params through the layers)
        return {key: numerical_gradient(loss, self.params[key]) for key in PARAMS}

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """The gradient of the loss by backpropagation: one forward pass, then backward in reverse."""
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in reversed(self.layers.values()):  # backprop visits the layers in reverse
            dout = layer.backward(dout)
        affine1, affine2 = self.layers["Affine1"], self.layers["Affine2"]
        return {"W1": affine1.dW, "b1": affine1.db, "W2": affine2.dW, "b2": affine2.db}
