"""The accuracy run: a whole training schedule by the student's code, evaluated by the grader.

The sandbox hands back parameter snapshots along the run; the grader computes train and test
accuracy of each with the oracles' forward pass (the student's own numbers are never taken on
trust), compares the last test accuracy with the threshold for the data set and schedule, and
keeps the history for the report's table and learning curve.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from graders import oracles
from graders.bugs import RUNTIME_ERROR
from graders.checks.base import Check, Suite, Verdict, sandbox_verdict
from graders.components import PARAMETERS
from graders.sandbox import Probe, ProbeResult
from graders.training.bugs import BELOW_THRESHOLD, NOT_FINITE, STALLED
from graders.training.data import Digits, accuracy, one_hot
from graders.training.settings import TrainingSettings

LOSS_SAMPLE = 2000  # training loss is taken on this many training digits per snapshot


def accuracy_suite(loop: str, digits: Digits, settings: TrainingSettings) -> Suite:
    """One long probe (with its own time budget and progress ticks) and one check."""
    component = "training" if loop == "grader" else "train"
    params = {"sizes": [784, settings.hidden_size, 10], "learning_rate": settings.learning_rate,
              "seed": settings.seed, "iters": settings.iters, "batch_size": settings.batch_size,
              "snapshot_every": settings.snapshot_every}
    arrays = {"x": digits.x_train, "t": digits.t_train}
    if loop == "own":
        arrays |= {"x_test": digits.x_test, "t_test": digits.t_test}
    probe = Probe(f"{component}.accuracy", "grader_loop" if loop == "grader" else "own_loop", arrays, params,
                  seconds=settings.budget_seconds)
    suite = Suite([probe], [])
    suite.checks.append(Check(f"{component}.accuracy", component, "train" if loop == "own" else "SGD loop", probe.id,
                              _judge(digits, settings, suite.artifacts, loop)))
    return suite


def _judge(digits: Digits, settings: TrainingSettings, artifacts: dict[str, Any], loop: str):
    def judge(result: ProbeResult) -> Verdict:
        if result.status != "ok":
            return sandbox_verdict(result)
        history = evaluate(result, digits, settings)
        artifacts[loop] = {"settings": vars(settings) | {"loop": loop}, "history": history}
        if not history:
            return Verdict.of(RUNTIME_ERROR, error=str(result.errors.get("params", "no parameters came back")))
        last = history[-1]
        if "params" in result.errors:
            return Verdict.of(RUNTIME_ERROR, error=f"{result.errors['params']} (at step {last['iteration']})")
        if not all(np.isfinite(r["loss"]) for r in history):
            step = next(r["iteration"] for r in history if not np.isfinite(r["loss"]))
            return Verdict.of(NOT_FINITE, step=step)
        if last["test_acc"] >= settings.threshold:
            return Verdict.ok()
        changed = any(not np.array_equal(result.arrays[f"snap_{k}"][0], result.arrays[f"snap_{k}"][-1]) for k in PARAMETERS)
        if not changed:
            return Verdict.of(STALLED, acc=f"{last['test_acc']:.3f}")
        return Verdict.of(BELOW_THRESHOLD, acc=f"{last['test_acc']:.4f}", iters=last["iteration"],
                          threshold=f"{settings.threshold:g}", dataset=settings.dataset)
    return judge


def evaluate(result: ProbeResult, digits: Digits, settings: TrainingSettings) -> list[dict[str, float]]:
    """Train and test accuracy, and the training loss on a fixed sample, of every snapshot."""
    steps = result.arrays["steps"]
    sample = slice(0, min(LOSS_SAMPLE, len(digits.x_train)))
    x_sample, t_sample = digits.train_inputs[sample], one_hot(digits.t_train[sample])
    history = []
    for i, step in enumerate(steps):
        params = {k: result.arrays[f"snap_{k}"][i].astype(np.float64) for k in PARAMETERS}
        with np.errstate(all="ignore"):
            loss = float(oracles.two_layer_net_loss(params, x_sample, t_sample))
        finite = np.isfinite(loss)
        history.append({"iteration": int(step), "epoch": round(int(step) * settings.batch_size / len(digits.x_train), 3),
                        "loss": loss,
                        "train_acc": accuracy(params, digits.train_inputs, digits.t_train) if finite else 0.0,
                        "test_acc": accuracy(params, digits.test_inputs, digits.t_test) if finite else 0.0})
    return history
