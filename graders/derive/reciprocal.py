"""Reciprocal node out = 1/x: the backward rule in terms of the forward output, and the generated oracle."""
from __future__ import annotations

from graders.derive.codegen import Function, Line, OracleModule
from graders.derive.proof import derivative_theorem
from graders.derive.scalar import dout, x, y

TITLE = "Reciprocal node (ReciprocalLayer)"
INTRO = """\
d(1/x)/dx = -1/x², and 1/x² is the square of the forward output, so the backward pass is
-dout·y² with y = 1/x. The minus sign is the part most often lost.
"""

FORWARD = 1 / x
DX = -dout * y**2

THEOREMS = (
    derivative_theorem("reciprocal.dx", "The gradient reaching x is -dout times the square of the output y = 1/x.",
                       loss=dout * FORWARD, wrt=x, rule=DX, outputs={y: FORWARD}),
    derivative_theorem("reciprocal.wrong_sign", "Wrong rule: dx = dout·y² (the minus sign dropped).",
                       loss=dout * FORWARD, wrt=x, rule=dout * y**2, outputs={y: FORWARD}, expect_refuted=True),
)

ORACLE = OracleModule("reciprocal", "graders/derive/reciprocal.py", "Reciprocal node out = 1/x.", (
    Function("reciprocal_forward", "x", "out = 1/x.", (Line("out", FORWARD, "definition"),), "out"),
    Function("reciprocal_backward", "out, dout", "dx = -dout*out**2, with out the forward output 1/x.",
             (Line("dx", DX, "reciprocal.dx"),), "dx", {"y": "out"}),
))
