"""SoftmaxWithLoss, judged against derive/softmax_with_loss.py: one-hot targets, label indices, and a dout that is
not 1 (the book's backward ignores it: a warning, as the last layer always gets 1)."""
from __future__ import annotations

import numpy as np

from graders import oracles
from graders.bugs import INPUT_MUTATED, Bug, Evidence
from graders.checks.base import Check, Expect, Suite, expect, raised_with
from graders.checks.cross_entropy import NO_DELTA, ONE_HOT_ONLY_RAISES, not_averaged
from graders.checks.probe_builders import layer_probe

N, K = 4, 3


def _n(ev: Evidence) -> int:
    return ev.inputs["x"].shape[0]


MISSING_DIV_N = Bug("softmax_with_loss.missing_div_n", "dx = y - t: divide by the batch size N ((y - t) / N)",
                    "dx = y - t로 계산했습니다: 배치 크기 N으로 나누세요 ((y - t) / N).",
                    detect=lambda ev: ev.matches(ev.want["dx"] * _n(ev)))
LOSS_NOT_AVERAGED = Bug("softmax_with_loss.loss_not_averaged", "the loss is summed over the batch; it is the mean",
                        "손실을 배치에 대해 합했습니다: 평균이어야 합니다.", detect=not_averaged)
ONE_HOT_ONLY = Bug("softmax_with_loss.one_hot_only", "works for one-hot targets only; with label indices subtract 1 at "
                   "dx[np.arange(N), t] ({error})",
                   "원-핫 정답에서만 동작합니다: 레이블 인덱스라면 dx[np.arange(N), t]에서 1을 빼세요 ({error})")
IGNORES_DOUT = Bug("softmax_with_loss.ignores_dout", "backward ignores dout (the book does too): harmless as the last "
                   "layer", "backward가 dout을 무시합니다 (교재도 그렇습니다): 마지막 계층이라 괜찮습니다.", "warning",
                   detect=lambda ev: ev.matches(ev.want["dx"] / ev.inputs["dout"]))
BUGS = (MISSING_DIV_N, LOSS_NOT_AVERAGED, ONE_HOT_ONLY, IGNORES_DOUT)


def suite(rng: np.random.Generator) -> Suite:
    built = Suite()
    x = rng.normal(size=(N, K)) * 2
    labels = rng.integers(K, size=N)
    cases = {"one_hot": (np.eye(K)[labels], 1.0), "labels": (labels, 1.0), "dout": (np.eye(K)[labels], 2.5)}
    for tag, (t, dout) in cases.items():
        inputs = {"x": x, "t": t, "dout": np.float64(dout)}
        probe = layer_probe(f"SoftmaxWithLoss.{tag}", "SoftmaxWithLoss", inputs,
                            [("forward", ["x", "t"], ["loss"]), ("backward", ["dout"], ["dx"])], scalars=["dout"])
        built.probes.append(probe)
        loss, y = oracles.softmax_with_loss_forward(x, t)
        want_loss = Expect("loss", loss, (LOSS_NOT_AVERAGED, NO_DELTA))
        want_dx = Expect("dx", oracles.softmax_with_loss_backward(y, t, dout), (MISSING_DIV_N,))
        watch = {"x": INPUT_MUTATED, "t": INPUT_MUTATED}
        inputs = {**inputs, "y": y}  # for the detectors: the probabilities the loss is taken of
        if tag == "one_hot":
            built.checks.extend([
                Check("SoftmaxWithLoss.forward", "SoftmaxWithLoss", "forward", probe.id,
                      expect([want_loss], inputs=inputs, watch=watch)),
                Check("SoftmaxWithLoss.backward", "SoftmaxWithLoss", "backward", probe.id,
                      expect([want_dx], inputs=inputs))])
        elif tag == "labels":
            built.checks.append(Check("SoftmaxWithLoss.labels", "SoftmaxWithLoss", "forward/backward", probe.id, expect(
                [want_loss, want_dx], inputs=inputs, watch=watch, on_raise=raised_with(ONE_HOT_ONLY_RAISES,
                                                                                       ONE_HOT_ONLY))))
        else:
            scaled = Expect("dx", want_dx.want, (IGNORES_DOUT, MISSING_DIV_N))
            built.checks.append(Check("SoftmaxWithLoss.backward_dout", "SoftmaxWithLoss", "backward", probe.id,
                                      expect([scaled], inputs=inputs)))
    return built
