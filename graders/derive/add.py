"""Addition node out = x + y: backward rules proved from L = dout·out, and the generated oracle."""
from __future__ import annotations

from graders.derive.codegen import Function, Line, OracleModule
from graders.derive.proof import derivative_theorem
from graders.derive.scalar import dout, x, y

TITLE = "Addition node (AddLayer)"
INTRO = """\
The addition node passes the upstream gradient to both inputs unchanged, so AddLayer needs to
remember nothing from the forward pass.
"""

FORWARD = x + y
DX = dout
DY = dout

THEOREMS = (
    derivative_theorem("add.dx", "The gradient reaching x is dout, unchanged.", loss=dout * FORWARD, wrt=x, rule=DX),
    derivative_theorem("add.dy", "The gradient reaching y is dout, unchanged.", loss=dout * FORWARD, wrt=y, rule=DY),
)

ORACLE = OracleModule("add", "graders/derive/add.py", "Addition node out = x + y.", (
    Function("add_forward", "x, y", "out = x + y.", (Line("out", FORWARD, "definition"),), "out"),
    Function("add_backward", "dout", "(dx, dy) = (dout, dout).",
             (Line("dx", DX, "add.dx"), Line("dy", DY, "add.dy")), "dx, dy"),
))
