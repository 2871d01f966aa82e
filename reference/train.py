"""The chapter's experiment: train TwoLayerNet by mini-batch SGD and record accuracy each epoch.

Compared with the book's loop this does no wasted work: the batch loss comes from the
forward pass the gradient needed anyway instead of a second forward pass, and the full
train and test sets are evaluated only where the epoch table has a row: every epoch, or
every k-th epoch when a small training set makes epochs short and many (8,000 digits in
batches of 100 make 125 epochs; the table shows at most ``MAX_EVALUATIONS``). The steps
themselves are ``reference.learner.Learner``'s; the evaluation is TwoLayerNet's own.
"""
from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np
from threadpoolctl import threadpool_limits

from labdata import load_mnist
from reference.functions import LOG_EPSILON
from reference.learner import Learner
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
    learner = Learner(net.params, x_train, t_train, config.batch_size)
    history = History(config)

    with threadpool_limits(limits=1, user_api="blas"):  # small products: more threads only wait on a busy host
        _steps(config, net, learner, (x_train, t_train, x_test, t_test), rng, history, on_step, on_epoch)
    return history


def _steps(config: TrainConfig, net: TwoLayerNet, learner: Learner, data: tuple[np.ndarray, ...],
           rng: np.random.Generator, history: History,
           on_step: Callable[[int], None] | None, on_epoch: Callable[[EpochRecord], None] | None) -> None:
    """The SGD steps, with a row of the epoch table every ``epochs_between_evaluations``."""
    x_train, t_train, x_test, t_test = data
    iters_per_epoch = max(len(x_train) // config.batch_size, 1)
    iters_per_eval = iters_per_epoch * config.epochs_between_evaluations(len(x_train))
    done = 0
    while done < config.iters:
        block = min(iters_per_eval, config.iters - done)
        started = time.perf_counter()
        label_probability = np.empty((block, config.batch_size), x_train.dtype)
        for i, batch in enumerate(rng.integers(0, len(x_train), (block, config.batch_size))):  # a row per step
            learner.sgd_step(batch, config.learning_rate, label_probability[i])
            done += 1
            if on_step:
                history.step_seconds += time.perf_counter() - started
                on_step(done)
                started = time.perf_counter()
        history.step_seconds += time.perf_counter() - started

        started = time.perf_counter()
        learner.write_back(net.params)
        record = EpochRecord(epoch=round(done / iters_per_epoch, 2), iteration=done,
                             loss=float(-np.mean(np.log(label_probability + LOG_EPSILON))),  # the book's loss
                             train_acc=float(net.accuracy(x_train, t_train)),
                             test_acc=float(net.accuracy(x_test, t_test)))
        history.eval_seconds += time.perf_counter() - started
        history.epochs.append(record)
        if on_epoch:
            on_epoch(record)
