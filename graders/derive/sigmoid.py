"""Sigmoid 1/(1 + exp(-x)): the rule y(1 - y), the node-chain composition, an overflow-free form, and the oracle."""
from __future__ import annotations

import sympy as sp

from graders.derive import add, exp, mul, reciprocal
from graders.derive.codegen import Function, Line, OracleModule
from graders.derive.proof import derivative_theorem, equal
from graders.derive.scalar import dout, x, y
from graders.derive.theorem import ProofEvidence, Theorem

TITLE = "Sigmoid (Sigmoid)"
INTRO = """\
The sigmoid's derivative can be written with its own output, σ'(x) = σ(x)(1 - σ(x)), so the
layer stores y = σ(x) and the backward pass is dout·y·(1 - y); no exponential is recomputed.
The chapter reaches the same rule by drawing σ as a chain of nodes, x → ×(-1) → exp → +1 → 1/·,
and backpropagating through each; the composition theorem below multiplies the proved node
rules along that chain and shows the product is the same rule.

Evaluating 1/(1 + exp(-x)) directly overflows exp(-x) for x below about -709 (float64) or -88
(float32). The oracle instead computes exp(min(x, 0)) / (1 + exp(-|x|)): the exponentials only
ever see non-positive arguments, so nothing overflows, and two theorems prove this form equals
the sigmoid on each branch.
"""

FORWARD = 1 / (1 + sp.exp(-x))
STABLE = sp.exp(sp.Min(x, 0)) / (1 + sp.exp(-sp.Abs(x)))
DX = dout * y * (1 - y)
_xnn = sp.Symbol("x", nonnegative=True)
_xneg = sp.Symbol("x", negative=True)


def _chain() -> sp.Expr:
    """Backpropagate dout through x → a = -x → b = exp(a) → c = 1 + b → y = 1/c with each node's proved rule."""
    b, c = sp.exp(-x), 1 + sp.exp(-x)
    d_c = reciprocal.DX.subs({reciprocal.y: 1 / c, reciprocal.dout: dout}, simultaneous=True)
    d_b = add.DY.subs(add.dout, d_c)                       # c = 1 + b: b is the add node's second input
    d_a = exp.DX.subs({exp.y: b, exp.dout: d_b}, simultaneous=True)
    return mul.DX.subs({mul.y: -1, mul.dout: d_a}, simultaneous=True)   # a = x·(-1)


def _prove_chain() -> ProofEvidence:
    composed = _chain()
    return equal(composed, DX.subs(y, FORWARD),
                 what=f"the product of the node rules is {sp.sstr(composed)}, which equals dout·y·(1 - y)")


def _stable_on(sym: sp.Symbol) -> ProofEvidence:
    return equal(STABLE.subs(x, sym), FORWARD.subs(x, sym))


THEOREMS = (
    derivative_theorem("sigmoid.dx", "The gradient reaching x is dout·y·(1 - y), with y = σ(x) the forward output.",
                       loss=dout * FORWARD, wrt=x, rule=DX, outputs={y: FORWARD}),
    Theorem("sigmoid.node_chain", "Backpropagating through the chain x → ×(-1) → exp → +1 → 1/· with the proved node "
                                  "rules gives the same dout·y·(1 - y).",
            sp.Eq(_chain(), DX, evaluate=False), _prove_chain, (sp.Eq(y, FORWARD),)),
    Theorem("sigmoid.stable_form_nonnegative", "For x ≥ 0 the overflow-free form exp(min(x,0))/(1 + exp(-|x|)) equals "
                                               "1/(1 + exp(-x)).",
            sp.Eq(STABLE, FORWARD, evaluate=False), lambda: _stable_on(_xnn), (x >= 0,)),
    Theorem("sigmoid.stable_form_negative", "For x < 0 the overflow-free form exp(min(x,0))/(1 + exp(-|x|)) equals "
                                            "1/(1 + exp(-x)).",
            sp.Eq(STABLE, FORWARD, evaluate=False), lambda: _stable_on(_xneg), (x < 0,)),
    derivative_theorem("sigmoid.wrong_x_for_y", "Wrong rule: dx = dout·x·(1 - x) (the input used where the output y "
                                                "belongs).",
                       loss=dout * FORWARD, wrt=x, rule=dout * x * (1 - x), expect_refuted=True),
)

ORACLE = OracleModule("sigmoid", "graders/derive/sigmoid.py", "Sigmoid out = 1/(1 + exp(-x)), evaluated without "
                                                              "overflow.", (
    Function("sigmoid_forward", "x", "out = 1/(1 + exp(-x)) for every finite x, without overflow or warnings.",
             (Line("out", STABLE, "sigmoid.stable_form_nonnegative, sigmoid.stable_form_negative"),), "out"),
    Function("sigmoid_backward", "out, dout", "dx = dout*out*(1 - out), with out the forward output.",
             (Line("dx", DX, "sigmoid.dx, sigmoid.node_chain"),), "dx", {"y": "out"}),
))
