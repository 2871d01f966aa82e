"""The trainer's SGD step: TwoLayerNet's arithmetic, spending as little as it can around five products.

TwoLayerNet (``reference/network.py``) has the book's structure, layer objects handing arrays
to each other; students write it and the notebook copies it. A step of training is mostly
five matrix products that no structure can avoid (X·W1, H·W2, dY·W2ᵀ, Hᵀ·dY, Xᵀ·dH), and
``benchmarks/train.py`` times this learner against those products alone. What it saves:

- the first layer never computes dx, the gradient with respect to the images;
- the pixels that are 0 in every training image are left out of both first-layer products:
  such a pixel adds nothing to a forward pass and its row of dW1 = Xᵀ·dH is always 0, so its
  weights keep their initial values (15% of the embedded digits' pixels, the border);
- the biases ride in the weights: each layer's input carries a last column of ones, so
  x·W + b is one product and db comes out of dW's product as its last row;
- backprop starts from lr/N instead of 1/N (it is linear), so it yields the step lr·∇L;
- the parameters and the step each live in one flat array, so the update is one subtraction;
- the scores are held a column per image (10 × N): softmax then reduces over contiguous rows;
- every array a step writes is allocated once, and the loss is left as the probability each
  image's label got, for the loop to turn into the mean loss once per table row.

``tests/reference/test_train.py`` holds a step to the textbook network's gradient.
"""
from __future__ import annotations

import numpy as np


class Learner:
    """A two-layer net being trained on one training set: parameters copied in, written back by ``write_back``.

    Layout: ``W1`` is ``(pixels seen + 1, hidden)`` with b1 as its last row; ``W2`` is
    ``(hidden + 1, 10)`` with b2 as its last row; both are views of ``flat_params``, as
    ``dW1`` and ``dW2`` are of ``flat_step``, which holds lr·∇L.
    """

    def __init__(self, params: dict[str, np.ndarray], x_train: np.ndarray, t_train: np.ndarray, batch_size: int):
        dtype = params["W1"].dtype
        self.seen = x_train.any(axis=0)
        pixels, (hidden, classes) = int(self.seen.sum()), params["W2"].shape
        self.images = np.ones((len(x_train), pixels + 1), dtype)  # each image's pixels side by side, then a 1
        self.images[:, :pixels] = x_train[:, self.seen]
        self.label_offsets = t_train.astype(np.intp) * batch_size  # row t of a (10 × N) array, flattened

        split = (pixels + 1) * hidden
        self.flat_params = np.empty(split + (hidden + 1) * classes, dtype)
        self.flat_step = np.empty_like(self.flat_params)
        self.W1 = self.flat_params[:split].reshape(pixels + 1, hidden)
        self.W2 = self.flat_params[split:].reshape(hidden + 1, classes)
        self.dW1 = self.flat_step[:split].reshape(self.W1.shape)
        self.dW2 = self.flat_step[split:].reshape(self.W2.shape)
        self.W1[:-1], self.W1[-1] = params["W1"][self.seen], params["b1"]
        self.W2[:-1], self.W2[-1] = params["W2"], params["b2"]

        self.A = np.empty((batch_size, hidden), dtype)  # first layer's output, before ReLU
        self.H = np.ones((batch_size, hidden + 1), dtype)  # after ReLU, then a 1
        self.active = np.empty((batch_size, hidden), bool)  # ReLU's mask, where A > 0
        self.dH = np.empty((batch_size, hidden), dtype)
        self.E = np.empty((classes, batch_size), dtype)  # scores, then exp, then dY, a column per image
        self.column_max, self.column_sum = np.empty(batch_size, dtype), np.empty(batch_size, dtype)
        self.batch_size, self.columns = batch_size, np.arange(batch_size)

    def write_back(self, params: dict[str, np.ndarray]) -> None:
        """Copy the trained values into ``params``, which keeps its own rows of W1 for blank pixels."""
        params["W1"][self.seen], params["b1"][:] = self.W1[:-1], self.W1[-1]
        params["W2"][:], params["b2"][:] = self.W2[:-1], self.W2[-1]

    def sgd_step(self, batch: np.ndarray, lr: float, label_probability: np.ndarray) -> None:
        """One step on the training images at ``batch`` (``batch_size`` indices); writes the probability
        each image gave its label into ``label_probability``."""
        x, n = self.images[batch], self.batch_size
        # forward: Affine1, Relu1, Affine2 (scores transposed)
        np.dot(x, self.W1, out=self.A)
        np.maximum(self.A, 0, out=self.H[:, :-1])
        e = np.dot(self.W2.T, self.H.T, out=self.E)
        # softmax, shifted by each image's largest score so exp never overflows
        np.maximum.reduce(e, axis=0, out=self.column_max)
        np.subtract(e, self.column_max, out=e)
        np.exp(e, out=e)
        total = np.add.reduce(e, axis=0, out=self.column_sum)
        at_label = self.label_offsets[batch] + self.columns  # flat index of (label, column) in E
        label_exp = e.take(at_label)
        np.divide(label_exp, total, out=label_probability)
        # SoftmaxWithLoss backward, from lr instead of 1: dY = lr·(y − t)/n
        total = np.divide(lr / n, total, out=total)
        e *= total
        e.put(at_label, label_exp * total - lr / n)
        # Affine2 backward (its db is dW2's last row), Relu1 backward, Affine1 backward without dx
        np.dot(self.H.T, e.T, out=self.dW2)
        dh = np.dot(e.T, self.W2[:-1].T, out=self.dH)
        np.greater(self.A, 0, out=self.active)
        dh *= self.active
        np.dot(x.T, dh, out=self.dW1)
        self.flat_params -= self.flat_step
