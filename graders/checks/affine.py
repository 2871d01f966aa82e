"""Affine, judged against derive/affine.py: a 2-D batch with N != M, a 4-D input that must be flattened, and
float32; its bugs are the ways dW, db and dx go wrong."""
from __future__ import annotations

import numpy as np

from graders import oracles
from graders.bugs import IGNORES_DOUT, INPUT_MUTATED, Bug, Evidence
from graders.checks.base import Check, Expect, Suite, expect, raised_with
from graders.checks.probe_builders import layer_probe, upstream

CALLS = [("forward", ["x"], ["out"]), ("backward", ["dout"], ["dx"])]


def _n(ev: Evidence) -> int:
    return ev.inputs["x"].shape[0]


DB_NOT_SUMMED = Bug("affine.db_not_summed", "db has shape {got_shape}; it should be {want_shape}: sum over the batch "
                    "axis (axis=0)", "db의 형상이 {got_shape}입니다. {want_shape}이어야 합니다: 배치 축(axis=0)으로 "
                    "합하세요.", detect=lambda ev: ev.matches(ev.inputs["dout"]))
DB_WRONG_AXIS = Bug("affine.db_wrong_axis", "db is summed over axis 1; sum over the batch axis: np.sum(dout, axis=0)",
                    "db를 axis=1로 합했습니다: 배치 축으로 합하세요 (np.sum(dout, axis=0)).",
                    detect=lambda ev: ev.matches(ev.inputs["dout"].sum(axis=1)))
DB_AVERAGED = Bug("affine.db_averaged", "db is the batch mean of dout; it is the sum: np.sum(dout, axis=0)",
                  "db를 배치 평균으로 구했습니다: 합이어야 합니다 (np.sum(dout, axis=0)). 평균은 손실 계층이 이미 했습니다.",
                  detect=lambda ev: ev.matches(ev.want["db"] / _n(ev)))
DW_TRANSPOSED = Bug("affine.dw_transposed", "dW has shape {got_shape}, the transpose of what it should be: dW = x.T @ "
                    "dout", "dW의 형상이 {got_shape}로, 전치되어 있습니다: dW = x.T @ dout 입니다.",
                    detect=lambda ev: ev.matches(ev.want["dW"].T))
DW_AVERAGED = Bug("affine.dw_averaged", "dW is divided by the batch size; it is x.T @ dout, no mean",
                  "dW를 배치 크기로 나눴습니다: dW = x.T @ dout 이고, 평균을 내지 않습니다.",
                  detect=lambda ev: ev.matches(ev.want[ev.output] / _n(ev)))
DX_NOT_RESHAPED = Bug("affine.dx_not_reshaped", "dx has shape {got_shape}; it should be the input's shape {want_shape}: "
                      "reshape it back (dx.reshape(*self.original_x_shape))",
                      "dx의 형상이 {got_shape}입니다. 입력의 형상 {want_shape}으로 되돌려야 합니다 "
                      "(dx.reshape(*self.original_x_shape)).", detect=lambda ev: ev.matches(ev.want["dx"].reshape(_n(ev), -1)))
X_NOT_FLATTENED = Bug("affine.x_not_flattened", "fails on 4-D input ({error}): flatten x to (N, -1) in forward",
                      "4차원 입력에서 실패합니다 ({error}): forward에서 x를 (N, -1)로 평탄화하세요.")
BUGS = (DB_NOT_SUMMED, DB_WRONG_AXIS, DB_AVERAGED, DW_TRANSPOSED, DW_AVERAGED, DX_NOT_RESHAPED, X_NOT_FLATTENED)
DB_BUGS = (DB_NOT_SUMMED, DB_WRONG_AXIS, DB_AVERAGED, IGNORES_DOUT)
DW_BUGS = (DW_TRANSPOSED, DW_AVERAGED, IGNORES_DOUT)


def _backward(i: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return dict(zip(("dx", "dW", "db"), oracles.affine_backward(i["x"], i["W"], i["dout"])))


def _scales(i: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Magnitudes of the summed terms of out, dx, dW and db (see compare.py)."""
    x2, dout = np.abs(i["x"].reshape(len(i["x"]), -1)), np.abs(i["dout"])
    return {"out": x2 @ np.abs(i["W"]) + np.abs(i["b"]), "dx": (dout @ np.abs(i["W"]).T).reshape(i["x"].shape),
            "dW": x2.T @ dout, "db": dout.sum(axis=0)}


def suite(rng: np.random.Generator) -> Suite:
    built = Suite()
    for tag, x_shape, m, dtype in (("2d", (3, 4), 5, np.float64), ("4d", (2, 3, 2, 2), 4, np.float64),
                                   ("float32", (3, 4), 5, np.float32)):
        d = int(np.prod(x_shape[1:]))
        inputs = {"x": rng.normal(size=x_shape).astype(dtype), "W": rng.normal(size=(d, m)).astype(dtype),
                  "b": rng.normal(size=m).astype(dtype), "dout": upstream(rng, (x_shape[0], m), dtype)}
        probe = layer_probe(f"Affine.{tag}", "Affine", inputs, CALLS, init=["W", "b"], attrs=["dW", "db"])
        built.probes.append(probe)
        want, scale = _backward(inputs), _scales(inputs)
        out = Expect("out", oracles.affine_forward(inputs["x"], inputs["W"], inputs["b"]), scale=scale["out"])
        dx = Expect("dx", want["dx"], (DX_NOT_RESHAPED, IGNORES_DOUT), scale["dx"])
        dW = Expect("dW", want["dW"], DW_BUGS, scale["dW"])
        db = Expect("db", want["db"], DB_BUGS, scale["db"])
        watch = {"x": INPUT_MUTATED, "dout": INPUT_MUTATED}
        if tag == "2d":
            for check_id, method, e in (("Affine.forward", "forward", out), ("Affine.backward.dx", "backward", dx),
                                        ("Affine.backward.dW", "backward", dW), ("Affine.backward.db", "backward", db)):
                built.checks.append(Check(check_id, "Affine", method, probe.id,
                                          expect([e], inputs=inputs, oracle=_backward, watch=watch)))
        elif tag == "4d":
            flatten = raised_with(("ValueError", "TypeError"), X_NOT_FLATTENED)
            built.checks.append(Check("Affine.4d_input", "Affine", "forward/backward", probe.id, expect(
                [out, dx, dW, db], inputs=inputs, oracle=_backward, watch=watch, on_raise=flatten)))
        else:
            built.checks.append(Check("Affine.float32", "Affine", "forward/backward", probe.id, expect(
                [out, dx, dW, db], inputs=inputs, dtype=dtype, oracle=_backward, watch=watch)))
    return built
