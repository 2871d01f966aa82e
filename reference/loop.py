"""The chapter's SGD loop with the signature the assignment and the trainer grader use.

``reference.train`` is the project's fast trainer (it drives its own TwoLayerNet); this is
the loop a student writes, for any network with ``params``, ``gradient``, ``loss`` and
``accuracy``: the book's loop without its waste.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def train(network: Any, x_train: np.ndarray, t_train: np.ndarray, x_test: np.ndarray, t_test: np.ndarray,
          iters_num: int = 10_000, batch_size: int = 100, learning_rate: float = 0.1,
          seed: int = 0) -> dict[str, list[float]]:
    """SGD on random mini-batches; returns the loss of each epoch's last batch and the accuracies per epoch."""
    rng = np.random.default_rng(seed)
    iters_per_epoch = max(len(x_train) // batch_size, 1)
    history: dict[str, list[float]] = {"train_loss": [], "train_acc": [], "test_acc": []}
    for i in range(1, iters_num + 1):
        batch = rng.integers(0, len(x_train), batch_size)  # images and labels picked by the same indices
        grads = network.gradient(x_train[batch], t_train[batch])
        for key in network.params:
            network.params[key] -= learning_rate * grads[key]  # in place: the layers share these arrays
        if i % iters_per_epoch == 0 or i == iters_num:
            history["train_loss"].append(float(network.loss(x_train[batch], t_train[batch])))
            history["train_acc"].append(float(network.accuracy(x_train, t_train)))
            history["test_acc"].append(float(network.accuracy(x_test, t_test)))
    return history
