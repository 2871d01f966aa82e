"""Lockstep replay: a few SGD steps by the student's code, each compared with the oracles' step.

From the same parameters and the same mini-batch, one step must give θ - lr·∇L(θ) with ∇L
from the generated oracles. The first step and parameter where the student's run parts from
that is reported, and the way it parts names the bug: no change at all (the update went to a
copy), +lr·∇L (sign), -∇L (learning rate ignored), the gradient of the *initial* parameters
(the layers hold copies of W), labels that are not the images' labels.
"""
from __future__ import annotations

import re

import numpy as np

from graders.bugs import RUNTIME_ERROR, WRONG_SHAPE, diagnose
from graders.checks.base import Check, Suite, Verdict, sandbox_verdict
from graders.checks.two_layer_net import probe_parameters
from graders.compare import mismatch
from graders.components import PARAMETERS
from graders.sandbox import Probe, ProbeResult
from graders.training.bugs import (DIVERGED, ITERATIONS, LABELS_SHUFFLED, LEARNING_RATE_IGNORED, STEP_BUGS, STEP_SCALED,
                                   WRONG_LAYER_GRADIENT, StepEvidence)
from graders.training.data import Digits, one_hot, sgd_step
from graders.training.settings import TrainingSettings

REPLAY_TRAIN, REPLAY_TEST = 1000, 200
_SHAPES = re.compile(r"\((\d+(?:, ?\d+)*),?\)")


def replay_suite(loop: str, digits: Digits, settings: TrainingSettings, rng: np.random.Generator) -> Suite:
    """One probe and one check: ``loop`` is "grader" (our SGD loop, their net) or "own" (their train)."""
    data = digits.head(REPLAY_TRAIN, REPLAY_TEST)
    theta0 = probe_parameters(rng, (784, settings.hidden_size, 10))
    common = {"sizes": [784, settings.hidden_size, 10], "learning_rate": settings.learning_rate,
              "seed": settings.seed}
    arrays = {"x": data.x_train, "t": data.t_train, **theta0}
    if loop == "grader":
        batches = rng.integers(0, REPLAY_TRAIN, (settings.replay_steps, settings.batch_size))
        probe = Probe("training.replay", "grader_loop", {**arrays, "batches": batches}, common)
        judge = _grader_judge(data, theta0, batches, settings)
        return Suite([probe], [Check("training.replay", "training", "SGD step", probe.id, judge)])
    probe = Probe("train.replay", "own_loop", {**arrays, "x_test": data.x_test, "t_test": data.t_test},
                  {**common, "iters": settings.replay_steps, "batch_size": settings.batch_size,
                   "record_batches": True})
    return Suite([probe], [Check("train.replay", "train", "train", probe.id, _own_judge(data, settings))])


def _grader_judge(data: Digits, theta0: dict[str, np.ndarray], batches: np.ndarray, settings: TrainingSettings):
    x, t = data.train_inputs, one_hot(data.t_train)

    def judge(result: ProbeResult) -> Verdict:
        if result.status != "ok":
            return sandbox_verdict(result)
        snaps, constructed = _snapshots(result), _constructed(result)
        expected = theta0
        for step, batch in enumerate(batches):
            if step + 1 >= len(snaps):
                return _failed_step(result, step, settings)
            expected = sgd_step(expected, x[batch], t[batch], settings.learning_rate)
            verdict = _compare_step(snaps[step], snaps[step + 1], expected, constructed, x[batch], t[batch], step,
                                    settings, own_update=False)
            if verdict is not None:
                return verdict
        return Verdict.ok()
    return judge


def _own_judge(data: Digits, settings: TrainingSettings):
    x, labels = data.train_inputs, data.t_train
    rows = {row.tobytes(): i for i, row in enumerate(x)}

    def judge(result: ProbeResult) -> Verdict:
        if result.status != "ok":
            return sandbox_verdict(result)
        snaps, calls, constructed = _snapshots(result), int(result.arrays["calls"]), _constructed(result)
        x_batches, t_batches = result.arrays.get("x_batches"), result.arrays.get("t_batches")
        if calls and (x_batches is None or x_batches.ndim != 3):
            return Verdict.of(WRONG_SHAPE, what="x_batch", got_shape="?", want_shape="(N, 784)")
        complete = calls - 1 if "params" in result.errors else calls  # a step that raised left a partial update
        for step in range(calls):
            shuffled = _labels_apart(x_batches[step], t_batches[step], rows, labels)
            if shuffled is not None:
                return Verdict.of(LABELS_SHUFFLED, step=step + 1, index=shuffled)
            if step >= complete or step + 1 >= len(snaps):
                return _failed_step(result, step, settings)
            expected = sgd_step(snaps[step], x_batches[step], t_batches[step], settings.learning_rate)
            verdict = _compare_step(snaps[step], snaps[step + 1], expected, constructed, x_batches[step],
                                    t_batches[step], step, settings, own_update=True)
            if verdict is not None:
                return verdict
        if "params" in result.errors:
            return _failed_step(result, calls, settings)
        if calls != settings.replay_steps:
            return Verdict.of(ITERATIONS, calls=calls, iters=settings.replay_steps)
        return Verdict.ok()
    return judge


