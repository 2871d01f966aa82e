"""The digits a training check uses, and the oracle's forward pass over them."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from graders import oracles
from graders.components import PARAMETERS
from graders.training.settings import TrainingSettings
from labdata import load_mnist


@dataclass(frozen=True)
class Digits:
    """Images as uint8 (what crosses into the sandbox) and as the book's inputs (pixels / 255, one-hot)."""

    x_train: np.ndarray
    t_train: np.ndarray
    x_test: np.ndarray
    t_test: np.ndarray

    @cached_property
    def train_inputs(self) -> np.ndarray:
        return self.x_train.astype(np.float64) / 255.0

    @cached_property
    def test_inputs(self) -> np.ndarray:
        return self.x_test.astype(np.float64) / 255.0

    def head(self, n_train: int, n_test: int) -> "Digits":
        return Digits(self.x_train[:n_train], self.t_train[:n_train], self.x_test[:n_test], self.t_test[:n_test])


def load_digits(settings: TrainingSettings) -> Digits:
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=False, flatten=True, one_hot_label=False,
                                                      dataset=settings.dataset, data_dir=settings.data_dir,
                                                      progress=False)
    return Digits(x_train, t_train, x_test, t_test)


def one_hot(labels: np.ndarray, classes: int = 10) -> np.ndarray:
    return np.eye(classes)[labels.astype(np.int64)]


def accuracy(params: dict[str, np.ndarray], x: np.ndarray, labels: np.ndarray, chunk: int = 10_000) -> float:
    hits = sum(int(np.sum(np.argmax(oracles.two_layer_net_scores(params, x[i:i + chunk]), axis=1)
                          == labels[i:i + chunk]))
               for i in range(0, len(x), chunk))
    return hits / len(x)


def sgd_step(params: dict[str, np.ndarray], x: np.ndarray, t: np.ndarray, lr: float) -> dict[str, np.ndarray]:
    """One step the oracles' way: θ - lr ∇L(θ) on the batch."""
    grads = oracles.two_layer_net_gradient(params, x, t)
    return {k: params[k] - lr * grads[k] for k in PARAMETERS}
