"""Exponential node out = exp(x): the backward rule in terms of the forward output, and the generated oracle."""
from __future__ import annotations

import sympy as sp

from graders.derive.codegen import Function, Line, OracleModule
from graders.derive.proof import derivative_theorem
from graders.derive.scalar import dout, x, y

TITLE = "Exponential node (ExpLayer)"
INTRO = """\
exp is its own derivative, so the backward pass multiplies by the forward *output* y = exp(x):
the layer stores y and never recomputes an exponential.
"""

FORWARD = sp.exp(x)
DX = dout * y

THEOREMS = (
    derivative_theorem("exp.dx", "The gradient reaching x is dout times the output y = exp(x).",
                       loss=dout * FORWARD, wrt=x, rule=DX, outputs={y: FORWARD}),
    derivative_theorem("exp.wrong_dx_input", "Wrong rule: dx = dout·x (multiplying by the input instead of the "
                                             "output).",
                       loss=dout * FORWARD, wrt=x, rule=dout * x, expect_refuted=True),
)

ORACLE = OracleModule("exp", "graders/derive/exp.py", "Exponential node out = exp(x).", (
    Function("exp_forward", "x", "out = exp(x).", (Line("out", FORWARD, "definition"),), "out"),
    Function("exp_backward", "out, dout", "dx = dout*out, with out the forward output exp(x).",
             (Line("dx", DX, "exp.dx"),), "dx", {"y": "out"}),
))
