"""Cross-entropy error L = -(1/N) Σ t log(y + ε): its gradient for every N and K, and the generated oracle."""
from __future__ import annotations

import sympy as sp

from graders.derive.codegen import Function, Line, OracleModule
from graders.derive.proof import collapse_deltas, equal
from graders.derive.theorem import ProofEvidence, Theorem

TITLE = "Cross-entropy error (cross_entropy_error)"
INTRO = """\
For a batch of N predicted distributions y (N×K) and targets t, the loss is the batch mean
L = -(1/N) Σₙ Σₖ t[n,k] log(y[n,k] + ε), with the textbook's ε = 10⁻⁷ inside the logarithm so
that a predicted 0 gives a large finite loss instead of log 0. Targets may be one-hot rows or
label indices; an index tₙ stands for the one-hot row with a 1 at position tₙ, and a single
sample (1-D y) is a batch of one. The gradient below is proved for every N and K; the
softmax-with-loss layer does not use it directly, because composing it with the softmax
Jacobian simplifies to the much shorter rule proved in the next section.
"""

N, K = sp.symbols("N K", integer=True, positive=True)
n, k, i, j = sp.symbols("n k i j", integer=True, nonnegative=True)
y, t = sp.IndexedBase("y", positive=True), sp.IndexedBase("t", real=True)
epsilon = sp.Symbol("epsilon", positive=True)
LOSS = -sp.Sum(t[n, k] * sp.log(y[n, k] + epsilon), (n, 0, N - 1), (k, 0, K - 1)) / N
DY = -t[i, j] / (N * (y[i, j] + epsilon))
EPSILON = "1e-7"  # the textbook's value, printed in place of epsilon


def _prove_dy() -> ProofEvidence:
    derived = collapse_deltas(sp.diff(LOSS, y[i, j]), {i: N, j: K})
    return equal(derived, DY, what=f"the deltas collapse the derivative to {sp.sstr(derived)}")


THEOREMS = (
    Theorem("cross_entropy.dy", "For every N and K: ∂L/∂y[i,j] = -t[i,j] / (N (y[i,j] + ε)).",
            sp.Eq(sp.Derivative(LOSS, y[i, j]), DY, evaluate=False), _prove_dy, (sp.Lt(i, N), sp.Lt(j, K))),
)

ORACLE = OracleModule("cross_entropy", "graders/derive/cross_entropy.py", "Cross-entropy error, batch mean, one-hot "
                                                                          "or label-index targets.", (
    Function("_batch_targets", "y, t", "y as an (N, K) batch and t as one-hot rows of y's dtype, from one-hot or "
                                       "label-index t.", (
        Line("Y", "y.reshape(1, -1) if y.ndim == 1 else y", "a single sample is a batch of one"),
        Line("t", "numpy.asarray(t)", "accept lists"),
        Line("T", "t.reshape(Y.shape) if t.size == Y.size else numpy.eye(Y.shape[1], dtype=Y.dtype)[t.reshape(-1)]",
             "a label index stands for the one-hot row with a 1 at that index"),
    ), "Y, T.astype(Y.dtype, copy=False)"),
    Function("cross_entropy_error", "y, t", "-(1/N) * sum(t * log(y + 1e-7)) over the batch of N rows.", (
        Line("Y, T", "_batch_targets(y, t)", "targets as one-hot rows"),
        Line("N", "Y.shape[0]", "the batch size"),
        Line("loss", LOSS, "definition"),
    ), "loss", {"y": "Y", "t": "T", "epsilon": EPSILON}),
))
