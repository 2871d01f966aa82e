"""Softmax over the last axis: shift invariance (why the oracle subtracts the row maximum), and the generated oracle."""
from __future__ import annotations

import sympy as sp

from graders.derive.codegen import Function, Line, OracleModule
from graders.derive.proof import collapse_deltas, equal
from graders.derive.theorem import ProofEvidence, Theorem

TITLE = "Softmax (softmax)"
INTRO = """\
y[n,k] = exp(x[n,k]) / Σ_l exp(x[n,l]) for each row n. Computed as written, exp overflows once
an activation exceeds about 709 (float64) or 88 (float32). Subtracting any constant c from a
whole row leaves the result unchanged (the factor exp(-c) cancels between numerator and
denominator); the theorem below proves this for every row length K and every real c. The oracle
uses c = the row maximum, so the largest exponent is 0 and nothing overflows.

On its own (without the loss) softmax passes back dx = y ⊙ (dout - Σₖ dout[k] y[k]) per row,
proved for every K by differentiating L = Σₖ dout[k] y[k]. The chapter never needs it, because
softmax is always followed by the cross-entropy, but it is the rule to check a student's
separate Softmax layer against.
"""

K = sp.Symbol("K", integer=True, positive=True)
n, k, l = sp.symbols("n k l", integer=True, nonnegative=True)
x = sp.IndexedBase("x", real=True)
c = sp.Symbol("c", real=True)
SOFTMAX = sp.exp(x[n, k]) / sp.Sum(sp.exp(x[n, l]), (l, 0, K - 1))
SHIFTED = sp.exp(x[n, k] - c) / sp.Sum(sp.exp(x[n, l] - c), (l, 0, K - 1))

# Backward: differentiate L = Σ_k dout[n,k] y[n,k] with respect to x[n,j]; the rule names the output y.
j = sp.Symbol("j", integer=True, nonnegative=True)
dout, y = sp.IndexedBase("dout", real=True), sp.IndexedBase("y", real=True)
LOSS = sp.Sum(dout[n, k] * SOFTMAX, (k, 0, K - 1))
DX = y[n, j] * (dout[n, j] - sp.Sum(dout[n, k] * y[n, k], (k, 0, K - 1)))


def _as_softmax(expr: sp.Expr) -> sp.Expr:
    """Replace every y[n, i] by the softmax expression it stands for."""
    return expr.replace(lambda e: isinstance(e, sp.Indexed) and e.base == y, lambda e: SOFTMAX.subs(k, e.indices[1]))


def _prove_dx() -> ProofEvidence:
    derived = collapse_deltas(sp.diff(LOSS, x[n, j]), {j: K})
    return equal(derived, _as_softmax(DX), what=f"the deltas collapse the derivative to {sp.sstr(derived)}")


def _prove_rows_sum_to_one() -> ProofEvidence:
    # The denominator does not depend on k, so it factors out; it is then the numerator's sum
    # with its bound index named l instead of k.
    total = sp.factor_terms(sp.Sum(SOFTMAX, (k, 0, K - 1))).xreplace({l: k})
    return equal(total, sp.Integer(1), what="the denominator factors out of the sum and equals the numerator")


THEOREMS = (
    Theorem("softmax.shift_invariance", "For every row length K and every real c, subtracting c from a whole row "
                                        "leaves softmax unchanged.",
            sp.Eq(SHIFTED, SOFTMAX, evaluate=False), lambda: equal(SHIFTED, SOFTMAX), (sp.Lt(k, K),)),
    Theorem("softmax.rows_sum_to_one", "For every K, each row of softmax sums to 1.",
            sp.Eq(sp.Sum(SOFTMAX, (k, 0, K - 1)), 1, evaluate=False), _prove_rows_sum_to_one),
    Theorem("softmax.dx", "For every K: the gradient through softmax alone is dx[j] = y[j]·(dout[j] - Σₖ "
                          "dout[k]·y[k]), with y the output.",
            sp.Eq(sp.Derivative(LOSS, x[n, j]), DX, evaluate=False), _prove_dx,
            (sp.Eq(y[n, k], SOFTMAX), sp.Lt(j, K))),
    Theorem("softmax.wrong_shift_numerator_only", "Wrong rule: subtracting c in the numerator only also leaves "
                                                  "softmax unchanged.",
            sp.Eq(sp.exp(x[n, k] - c) / sp.Sum(sp.exp(x[n, l]), (l, 0, K - 1)), SOFTMAX, evaluate=False),
            lambda: equal(sp.exp(x[n, k] - c) / sp.Sum(sp.exp(x[n, l]), (l, 0, K - 1)), SOFTMAX), expect_refuted=True),
)

ORACLE = OracleModule("softmax", "graders/derive/softmax.py", "Softmax over the last axis (1-D or 2-D input), shifted "
                                                              "by the row maximum.", (
    Function("softmax", "x", "y = exp(x - c) / sum(exp(x - c)) along the last axis, c the row maximum.", (
        Line("c", "numpy.max(x, axis=-1, keepdims=True)", "any c is allowed by softmax.shift_invariance; the maximum "
                                                          "keeps every exponent <= 0"),
        Line("y", SHIFTED, "softmax.shift_invariance"),
    ), "y"),
    Function("softmax_backward", "y, dout", "dx = y*(dout - sum(dout*y)) along the last axis, with y the forward "
                                            "output.", (
        Line("dx", DX, "softmax.dx"),
    ), "dx"),
))