def _compare_step(before: dict[str, np.ndarray], after: dict[str, np.ndarray], expected: dict[str, np.ndarray],
                  constructed: dict[str, np.ndarray], x: np.ndarray, t: np.ndarray, step: int,
                  settings: TrainingSettings, *, own_update: bool) -> Verdict | None:
    """None when ``after`` is the oracle's step; otherwise the bug that explains how it differs.

    ``constructed`` are the parameters as the student's constructor made them, before the grader
    wrote its own in place: layers that hold copies keep computing gradients there.
    """
    parted = next(((k, m) for k in PARAMETERS if (m := mismatch(after[k], expected[k], scale=np.abs(before[k]) + 1e-3))),
                  None)
    if parted is None:
        return None
    key, bad = parted
    lr = settings.learning_rate
    stale = sgd_step(constructed, x, t, lr)
    evidence = StepEvidence(delta={k: after[k] - before[k] for k in PARAMETERS},
                            true_step={k: expected[k] - before[k] for k in PARAMETERS},
                            stale_step={k: stale[k] - constructed[k] for k in PARAMETERS}, lr=lr, own_update=own_update)
    shown = step + 1  # steps are counted from 1 in messages
    bug = diagnose(STEP_BUGS, evidence)
    if bug is STEP_SCALED:
        return Verdict.of(bug, step=shown, ratio=f"{evidence.ratio:.4g}", lr=lr)
    if bug is LEARNING_RATE_IGNORED:
        return Verdict.of(bug, step=shown, lr=lr)
    if bug is not None:
        return Verdict.of(bug, step=shown)
    return Verdict.of(DIVERGED, step=shown, what=key, **bad.fields())


def _failed_step(result: ProbeResult, step: int, settings: TrainingSettings) -> Verdict:
    """The run stopped before ``step`` finished: an exception, read for shapes that belong to another parameter."""
    error = str(result.errors.get("params", "the run ended early"))
    shapes = [tuple(int(n) for n in found.split(",")) for found in _SHAPES.findall(error.replace(" ", ""))]
    sizes = {"W1": (784, settings.hidden_size), "b1": (settings.hidden_size,), "W2": (settings.hidden_size, 10),
             "b2": (10,)}
    owners = [next((k for k, s in sizes.items() if s == shape), None) for shape in shapes[:2]]
    if len(owners) == 2 and None not in owners and owners[0] != owners[1]:
        return Verdict.of(WRONG_LAYER_GRADIENT, step=step + 1, a=owners[0], b=owners[1],
                          error=error)
    return Verdict.of(RUNTIME_ERROR, error=f"{error} (at step {step + 1})")


def _labels_apart(x_batch: np.ndarray, t_batch: np.ndarray, rows: dict[bytes, int], labels: np.ndarray) -> int | None:
    """The first row of the batch whose label is not its image's label (None when all belong together)."""
    given = np.argmax(t_batch, axis=1) if t_batch.ndim == 2 else t_batch.astype(np.int64)
    for i, row in enumerate(x_batch):
        index = rows.get(np.ascontiguousarray(row, dtype=np.float64).tobytes())
        if index is not None and labels[index] != given[i]:
            return i
    return None


def _constructed(result: ProbeResult) -> dict[str, np.ndarray]:
    return {k: result.arrays[f"init_{k}"] for k in PARAMETERS}


def _snapshots(result: ProbeResult) -> list[dict[str, np.ndarray]]:
    count = len(result.arrays["steps"])
    return [{k: result.arrays[f"snap_{k}"][i].astype(np.float64) for k in PARAMETERS} for i in range(count)]


