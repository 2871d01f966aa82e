"""Relu, judged against derive/relu.py: inputs with exact zeros (and a -0.0), where the mask's convention shows."""
from __future__ import annotations

import numpy as np

from graders import oracles
from graders.bugs import IGNORES_DOUT, Bug, Evidence
from graders.checks.base import Suite
from graders.checks.layer_shapes import LAYER_CALLS, forward_backward
from graders.checks.probe_builders import layer_probe, upstream, with_zeros


def _mask_at_zero(ev: Evidence) -> bool:  # mask x < 0: passes dout through where x == 0
    x, dout = ev.inputs["x"], ev.inputs["dout"]
    return bool((x == 0).any()) and ev.matches(oracles.relu_backward(np.where(x == 0, 1.0, x), dout))


def _mask_from_dout(ev: Evidence) -> bool:  # the mask is computed from dout's sign instead of x's
    return ev.matches(oracles.relu_backward(ev.inputs["dout"], ev.inputs["dout"]))


def _no_mask(ev: Evidence) -> bool:
    return ev.matches(ev.inputs["dout"])


MASK_AT_ZERO = Bug("relu.mask_at_zero", "dx passes dout through where x == 0: the mask must be x <= 0 (the textbook's "
                   "convention)", "x == 0인 곳에서 dout을 그대로 흘려보냈습니다: 마스크는 x <= 0이어야 합니다 (교재의 규약).",
                   detect=_mask_at_zero)
MASK_FROM_DOUT = Bug("relu.mask_from_dout", "the mask comes from dout's sign; it must come from the forward input x "
                     "(x <= 0)", "마스크를 dout의 부호로 만들었습니다: 순전파 입력 x로 만들어야 합니다 (x <= 0).",
                     detect=_mask_from_dout)
NO_MASK = Bug("relu.no_mask", "dx equals dout: the mask from forward (x <= 0) was not applied",
              "dx가 dout과 같습니다: 순전파에서 저장한 마스크(x <= 0)를 적용하지 않았습니다.", detect=_no_mask)
DOUT_IN_PLACE = Bug("relu.dout_in_place", "backward zeroes dout in place (the book's habit): harmless here, but the "
                    "caller's dout changes", "backward가 dout을 그 자리에서 0으로 바꿉니다 (교재의 방식): 여기서는 "
                    "괜찮지만 호출한 쪽의 dout이 바뀝니다.", "warning")
BUGS = (MASK_AT_ZERO, MASK_FROM_DOUT, NO_MASK, DOUT_IN_PLACE)


def suite(rng: np.random.Generator) -> Suite:
    built = Suite()
    x = with_zeros(rng.normal(size=(4, 5)), rng)
    for dtype in (np.float64, np.float32):
        inputs = {"x": x.astype(dtype), "dout": upstream(rng, x.shape, dtype)}
        probe = layer_probe(f"Relu.{np.dtype(dtype).name}", "Relu", inputs, LAYER_CALLS)
        forward_backward(built, probe.id, "Relu", inputs, dtype, oracles.relu_forward(inputs["x"]),
                         lambda i: {"dx": oracles.relu_backward(i["x"], i["dout"])},
                         (MASK_AT_ZERO, MASK_FROM_DOUT, NO_MASK, IGNORES_DOUT), dout_habit=DOUT_IN_PLACE)
        built.probes.append(probe)
    return built
