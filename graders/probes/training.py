"""Child-side drivers for training: the grader's SGD loop around the student's TwoLayerNet, and
the student's own ``train`` function with their network instrumented. Like every driver they only
run and record (parameters, batches, progress); the parent replays and judges."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from graders.components import PARAMETERS
from graders.probes.namespace import lookup
from graders.probes.protocol import ERRORS

_progress: Callable[[int], None] = lambda step: None  # noqa: E731


def set_progress(report: Callable[[int], None]) -> None:
    """Called by the sandbox's child with a function that reports a step to the parent."""
    global _progress
    _progress = report


def grader_loop(ns: dict[str, Any], arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """SGD the book's way on the student's TwoLayerNet: ``params[key] -= lr * grads[key]``, in place.

    Replay (``batches`` given): start from the given parameters, use those batches, and return
    the parameters after every step. Accuracy run (``iters`` given): the student's own
    initialisation after ``np.random.seed(seed)``, batches drawn from a seeded generator, and
    parameter snapshots every ``snapshot_every`` steps (float32: enough to evaluate them).
    """
    x, t = _images(arrays["x"]), _one_hot(arrays["t"])
    net, initial = _student_net(ns, arrays, params)
    if "batches" in arrays:
        batches = arrays["batches"]
    else:
        rng = np.random.default_rng(params["seed"])
        batches = (rng.integers(0, len(x), params["batch_size"]) for _ in range(params["iters"]))
    recorder = _Recorder(net, every=params.get("snapshot_every", 1))
    lr = params["learning_rate"]
    errors: dict[str, BaseException] = {}
    try:
        for step, batch in enumerate(batches):
            grads = net.gradient(x[batch], t[batch])
            for key in PARAMETERS:
                net.params[key] -= lr * grads[key]
            recorder.after_step(step + 1)
    except Exception as exc:
        errors["params"] = exc
    return recorder.outputs() | initial | {ERRORS: errors}


def own_loop(ns: dict[str, Any], arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """The student's ``train(network, x_train, t_train, x_test, t_test, iters_num, batch_size, learning_rate,
    seed)``, with their network's ``gradient`` wrapped to record the parameters before each step and,
    in a replay, the batch it was given."""
    x, t = _images(arrays["x"]), _one_hot(arrays["t"])
    x_test, t_test = _images(arrays["x_test"]), _one_hot(arrays["t_test"])
    net, initial = _student_net(ns, arrays, params)
    recorder = _Recorder(net, every=params.get("snapshot_every", 1), batches=params.get("record_batches", False))
    errors: dict[str, BaseException] = {}
    try:  # what train returns is its own account of itself: the grader measures the parameters instead
        lookup(ns, "train")(net, x, t, x_test, t_test, params["iters"], params["batch_size"],
                            params["learning_rate"], params["seed"])
    except Exception as exc:
        errors["params"] = exc
    recorder.after_step(recorder.calls, final=True)
    return recorder.outputs() | initial | {ERRORS: errors}


class _Recorder:
    """Snapshots of ``net.params``; when wrapping ``gradient``, also the batches it is given."""

    def __init__(self, net: Any, every: int, batches: bool = False) -> None:
        self.net, self.every, self.calls = net, max(1, every), 0
        self.steps: list[int] = []
        self.snapshots: dict[str, list[np.ndarray]] = {key: [] for key in PARAMETERS}
        self.x_batches: list[np.ndarray] = []
        self.t_batches: list[np.ndarray] = []
        self.record_batches = batches
        self._take(0)
        original = net.gradient

        def gradient(x_batch: np.ndarray, t_batch: np.ndarray) -> Any:
            if self.calls and self.calls % self.every == 0:
                self._take(self.calls)
            if self.record_batches:
                self.x_batches.append(np.array(x_batch, dtype=np.float64))
                self.t_batches.append(np.array(t_batch, dtype=np.float64))
            self.calls += 1
            _progress(self.calls)
            return original(x_batch, t_batch)

        net.gradient = gradient

    def after_step(self, step: int, final: bool = False) -> None:
        """For the grader's loop, which knows when a step ends; ``final`` records the end of any loop."""
        if final or step % self.every == 0:
            self._take(step)

    def _take(self, step: int) -> None:
        if self.steps and self.steps[-1] == step:
            return  # already taken (by the gradient wrapper or by after_step)
        self.steps.append(step)
        dtype = np.float64 if self.every == 1 else np.float32
        for key in PARAMETERS:
            self.snapshots[key].append(np.array(self.net.params[key], dtype=dtype))

    def outputs(self) -> dict[str, Any]:
        out: dict[str, Any] = {"steps": np.array(self.steps), "calls": np.array(self.calls)}
        out |= {f"snap_{key}": np.stack(values) for key, values in self.snapshots.items()}
        if self.record_batches and self.x_batches:
            out |= {"x_batches": _stack(self.x_batches), "t_batches": _stack(self.t_batches)}
        return out


def _student_net(ns: dict[str, Any], arrays: dict[str, np.ndarray], params: dict[str, Any]) -> tuple[Any, dict]:
    """The student's TwoLayerNet, built after ``np.random.seed(seed)``; given parameters (a replay's) are
    written into its ``params`` in place. Also returns the parameters as the constructor made them:
    what layers holding copies would keep using."""
    np.random.seed(params["seed"])
    net = lookup(ns, "TwoLayerNet")(*params["sizes"])
    initial = {f"init_{key}": np.array(net.params[key], dtype=np.float64) for key in PARAMETERS}
    if "W1" in arrays:
        for key in PARAMETERS:
            net.params[key][...] = arrays[key]
    return net, initial


def _stack(arrays: list[np.ndarray]) -> np.ndarray:
    return np.stack(arrays) if len({a.shape for a in arrays}) == 1 else np.concatenate([a.reshape(-1) for a in arrays])


def _images(pixels: np.ndarray) -> np.ndarray:
    return pixels.astype(np.float64) / 255.0


def _one_hot(labels: np.ndarray) -> np.ndarray:
    return np.eye(10)[labels.astype(np.int64)]


DRIVERS = {"grader_loop": grader_loop, "own_loop": own_loop}
