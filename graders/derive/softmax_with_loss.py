"""Softmax-with-loss: dL/dx = dout·(y - t)/N for every N and K when target rows sum to 1, false otherwise; the oracle."""
from __future__ import annotations

import sympy as sp

from graders.derive import cross_entropy, softmax
from graders.derive.codegen import Function, Line, OracleModule
from graders.derive.proof import collapse_deltas, equal
from graders.derive.theorem import ProofEvidence, Theorem

TITLE = "Softmax with loss (SoftmaxWithLoss)"
INTRO = """\
The output layer applies softmax to the scores x (N×K) and takes the mean cross-entropy against
targets t: L = -(1/N) Σₙ Σₖ t[n,k] log y[n,k] with y = softmax(x). Its backward pass is the
celebrated dout·(y - t)/N. The derivation needs one hypothesis: **every row of t sums to 1**.
One-hot rows and label indices satisfy it; the theorem is proved for every batch size N and
class count K with that hypothesis substituted after differentiating, and a negative control
shows that without it the rule is false. A second control shows that dropping the /N (a common
slip when moving from one sample to a batch) is refuted too. The chain theorem reaches the same
rule the layered way: the cross-entropy's rule fed through softmax's own backward rule.

The proof differentiates the exact loss. The forward oracle, like the textbook, adds ε = 10⁻⁷
inside the logarithm, which changes the loss by at most about ε/y; the backward rule is the
gradient of the exact loss, as in the textbook.
"""

N, K = sp.symbols("N K", integer=True, positive=True)
n, k, l, i, j = sp.symbols("n k l i j", integer=True, nonnegative=True)
x, t = softmax.x, sp.IndexedBase("t", real=True)
dout = sp.Symbol("dout", real=True)
Y = softmax.SOFTMAX                                      # y[n, k] as an expression in x
LOSS = -dout * sp.Sum(t[n, k] * sp.log(Y), (n, 0, N - 1), (k, 0, softmax.K - 1)).subs(softmax.K, K) / N
_ROW_SUM = sp.Sum(t[i, k], (k, 0, K - 1))
_y = sp.IndexedBase("y", real=True)
DX = dout * (_y[i, j] - t[i, j]) / N                     # the rule, in terms of the forward output y
_Y_IJ = Y.subs({n: i, k: j, softmax.K: K})


def _derived() -> sp.Expr:
    return collapse_deltas(sp.diff(LOSS, x[i, j]), {i: N, j: K})


def _prove(rule: sp.Expr, row_sum: sp.Expr | None, at: dict | None = None) -> ProofEvidence:
    derived = _derived()
    if row_sum is not None:
        derived = sp.factor_terms(sp.expand(derived)).subs(_ROW_SUM, row_sum)
    return equal(derived, rule.subs(_y[i, j], _Y_IJ),
                 at=at,
                 what="after substituting the row-sum hypothesis the difference simplifies to 0")


def _composed() -> sp.Expr:
    """The proved cross-entropy rule (ε = 0) fed into the proved softmax rule as its dout, for row n."""
    dy = cross_entropy.DY.subs(cross_entropy.epsilon, 0).xreplace(
        {cross_entropy.y: softmax.y, cross_entropy.t: t, cross_entropy.N: N, cross_entropy.i: n})
    return softmax.DX.replace(lambda e: isinstance(e, sp.Indexed) and e.base == softmax.dout,
                              lambda e: dy.subs(cross_entropy.j, e.indices[1]))


def _prove_chain() -> ProofEvidence:
    composed = _composed()
    collected = sp.factor_terms(sp.expand(sp.simplify(composed)))
    with_hypothesis = collected.subs(sp.Sum(t[n, k], (k, 0, softmax.K - 1)), 1)
    return equal(with_hypothesis, (softmax.y[n, softmax.j] - t[n, softmax.j]) / N,
                 what=f"the composition simplifies to {sp.sstr(collected)}; with Σₖ t[n,k] = 1 it is (y - t)/N")


# Counterexamples for the negative controls: a target row [1, 1], and a batch of two.
_ROWS_SUM_TO_TWO = {N: 1, K: 2, i: 0, j: 0, dout: 1, x[0, 0]: 0, x[0, 1]: 0, t[0, 0]: 1, t[0, 1]: 1}
_BATCH_OF_TWO = {N: 2, K: 2, i: 0, j: 0, dout: 1, x[0, 0]: 0, x[0, 1]: 0, t[0, 0]: 1}

THEOREMS = (
    Theorem("softmax_with_loss.dx", "For every N and K, if every row of t sums to 1: ∂L/∂x[i,j] = dout·(y[i,j] - "
                                    "t[i,j])/N.",
            sp.Eq(sp.Derivative(LOSS, x[i, j]), DX, evaluate=False), lambda: _prove(DX, sp.Integer(1)),
            (sp.Eq(_ROW_SUM, 1), sp.Eq(_y[i, j], _Y_IJ), sp.Lt(i, N), sp.Lt(j, K))),
    Theorem("softmax_with_loss.chain", "Composing the proved rules, cross-entropy (ε = 0) then softmax, gives the "
                                       "same (y - t)/N for every N and K when rows of t sum to 1.",
            sp.Eq(_composed(), (softmax.y[n, softmax.j] - t[n, softmax.j]) / N, evaluate=False), _prove_chain,
            (sp.Eq(sp.Sum(t[n, k], (k, 0, softmax.K - 1)), 1),)),
    Theorem("softmax_with_loss.wrong_without_row_sum", "Without the hypothesis that rows of t sum to 1 the rule is "
                                                       "false (counterexample: t = [1, 1]).",
            sp.Eq(sp.Derivative(LOSS, x[i, j]), DX, evaluate=False), lambda: _prove(DX, None, _ROWS_SUM_TO_TWO),
            (sp.Eq(_y[i, j], _Y_IJ),), expect_refuted=True),
    Theorem("softmax_with_loss.wrong_no_batch_mean", "Wrong rule: dx = dout·(y - t) without dividing by the batch "
                                                     "size N.",
            sp.Eq(sp.Derivative(LOSS, x[i, j]), DX * N, evaluate=False),
            lambda: _prove(DX * N, sp.Integer(1), _BATCH_OF_TWO),
            (sp.Eq(_ROW_SUM, 1), sp.Eq(_y[i, j], _Y_IJ)), expect_refuted=True),
)

ORACLE = OracleModule("softmax_with_loss", "graders/derive/softmax_with_loss.py", "Softmax followed by cross-entropy; "
                                                                                  "backward dout*(y - t)/N.", (
    Function("softmax_with_loss_forward", "x, t", "(loss, y): y = softmax(x), loss = cross_entropy_error(y, t).", (
        Line("y", "softmax(x)", "definition"),
        Line("loss", "cross_entropy_error(y, t)", "definition"),
    ), "loss, y"),
    Function("softmax_with_loss_backward", "y, t, dout=1.0", "dx = dout*(y - T)/N, T the one-hot targets, N the batch "
                                                             "size (1 for 1-D y).", (
        Line("Y, T", "_batch_targets(y, t)", "targets as one-hot rows, which sum to 1 as softmax_with_loss.dx "
                                             "requires"),
        Line("N", "Y.shape[0]", "the batch size"),
        Line("dx", DX, "softmax_with_loss.dx"),
    ), "dx.reshape(y.shape)", {"y": "Y", "t": "T"}),
), imports=("from .cross_entropy import _batch_targets, cross_entropy_error", "from .softmax import softmax"))
