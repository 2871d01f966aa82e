"""ReLU out = max(x, 0): the backward rule away from 0, the convention at the kink, and the generated oracle."""
from __future__ import annotations

import sympy as sp

from graders.derive.codegen import Function, Line, OracleModule
from graders.derive.proof import derivative_theorem, equal
from graders.derive.theorem import ProofEvidence, Theorem, ProofVerdict

TITLE = "ReLU (Relu)"
INTRO = """\
ReLU passes the upstream gradient where the input was positive and blocks it elsewhere, so the
layer stores the mask x ≤ 0 from the forward pass.

At x = 0 the function has a kink: the derivative from the right is 1 and from the left is 0,
so there is no derivative and the rule must pick a value. The textbook (and this project)
picks **0**: the mask is x ≤ 0, so dx = 0 where x = 0. Any value in [0, 1] is a subgradient.
SymPy's own convention differs: `Heaviside(0)` is 1/2 and SymPy differentiates max(x, 0) to
`Heaviside(x)`. The rule below is therefore written with `Heaviside(x, 0)`, whose value at 0
is 0 (printed θ(x, 0) below), and a negative control records that SymPy's default would not
match the textbook.
"""

x = sp.Symbol("x", real=True)
xpos = sp.Symbol("x", positive=True)
xneg = sp.Symbol("x", negative=True)
h = sp.Symbol("h", real=True)
dout = sp.Symbol("dout", real=True)
FORWARD = sp.Max(x, 0)
DX = dout * sp.Heaviside(x, 0)


def _on(sym: sp.Symbol, expr: sp.Expr) -> sp.Expr:
    return expr.subs(x, sym)


def _prove_kink() -> ProofEvidence:
    right = sp.limit((_on(h, FORWARD) - 0) / h, h, 0, "+")
    left = sp.limit((_on(h, FORWARD) - 0) / h, h, 0, "-")
    if (right, left) == (1, 0):
        return ProofEvidence(ProofVerdict.PROVED, "right-hand difference quotient → 1, left-hand → 0")
    return ProofEvidence(ProofVerdict.REFUTED, f"right {right}, left {left}")


def _prove_convention() -> ProofEvidence:
    return equal(DX.subs(x, 0), sp.Integer(0), what="Heaviside(0, 0) evaluates to 0")


def _prove_sympy_default() -> ProofEvidence:
    sympy_rule = dout * sp.diff(FORWARD, x)  # SymPy: Heaviside(x), i.e. 1/2 at 0
    return equal(sympy_rule.subs(x, 0), DX.subs(x, 0), what="")


def _prove_subgradients() -> ProofEvidence:
    # g is a subgradient of max(x, 0) at 0 iff max(x, 0) >= g·x for every x: check both signs.
    for g in (sp.Integer(0), sp.Rational(1, 2), sp.Integer(1)):
        for side in (xpos, xneg):
            if not (_on(side, FORWARD) - g * side).is_nonnegative:
                return ProofEvidence(ProofVerdict.REFUTED, f"g = {g} fails for {side}")
    return ProofEvidence(ProofVerdict.PROVED,
                         "max(x,0) - g·x is nonnegative for x > 0 and x < 0 when g ∈ {0, 1/2, 1}")


_g = sp.Symbol("g")
THEOREMS = (
    derivative_theorem("relu.dx_positive", "Where x > 0 the gradient is dout, passed through.",
                       loss=dout * FORWARD, wrt=x, rule=DX, assume={x: xpos}, given=(x > 0,)),
    derivative_theorem("relu.dx_negative", "Where x < 0 the gradient is 0, blocked.",
                       loss=dout * FORWARD, wrt=x, rule=DX, assume={x: xneg}, given=(x < 0,)),
    Theorem("relu.kink_at_zero", "At x = 0 the one-sided derivatives are 1 (right) and 0 (left): no derivative "
                                 "exists, a convention is needed.",
            sp.Ne(sp.Limit(FORWARD.subs(x, h) / h, h, 0, "+"), sp.Limit(FORWARD.subs(x, h) / h, h, 0, "-")),
            _prove_kink),
    Theorem("relu.convention_at_zero", "The rule's value at x = 0 is 0 (the textbook's mask x ≤ 0), written "
                                       "Heaviside(x, 0).",
            sp.Eq(sp.Subs(DX, x, 0), 0, evaluate=False), _prove_convention),
    Theorem("relu.subgradients_at_zero", "0 (the textbook), 1/2 (SymPy's default) and 1 are all subgradients of "
                                         "max(x, 0) at 0.",
            sp.Ge(sp.Max(x, 0), _g * x), _prove_subgradients,
            (sp.Contains(_g, sp.FiniteSet(0, sp.Rational(1, 2), 1)),)),
    Theorem("relu.sympy_default_is_textbook", "Wrong convention: SymPy's default derivative of max(x, 0), "
                                              "Heaviside(x) with Heaviside(0) = 1/2, gives the textbook's 0 at x = 0.",
            sp.Eq(sp.Subs(sp.Derivative(dout * FORWARD, x), x, 0), sp.Subs(DX, x, 0), evaluate=False),
            _prove_sympy_default, expect_refuted=True),
    Theorem("relu.wrong_mask_strict", "Wrong convention: a mask x < 0 (instead of x ≤ 0) also gives 0 at x = 0; in "
            "fact it passes dout through there, like Heaviside(x, 1).",
            sp.Eq(sp.Subs(dout * sp.Heaviside(x, 1), x, 0), sp.Subs(DX, x, 0), evaluate=False),
            lambda: equal((dout * sp.Heaviside(x, 1)).subs(x, 0), DX.subs(x, 0)), expect_refuted=True),
    derivative_theorem("relu.wrong_mask_on_dout", "Wrong rule: masking on the sign of dout instead of x (dx = dout "
                                                  "where dout > 0).",
                       loss=dout * FORWARD, wrt=x, rule=dout * sp.Heaviside(dout, 0), assume={x: xpos}, given=(x > 0,),
                       expect_refuted=True),
)

ORACLE = OracleModule("relu", "graders/derive/relu.py", "ReLU out = max(x, 0); gradient 0 where x <= 0.", (
    Function("relu_forward", "x", "out = max(x, 0), elementwise.", (Line("out", FORWARD, "definition"),), "out"),
    Function("relu_backward", "x, dout", "dx = dout where x > 0, and 0 where x <= 0 (the textbook's convention at 0).",
             (Line("dx", DX, "relu.dx_positive, relu.dx_negative, relu.convention_at_zero"),), "dx"),
))
