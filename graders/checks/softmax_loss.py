"""softmax, cross_entropy_error and SoftmaxWithLoss: batches with N != K, large logits,
label-index and one-hot targets, a dout that is not 1, and target probabilities small
enough that the 1e-7 inside the log shows."""
from __future__ import annotations

import numpy as np

from graders import oracles
from graders.checks.base import Check, Expect, Suite, expect, raised_with
from graders.checks.probes import function_probe, layer_probe

N, K = 4, 3  # a batch that is not square, so axis mistakes change shapes or values
SOFTMAX_BUGS = ("softmax.whole_batch", "softmax.wrong_axis")
ONE_HOT_ONLY = ("ValueError", "IndexError", "TypeError")


def softmax(rng: np.random.Generator) -> Suite:
    suite = Suite()
    cases = {"rows": rng.normal(size=(N, K)) * 2,
             "large": np.array([[1000.0, 999.0, 990.0], [-1000.0, -1001.0, -990.0], [1e4, 0.0, -1e4], [0.5, 0.2, 0.1]]),
             "vector": rng.normal(size=5),
             "float32": (rng.normal(size=(N, K)) * 2).astype(np.float32)}
    for tag, x in cases.items():
        inputs = {"x": x}
        probe = function_probe(f"softmax.{tag}", "softmax", inputs, ["x"])
        bugs = ("softmax.no_max_shift", *SOFTMAX_BUGS) if tag == "large" else SOFTMAX_BUGS
        suite.add(probe, Check(f"softmax.{tag}", "softmax", "softmax", probe.id, expect(
            [Expect("out", oracles.softmax(x), bugs)], inputs=inputs, dtype=x.dtype, watch={"x": "input_mutated"})))
    return suite


def _probabilities(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Rows of probabilities and labels; one target probability is 1e-4, where log(y + 1e-7) != log(y) shows."""
    y = rng.dirichlet(np.ones(K), size=N)
    labels = rng.integers(K, size=N)
    y[0] = 0.5 * (1 - 1e-4)
    y[0, labels[0]] = 1e-4
    return y, labels


def cross_entropy_error(rng: np.random.Generator) -> Suite:
    suite = Suite()
    y, labels = _probabilities(rng)
    one_hot = np.eye(K)[labels]
    cases = {"one_hot": (y, one_hot), "labels": (y, labels), "single": (y[1], one_hot[1])}
    for tag, (yy, t) in cases.items():
        inputs = {"y": yy, "t": t}
        probe = function_probe(f"cross_entropy_error.{tag}", "cross_entropy_error", inputs, ["y", "t"])
        bugs = ("cross_entropy.no_delta",) if tag == "single" else ("cross_entropy.not_averaged", "cross_entropy.no_delta")
        hook = raised_with(ONE_HOT_ONLY, "cross_entropy.one_hot_only") if tag == "labels" else None
        suite.add(probe, Check(f"cross_entropy_error.{tag}", "cross_entropy_error", "cross_entropy_error", probe.id,
                               expect([Expect("out", oracles.cross_entropy_error(yy, t), bugs)], inputs=inputs,
                                      watch={"y": "input_mutated", "t": "input_mutated"}, on_raise=hook)))
    return suite


def softmax_with_loss(rng: np.random.Generator) -> Suite:
    suite = Suite()
    x = rng.normal(size=(N, K)) * 2
    labels = rng.integers(K, size=N)
    cases = {"one_hot": (np.eye(K)[labels], 1.0), "labels": (labels, 1.0), "dout": (np.eye(K)[labels], 2.5)}
    for tag, (t, dout) in cases.items():
        inputs = {"x": x, "t": t, "dout": np.float64(dout)}
        probe = layer_probe(f"SoftmaxWithLoss.{tag}", "SoftmaxWithLoss", inputs,
                            [("forward", ["x", "t"], ["loss"]), ("backward", ["dout"], ["dx"])], scalars=["dout"])
        suite.probes.append(probe)
        loss, y = oracles.softmax_with_loss_forward(x, t)
        want_loss = Expect("loss", loss, ("softmax_with_loss.loss_not_averaged", "cross_entropy.no_delta"))
        want_dx = Expect("dx", oracles.softmax_with_loss_backward(y, t, dout), ("softmax_with_loss.missing_div_n",))
        watch = {"x": "input_mutated", "t": "input_mutated"}
        inputs = {**inputs, "y": y}  # for the detectors: the probabilities the loss is taken of
        if tag == "one_hot":
            suite.checks.extend([
                Check("SoftmaxWithLoss.forward", "SoftmaxWithLoss", "forward", probe.id,
                      expect([want_loss], inputs=inputs, watch=watch)),
                Check("SoftmaxWithLoss.backward", "SoftmaxWithLoss", "backward", probe.id,
                      expect([want_dx], inputs=inputs))])
        elif tag == "labels":
            suite.checks.append(Check("SoftmaxWithLoss.labels", "SoftmaxWithLoss", "forward/backward", probe.id, expect(
                [want_loss, want_dx], inputs=inputs, watch=watch,
                on_raise=raised_with(ONE_HOT_ONLY, "softmax_with_loss.one_hot_only"))))
        else:
            scaled = Expect("dx", want_dx.want, ("softmax_with_loss.ignores_dout", "softmax_with_loss.missing_div_n"))
            suite.checks.append(Check("SoftmaxWithLoss.backward_dout", "SoftmaxWithLoss", "backward", probe.id,
                                      expect([scaled], inputs=inputs)))
    return suite
