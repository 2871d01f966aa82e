"""Multiplication node out = x·y: backward rules proved from L = dout·out, and the generated oracle."""
from __future__ import annotations

from graders.derive.codegen import Function, Line, OracleModule
from graders.derive.proof import derivative_theorem
from graders.derive.scalar import dout, x, y

TITLE = "Multiplication node (MulLayer)"
INTRO = """\
The multiplication node swaps its inputs on the way back: each input receives the upstream
gradient times the *other* input. That is why MulLayer must remember both x and y from the
forward pass.
"""

FORWARD = x * y
DX = dout * y
DY = dout * x

THEOREMS = (
    derivative_theorem("mul.dx", "The gradient reaching x is dout times the other input y.",
                       loss=dout * FORWARD, wrt=x, rule=DX),
    derivative_theorem("mul.dy", "The gradient reaching y is dout times the other input x.",
                       loss=dout * FORWARD, wrt=y, rule=DY),
    derivative_theorem("mul.wrong_dx_not_swapped", "Wrong rule: dx = dout·x (multiplying by the same input instead of "
                                                   "the other).",
                       loss=dout * FORWARD, wrt=x, rule=dout * x, expect_refuted=True),
)

ORACLE = OracleModule("mul", "graders/derive/mul.py", "Multiplication node out = x*y.", (
    Function("mul_forward", "x, y", "out = x*y.", (Line("out", FORWARD, "definition"),), "out"),
    Function("mul_backward", "x, y, dout", "(dx, dy) = (dout*y, dout*x).",
             (Line("dx", DX, "mul.dx"), Line("dy", DY, "mul.dy")), "dx, dy"),
))
