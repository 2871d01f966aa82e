"""The lemma that lets elementwise nodes be derived on one scalar: ∂/∂x_j Σ_i dout_i f(x_i, y_i) = dout_j ∂f/∂x."""
from __future__ import annotations

import sympy as sp

from graders.derive.proof import collapse_deltas, equal
from graders.derive.theorem import ProofEvidence, Theorem

TITLE = "Elementwise nodes"
INTRO = """\
Every node in this appendix takes an upstream gradient `dout` and the backward pass computes
∂L/∂input for the surrogate loss L = Σ dout ⊙ out (the sum over every entry of the output).
This is exactly what backpropagation needs: if the rest of the network gives ∂Loss/∂out = dout,
then the chain rule gives ∂Loss/∂input = ∂(Σ dout ⊙ out)/∂input.

For an elementwise node out_i = f(x_i, y_i) only the j-th term of the sum depends on x_j, so the
derivative over an array of any length n is the scalar derivative applied entry by entry. The
lemma below proves this for an arbitrary differentiable f and symbolic n; the scalar proofs of
the multiplication, addition, exp, reciprocal, ReLU and sigmoid nodes then hold for arrays of
every shape (an array of any shape is a flat array of its entries).
"""

n = sp.Symbol("n", integer=True, positive=True)
i, j = sp.symbols("i j", integer=True, nonnegative=True)
x, y, dout = (sp.IndexedBase(s, real=True) for s in ("x", "y", "dout"))
f = sp.Function("f")
u, v = sp.symbols("u v", real=True)
_LOSS = sp.Sum(dout[i] * f(x[i], y[i]), (i, 0, n - 1))
_RULE = dout[j] * sp.Derivative(f(u, v), u).subs({u: x[j], v: y[j]})


def _prove() -> ProofEvidence:
    derived = collapse_deltas(sp.diff(_LOSS, x[j]), {j: n})
    return equal(derived, _RULE, what=f"the Kronecker deltas collapse the sum to {sp.sstr(derived)}")


THEOREMS = (
    Theorem("elementwise.lemma",
            "For any differentiable f and any length n, the gradient of Σ dout_i f(x_i, y_i) at x_j is dout_j times "
            "∂f/∂x at (x_j, y_j).",
            sp.Eq(sp.Derivative(_LOSS, x[j]), _RULE, evaluate=False), _prove,
            (sp.Lt(j, n),)),
)
