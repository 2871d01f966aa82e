"""Affine: a 2-D batch with N != M, a 4-D input that must be flattened, and float32."""
from __future__ import annotations

import numpy as np

from graders import oracles
from graders.checks.base import Check, Expect, Suite, expect, raised_with
from graders.checks.probes import layer_probe, upstream

CALLS = [("forward", ["x"], ["out"]), ("backward", ["dout"], ["dx"])]
DB_BUGS = ("affine.db_not_summed", "affine.db_wrong_axis", "affine.db_averaged", "ignores_dout")
DW_BUGS = ("affine.dw_transposed", "affine.dw_averaged", "ignores_dout")


def _backward(i: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return dict(zip(("dx", "dW", "db"), oracles.affine_backward(i["x"], i["W"], i["dout"])))


def _scales(i: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Magnitudes of the summed terms of out, dx, dW and db (see compare.py)."""
    x2, dout = np.abs(i["x"].reshape(len(i["x"]), -1)), np.abs(i["dout"])
    return {"out": x2 @ np.abs(i["W"]) + np.abs(i["b"]), "dx": (dout @ np.abs(i["W"]).T).reshape(i["x"].shape),
            "dW": x2.T @ dout, "db": dout.sum(axis=0)}


def affine(rng: np.random.Generator) -> Suite:
    suite = Suite()
    for tag, x_shape, m, dtype in (("2d", (3, 4), 5, np.float64), ("4d", (2, 3, 2, 2), 4, np.float64),
                                   ("float32", (3, 4), 5, np.float32)):
        d = int(np.prod(x_shape[1:]))
        inputs = {"x": rng.normal(size=x_shape).astype(dtype), "W": rng.normal(size=(d, m)).astype(dtype),
                  "b": rng.normal(size=m).astype(dtype), "dout": upstream(rng, (x_shape[0], m), dtype)}
        probe = layer_probe(f"Affine.{tag}", "Affine", inputs, CALLS, init=["W", "b"], attrs=["dW", "db"])
        suite.probes.append(probe)
        want, scale = _backward(inputs), _scales(inputs)
        out = Expect("out", oracles.affine_forward(inputs["x"], inputs["W"], inputs["b"]), scale=scale["out"])
        dx = Expect("dx", want["dx"], ("affine.dx_not_reshaped", "ignores_dout"), scale["dx"])
        dW = Expect("dW", want["dW"], DW_BUGS, scale["dW"])
        db = Expect("db", want["db"], DB_BUGS, scale["db"])
        watch = {"x": "input_mutated", "dout": "input_mutated"}
        if tag == "2d":
            for check_id, method, e in (("Affine.forward", "forward", out), ("Affine.backward.dx", "backward", dx),
                                        ("Affine.backward.dW", "backward", dW), ("Affine.backward.db", "backward", db)):
                suite.checks.append(Check(check_id, "Affine", method, probe.id,
                                          expect([e], inputs=inputs, oracle=_backward, watch=watch)))
        elif tag == "4d":
            flatten = raised_with(("ValueError", "TypeError"), "affine.x_not_flattened")
            suite.checks.append(Check("Affine.4d_input", "Affine", "forward/backward", probe.id, expect(
                [out, dx, dW, db], inputs=inputs, oracle=_backward, watch=watch, on_raise=flatten)))
        else:
            suite.checks.append(Check("Affine.float32", "Affine", "forward/backward", probe.id, expect(
                [out, dx, dW, db], inputs=inputs, dtype=dtype, oracle=_backward, watch=watch)))
    return suite
