"""softmax, judged against derive/softmax.py: rows of a batch with N != K, logits up to 1e4, a single vector and
float32."""
from __future__ import annotations

import numpy as np

from graders import oracles
from graders.bugs import INPUT_MUTATED, Bug, Evidence, not_finite
from graders.checks.base import Check, Expect, Suite, expect
from graders.checks.probe_builders import function_probe
from graders.compare import close

N, K = 4, 3  # a batch that is not square, so axis mistakes change shapes or values


def _whole_batch(ev: Evidence) -> bool:
    """All N*K outputs sum to 1, and each row is still proportional to the right one."""
    got = ev.got["out"].astype(np.float64)
    if got.ndim != 2 or got.shape != ev.want["out"].shape:
        return False
    with np.errstate(all="ignore"):
        rows = got / got.sum(axis=1, keepdims=True)
    return close(got.sum(), 1.0) and close(rows, ev.want["out"])


def _wrong_axis(ev: Evidence) -> bool:
    x = ev.inputs["x"]
    return x.ndim == 2 and ev.matches(oracles.softmax(x.T).T)


WHOLE_BATCH = Bug("softmax.whole_batch", "normalised over the whole batch: each row must sum to 1 (sum over axis=1, "
                  "keepdims)", "배치 전체로 정규화했습니다: 각 행의 합이 1이어야 합니다 (axis=1, keepdims=True로 합하세요).",
                  detect=_whole_batch)
WRONG_AXIS = Bug("softmax.wrong_axis", "normalised over axis 0 (the batch): each row, one sample, must sum to 1",
                 "axis=0(배치 축)으로 정규화했습니다: 샘플 하나인 각 행의 합이 1이어야 합니다.", detect=_wrong_axis)
NO_MAX_SHIFT = Bug("softmax.no_max_shift", "{what} is inf or nan for large inputs: subtract each row's maximum before "
                   "exp", "입력이 클 때 {what}이(가) inf나 nan입니다: exp 전에 각 행의 최댓값을 빼세요.", detect=not_finite)
BUGS = (WHOLE_BATCH, WRONG_AXIS, NO_MAX_SHIFT)


def suite(rng: np.random.Generator) -> Suite:
    built = Suite()
    cases = {"rows": rng.normal(size=(N, K)) * 2,
             "large": np.array([[1000.0, 999.0, 990.0], [-1000.0, -1001.0, -990.0], [1e4, 0.0, -1e4], [0.5, 0.2, 0.1]]),
             "vector": rng.normal(size=5),
             "float32": (rng.normal(size=(N, K)) * 2).astype(np.float32)}
    for tag, x in cases.items():
        inputs = {"x": x}
        probe = function_probe(f"softmax.{tag}", "softmax", inputs, ["x"])
        bugs = (NO_MAX_SHIFT, WHOLE_BATCH, WRONG_AXIS) if tag == "large" else (WHOLE_BATCH, WRONG_AXIS)
        built.add(probe, Check(f"softmax.{tag}", "softmax", "softmax", probe.id, expect(
            [Expect("out", oracles.softmax(x), bugs)], inputs=inputs, dtype=x.dtype, watch={"x": INPUT_MUTATED})))
    return built
