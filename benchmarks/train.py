"""Reference trainer against a plain textbook-style loop: same data, same seed, one run.

    python benchmarks/train.py [--data mnist-10k|fashion-mnist] [--iters N]

Two baselines are written here on purpose, both doing the work chapter 5's loop does:
backward through every layer (including the first layer's dx, which nothing uses), a
second forward pass after each update to record the loss, float64, and a full train/test
evaluation every epoch. The first has the book's structure (layer objects in an ordered
dict, a network class); the second is the same arithmetic as bare numpy functions, the
fastest the wasteful schedule can be. The reference trainer skips the wasted work.

The floor is the matrix-multiply work SGD cannot skip at the reference's shapes (the batch gathered,
five products), nothing else; "vs floor" is each run's step time over it. Everything runs at one
BLAS thread and again with the baselines at the library's default (the reference trainer sets one
thread for itself, so a busy host cannot make it slower than that).

The machines are shared and their speed drifts by tens of percent within a minute, so the
runs are not timed one after another: each reference run takes turns with its baselines,
50 steps each, and its speed-up is against the book-structured loop that shared its minute.
"""
from __future__ import annotations

import argparse
import time
from collections import OrderedDict

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from labdata import load_mnist
from reference.train import History, TrainConfig, train_network

DEFAULT_THREADS = max([p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"], default=1)


class _Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW, self.db = self.x.T @ dout, dout.sum(axis=0)
        return dout @ self.W.T


class _Relu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout = dout.copy()
        dout[self.mask] = 0
        return dout


class _SoftmaxWithLoss:
    def forward(self, x, t):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        self.y, self.t = e / e.sum(axis=1, keepdims=True), t
        return -np.mean(np.log(self.y[np.arange(len(t)), t] + 1e-7))

    def backward(self, dout=1):
        dx = self.y.copy()
        dx[np.arange(len(self.t)), self.t] -= 1
        return dx * dout / len(self.t)


class _BookStyleNet:
    LABEL = "book-structured loop, float64"

    def __init__(self, rng, inputs, hidden):
        self.params = {"W1": 0.01 * rng.standard_normal((inputs, hidden)), "b1": np.zeros(hidden),
                       "W2": 0.01 * rng.standard_normal((hidden, 10)), "b2": np.zeros(10)}
        self.layers = OrderedDict(Affine1=_Affine(self.params["W1"], self.params["b1"]), Relu1=_Relu(),
                                  Affine2=_Affine(self.params["W2"], self.params["b2"]))
        self.last = _SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last.forward(self.predict(x), t)

    def accuracy(self, x, t):
        return float(np.mean(self.predict(x).argmax(axis=1) == t))

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last.backward(1)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)  # down to the first layer's dx
        a1, a2 = self.layers["Affine1"], self.layers["Affine2"]
        return {"W1": a1.dW, "b1": a1.db, "W2": a2.dW, "b2": a2.db}


class _BareNumpyNet:
    """The same arithmetic and the same waste as _BookStyleNet, as bare numpy expressions."""

    LABEL = "same waste, bare numpy, float64"

    def __init__(self, rng, inputs, hidden):
        self.params = {"W1": 0.01 * rng.standard_normal((inputs, hidden)), "b1": np.zeros(hidden),
                       "W2": 0.01 * rng.standard_normal((hidden, 10)), "b2": np.zeros(10)}

    def _scores(self, x):
        p = self.params
        return np.maximum(x @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"]

    def loss(self, x, t):
        s = self._scores(x)
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return -np.mean(np.log((e / e.sum(axis=1, keepdims=True))[np.arange(len(t)), t] + 1e-7))

    def accuracy(self, x, t):
        return float(np.mean(self._scores(x).argmax(axis=1) == t))

    def gradient(self, x, t):
        p = self.params
        h_pre = x @ p["W1"] + p["b1"]
        mask = h_pre <= 0
        h = np.where(mask, 0, h_pre)
        s = h @ p["W2"] + p["b2"]
        e = np.exp(s - s.max(axis=1, keepdims=True))
        dy = e / e.sum(axis=1, keepdims=True)
        dy[np.arange(len(t)), t] -= 1
        dy /= len(t)
        dh = dy @ p["W2"].T
        dh[mask] = 0
        _dx = dh @ p["W1"].T  # the book's backward computes it; nothing uses it
        return {"W1": x.T @ dh, "b1": dh.sum(axis=0), "W2": h.T @ dy, "b2": dy.sum(axis=0)}


class WastefulRun:
    """Chapter 5's schedule for one network, advanced a few steps at a time.

    Advancing it from inside the reference trainer's step callback makes the two runs take
    turns on the machine, so a neighbour's load slows both alike and their ratio stays honest
    on a shared, noisy host.
    """

    def __init__(self, net_class, data, iters: int, seed: int, batch_size: int = 100, hidden: int = 50,
                 lr: float = 0.1):
        (x, t), (x_test, t_test) = data
        self.x, self.t = x.astype(np.float64), t
        self.x_test, self.t_test = x_test.astype(np.float64), t_test
        self.rng = np.random.default_rng(seed)
        self.net = net_class(self.rng, x.shape[1], hidden)
        self.iters, self.batch_size, self.lr = iters, batch_size, lr
        self.per_epoch = max(len(x) // batch_size, 1)
        self.done = 0
        self.step_seconds = self.eval_seconds = self.test_acc = 0.0

    def advance(self, steps: int) -> None:
        net, x, t = self.net, self.x, self.t
        for i in range(self.done + 1, min(self.done + steps, self.iters) + 1):
            started = time.perf_counter()
            batch = self.rng.choice(len(x), self.batch_size)
            grads = net.gradient(x[batch], t[batch])
            for k in net.params:
                net.params[k] -= self.lr * grads[k]
            net.loss(x[batch], t[batch])  # the book records the loss with a second forward pass
            self.step_seconds += time.perf_counter() - started
            if i % self.per_epoch == 0 or i == self.iters:
                started = time.perf_counter()
                net.accuracy(x, t)
                self.test_acc = net.accuracy(self.x_test, self.t_test)
                self.eval_seconds += time.perf_counter() - started
            self.done = i


class FloorRun:
    """The matrix-multiply floor at the reference trainer's shapes: per step, the batch gathered and the five
    products SGD cannot skip (X·W1, H·W2; dY·W2ᵀ, Hᵀ·dY, Xᵀ·dH), nothing else. It takes turns like WastefulRun."""

    def __init__(self, data, iters: int, seed: int, dtype: str, batch_size: int = 100, hidden: int = 50):
        x = data[0][0]
        seen = x.any(axis=0)  # the reference trains without the pixels blank in every training image
        self.x = np.ascontiguousarray(x[:, seen], dtype=dtype)
        self.rng = np.random.default_rng(seed)
        self.w1 = 0.01 * self.rng.standard_normal((self.x.shape[1], hidden)).astype(dtype)
        self.w2 = 0.01 * self.rng.standard_normal((hidden, 10)).astype(dtype)
        self.dy = self.rng.standard_normal((batch_size, 10)).astype(dtype)
        self.iters, self.batch_size, self.done, self.step_seconds = iters, batch_size, 0, 0.0
        self.net = type("Floor", (), {"LABEL": f"matrix-multiply floor, {dtype}"})
        self.eval_seconds, self.test_acc = 0.0, float("nan")

    def advance(self, steps: int) -> None:
        for _ in range(self.done, min(self.done + steps, self.iters)):
            started = time.perf_counter()
            x = self.x[self.rng.integers(0, len(self.x), self.batch_size)]
            h = x @ self.w1
            _ = h @ self.w2
            dh = self.dy @ self.w2.T
            _, _ = h.T @ self.dy, x.T @ dh
            self.step_seconds += time.perf_counter() - started
            self.done += 1


def paired_run(config: TrainConfig, data, baselines: list, turn: int = 50, threads: int | None = None) -> History:
    """Train ``config`` while the baselines advance ``turn`` steps after each ``turn`` of its own; the baselines
    run at ``threads`` BLAS threads (None: the library's default), whatever the trainer sets for itself."""
    def take_turns(i: int) -> None:
        if i % turn == 0:
            with threadpool_limits(limits=threads or DEFAULT_THREADS, user_api="blas"):
                for baseline in baselines:
                    baseline.advance(turn)

    history = train_network(config, data=data, on_step=take_turns)  # the callback is outside its timers
    with threadpool_limits(limits=threads or DEFAULT_THREADS, user_api="blas"):
        for baseline in baselines:
            baseline.advance(baseline.iters)
    return history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="mnist-10k")
    parser.add_argument("--iters", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    data = load_mnist(dataset=args.data, dtype=np.float64)
    print(f"{args.data}, {args.iters} iterations, batch 100, seed {args.seed}; each run takes turns with the "
          "book-structured loop and the floor of its dtype; BLAS threads: 1, then the default "
          f"({DEFAULT_THREADS}) for the baselines (the reference trainer sets 1 for itself)")
    print(f"{'threads':>7}  {'run':33} {'steps s':>8} {'eval s':>7} {'total s':>8} {'steps/s':>8} {'speed-up':>9} "
          f"{'vs floor':>9} {'test acc':>9}")
    for threads in (1, None):
        for dtype, net_classes in (("float64", (_BookStyleNet, _BareNumpyNet)), ("float32", (_BookStyleNet,))):
            baselines = [WastefulRun(net_class, data, args.iters, args.seed) for net_class in net_classes]
            floor = FloorRun(data, args.iters, args.seed, dtype)
            config = TrainConfig(dataset=args.data, iters=args.iters, seed=args.seed, dtype=dtype)
            h = paired_run(config, data, [*baselines, floor], threads=threads)
            base = baselines[0].step_seconds + baselines[0].eval_seconds
            rows = [(b.net.LABEL, b.step_seconds, b.eval_seconds, b.test_acc) for b in baselines]
            rows += [(floor.net.LABEL, floor.step_seconds, 0.0, float("nan")),
                     (f"reference trainer, {dtype}", h.step_seconds, h.eval_seconds, h.final_test_acc)]
            for name, step, evaluate, acc in rows:
                total = step + evaluate
                print(f"{threads or 'default':>7}  {name:33} {step:8.2f} {evaluate:7.2f} {total:8.2f} "
                      f"{args.iters / step:8.0f} {base / total:8.2f}x {step / floor.step_seconds:8.2f}x {acc:9.4f}")


if __name__ == "__main__":
    main()
