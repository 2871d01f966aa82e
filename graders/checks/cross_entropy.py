"""cross_entropy_error, judged against derive/cross_entropy.py: one-hot targets, label indices and a single sample,
with one target probability small enough (1e-4) that the 1e-7 inside the log shows."""
from __future__ import annotations

import numpy as np

from graders import oracles
from graders.bugs import INPUT_MUTATED, Bug, Evidence, batch_size
from graders.checks.base import Check, Expect, Suite, expect, raised_with
from graders.checks.probe_builders import function_probe

N, K = 4, 3
ONE_HOT_ONLY_RAISES = ("ValueError", "IndexError", "TypeError")  # what one-hot-only code raises on label indices


def not_averaged(ev: Evidence) -> bool:
    """The loss is the batch's sum: the oracle's mean times N."""
    return ev.matches(ev.want[ev.output] * batch_size(ev))


def _no_delta(ev: Evidence) -> bool:
    """The loss equals -mean(log y_t) exactly, without the 1e-7. ``y``: the probabilities the loss was taken of."""
    y, t = ev.inputs["y"], ev.inputs["t"]
    y2 = y.reshape(1, -1) if y.ndim == 1 else y
    labels = t.reshape(-1) if t.size == y2.shape[0] else np.argmax(t.reshape(y2.shape), axis=1)
    return ev.matches(-np.mean(np.log(y2[np.arange(y2.shape[0]), labels])))


NOT_AVERAGED = Bug("cross_entropy.not_averaged", "the loss is summed over the batch; divide by the batch size N",
                   "손실을 배치에 대해 합하기만 했습니다: 배치 크기 N으로 나누세요.", detect=not_averaged)
ONE_HOT_ONLY = Bug("cross_entropy.one_hot_only", "works for one-hot targets only; with label indices use "
                   "y[np.arange(N), t] ({error})", "원-핫 정답에서만 동작합니다: 레이블 인덱스는 y[np.arange(N), t]로 "
                   "고르세요 ({error})")
NO_DELTA = Bug("cross_entropy.no_delta", "no 1e-7 inside the log: log(0) would give -inf", "log 안에 1e-7이 없습니다: "
               "log(0)이면 -inf가 됩니다.", "warning", detect=_no_delta)
BUGS = (NOT_AVERAGED, ONE_HOT_ONLY, NO_DELTA)


def _probabilities(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Rows of probabilities and labels; one target probability is 1e-4, where log(y + 1e-7) != log(y) shows."""
    y = rng.dirichlet(np.ones(K), size=N)
    labels = rng.integers(K, size=N)
    y[0] = 0.5 * (1 - 1e-4)
    y[0, labels[0]] = 1e-4
    return y, labels


def suite(rng: np.random.Generator) -> Suite:
    built = Suite()
    y, labels = _probabilities(rng)
    one_hot = np.eye(K)[labels]
    cases = {"one_hot": (y, one_hot), "labels": (y, labels), "single": (y[1], one_hot[1])}
    for tag, (yy, t) in cases.items():
        inputs = {"y": yy, "t": t}
        probe = function_probe(f"cross_entropy_error.{tag}", "cross_entropy_error", inputs, ["y", "t"])
        bugs = (NO_DELTA,) if tag == "single" else (NOT_AVERAGED, NO_DELTA)
        hook = raised_with(ONE_HOT_ONLY_RAISES, ONE_HOT_ONLY) if tag == "labels" else None
        built.add(probe, Check(f"cross_entropy_error.{tag}", "cross_entropy_error", "cross_entropy_error", probe.id,
                               expect([Expect("out", oracles.cross_entropy_error(yy, t), bugs)], inputs=inputs,
                                      watch={"y": INPUT_MUTATED, "t": INPUT_MUTATED}, on_raise=hook)))
    return built
