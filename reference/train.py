"""The chapter's experiment: train TwoLayerNet by mini-batch SGD and record accuracy each epoch.

Compared with the book's loop this does no wasted work: the first layer's dx is never
computed (nobody needs the gradient with respect to the images), the batch loss comes
from the forward pass the gradient needed anyway instead of a second forward pass, and
the full train and test sets are evaluated only where the epoch table has a row: every
epoch, or every k-th epoch when a small training set makes epochs short and many (8,000
digits in batches of 100 make 125 epochs; the table shows at most ``MAX_EVALUATIONS``).
Nor does it multiply by pixels that are blank in every training image (see
``_without_blank_pixels``).
"""
from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np
from threadpoolctl import threadpool_limits

from labdata import load_mnist
from reference.layers import Affine, Relu, SoftmaxWithLoss
from reference.network import TwoLayerNet

MAX_EVALUATIONS = 25


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters and data of one run; the defaults are the book's."""

    dataset: str = "mnist-10k"
    data_dir: str | None = None
    iters: int = 10_000
    batch_size: int = 100
    learning_rate: float = 0.1
    hidden_size: int = 50
    weight_init_std: float = 0.01
    seed: int = 0
    dtype: str = "float64"
    eval_every: int | None = None  # epochs between evaluations; None: at most MAX_EVALUATIONS

    def epochs_between_evaluations(self, train_size: int) -> int:
        if self.eval_every is not None:
            return self.eval_every
        epochs = self.iters / max(train_size // self.batch_size, 1)
        return max(1, math.ceil(epochs / MAX_EVALUATIONS))


@dataclass(frozen=True)
class EpochRecord:
    """Accuracy after ``iteration`` steps (``epoch`` may be fractional for a last partial
    epoch) and the mean batch loss since the previous record."""

    epoch: float
    iteration: int
    loss: float
    train_acc: float
    test_acc: float


@dataclass
class History:
    """Everything a run produced, as plain data (it is written out as JSON)."""

    config: TrainConfig
    epochs: list[EpochRecord] = field(default_factory=list)
    step_seconds: float = 0.0
    eval_seconds: float = 0.0

    @property
    def final_test_acc(self) -> float:
        return self.epochs[-1].test_acc if self.epochs else float("nan")

    def to_dict(self) -> dict:
        return {"config": asdict(self.config), "epochs": [asdict(e) for e in self.epochs],
                "step_seconds": self.step_seconds, "eval_seconds": self.eval_seconds,
                "final_test_acc": self.final_test_acc}


def train_network(config: TrainConfig = TrainConfig(), *, data=None,
          on_step: Callable[[int], None] | None = None,
          on_epoch: Callable[[EpochRecord], None] | None = None) -> History:
    """Run ``config`` and return its history; the same seed gives the same numbers.

    Args:
        data: ``((x_train, t_train), (x_test, t_test))`` to use instead of loading
            ``config.dataset`` (labels as indices).
        on_step: called with the iteration count after every step (progress bars).
        on_epoch: called with each epoch's record as soon as it is measured.
    """
    dtype = np.dtype(config.dtype)
    if data is None:
        data = load_mnist(dataset=config.dataset, data_dir=config.data_dir, dtype=dtype)
    (x_train, t_train), (x_test, t_test) = data
    x_train, x_test = x_train.astype(dtype, copy=False), x_test.astype(dtype, copy=False)
    rng = np.random.default_rng(config.seed)
    net = TwoLayerNet(x_train.shape[1], config.hidden_size, 10, config.weight_init_std,
                      rng=rng, dtype=dtype)
    learner, x_learn, sync = _without_blank_pixels(net, x_train)
    history = History(config)

    with threadpool_limits(limits=1, user_api="blas"):  # small products: more threads only wait on a busy host
        _steps(config, net, learner, x_learn, t_train, (x_train, t_train, x_test, t_test), sync, rng, history,
               on_step, on_epoch)
    return history


def _steps(config: TrainConfig, net: TwoLayerNet, learner: "Learner", x_learn: np.ndarray, t_learn: np.ndarray,
           data: tuple[np.ndarray, ...], sync: Callable[[], None], rng: np.random.Generator, history: History,
           on_step: Callable[[int], None] | None, on_epoch: Callable[[EpochRecord], None] | None) -> None:
    """The SGD steps, with a row of the epoch table every ``epochs_between_evaluations``."""
    x_train, t_train, x_test, t_test = data
    dtype = x_learn.dtype
    lr = dtype.type(config.learning_rate)
    iters_per_epoch = max(len(x_train) // config.batch_size, 1)
    iters_per_eval = iters_per_epoch * config.epochs_between_evaluations(len(x_train))
    done = 0
    while done < config.iters:
        block = min(iters_per_eval, config.iters - done)
        started = time.perf_counter()
        loss_sum = 0.0
        for batch in rng.integers(0, len(x_learn), (block, config.batch_size)):  # a row of indices per step
            loss, steps = learner.loss_and_gradient(x_learn[batch], t_learn[batch], scale=lr)  # lr·∇L, one pass
            for key, step in steps.items():
                learner.params[key] -= step  # in place: the layers share these arrays
            loss_sum += loss
            done += 1
            if on_step:
                history.step_seconds += time.perf_counter() - started
                on_step(done)
                started = time.perf_counter()
        history.step_seconds += time.perf_counter() - started

        started = time.perf_counter()
        sync()
        record = EpochRecord(epoch=round(done / iters_per_epoch, 2), iteration=done,
                             loss=float(loss_sum / block),
                             train_acc=float(net.accuracy(x_train, t_train)),
                             test_acc=float(net.accuracy(x_test, t_test)))
        history.eval_seconds += time.perf_counter() - started
        history.epochs.append(record)
        if on_epoch:
            on_epoch(record)


class Learner(TwoLayerNet):
    """TwoLayerNet as the trainer drives it, on parameters it is handed (the very arrays, not copies).

    It saves two things the textbook network spends, and lives here rather than in TwoLayerNet
    because the assignment's notebook copies TwoLayerNet onto the student's own layers, which
    have only the book's interface: its first layer never computes dx (the gradient with
    respect to the images, which nobody needs), and ``loss_and_gradient`` keeps the loss the
    forward pass computed anyway and starts backprop from ``scale``.
    """

    def __init__(self, params: dict[str, np.ndarray]):
        self.params = dict(params)
        self.layers = {
            "Affine1": _InputAffine(self.params["W1"], self.params["b1"]),
            "Relu1": Relu(),
            "Affine2": Affine(self.params["W2"], self.params["b2"]),
        }
        self.lastLayer = SoftmaxWithLoss()

    def loss_and_gradient(self, x: np.ndarray, t: np.ndarray,
                          scale: float = 1.0) -> tuple[float, dict[str, np.ndarray]]:
        """Loss and gradient from one forward and one backward pass.

        Backprop is linear in the gradient it starts from: starting it from ``scale`` instead of
        1 returns ``scale`` times the gradient, e.g. the SGD step lr·∇L with no extra pass.
        """
        loss = self.loss(x, t)
        dout = self.lastLayer.backward(scale)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)
        affine1, affine2 = self.layers["Affine1"], self.layers["Affine2"]
        return loss, {"W1": affine1.dW, "b1": affine1.db, "W2": affine2.dW, "b2": affine2.db}


class _InputAffine(Affine):
    """The first layer: dW and db as Affine's, and no dx (it would be the gradient with respect to the images)."""

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = np.sum(dout, axis=0)
        return None


def _without_blank_pixels(net: TwoLayerNet, x_train: np.ndarray) -> tuple[Learner, np.ndarray, Callable[[], None]]:
    """The learner to train and the images to train it on, without the pixels that are 0 in every training image.

    Such a pixel adds nothing to any forward pass, and its row of dW1 = Xᵀ·dY is 0 on every
    step, so its row of W1 keeps its initial value: both first-layer products may skip it
    (15% of the embedded digits' pixels, the border). The narrow learner shares b1, W2 and b2
    with ``net``; ``sync`` copies its W1 rows back into ``net``, whose full W1 scores the test
    images, where a pixel blank in training may be inked.
    """
    seen = x_train.any(axis=0)
    if seen.all():
        return Learner(net.params), x_train, lambda: None
    learner = Learner({**net.params, "W1": net.params["W1"][seen]})

    def sync() -> None:
        net.params["W1"][seen] = learner.params["W1"]

    # x[:, mask] comes out column-major; the batch gather wants each image's pixels side by side
    return learner, np.ascontiguousarray(x_train[:, seen]), sync
