"""Square node out = x²: the backward rule proved from L = dout·out, and the generated oracle.

An example of a new component (docs/architecture.md, "Adding a component"): tests/test_adding_a_component.py
copies this file to graders/derive/square.py and follows the other steps."""
from __future__ import annotations

from graders.derive.codegen import Function, Line, OracleModule
from graders.derive.proof import derivative_theorem
from graders.derive.scalar import dout, x

TITLE = "Square node (SquareLayer)"
INTRO = """\
The square node doubles its input on the way back: dx = 2·x·dout. It must remember x from the forward pass.
"""

FORWARD = x ** 2
DX = 2 * x * dout

THEOREMS = (
    derivative_theorem("square.dx", "The gradient reaching x is 2·x times dout.", loss=dout * FORWARD, wrt=x, rule=DX),
    derivative_theorem("square.wrong_dx_no_two", "Wrong rule: dx = x·dout (the power rule's factor 2 forgotten).",
                       loss=dout * FORWARD, wrt=x, rule=x * dout, expect_refuted=True),
)

ORACLE = OracleModule("square", "graders/derive/square.py", "Square node out = x**2.", (
    Function("square_forward", "x", "out = x**2.", (Line("out", FORWARD, "definition"),), "out"),
    Function("square_backward", "x, dout", "dx = 2*x*dout.", (Line("dx", DX, "square.dx"),), "dx"),
))
