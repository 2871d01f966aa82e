"""Affine layer Y = XW + b: dX, dW, db proved for every N, D, M two ways, and cross-checked at fixed sizes."""
from __future__ import annotations

import sympy as sp

from graders.derive.codegen import Function, Line, OracleModule
from graders.derive.proof import collapse_deltas, equal, explicit
from graders.derive.theorem import ProofEvidence, Theorem

TITLE = "Affine layer (Affine)"
INTRO = """\
For a batch X of N rows of D features, weights W (D×M) and bias b (M), the layer computes
Y = XW + 1bᵀ, where 1 is the all-ones column of length N (NumPy's broadcasting adds b to every
row). With upstream gradient dY (N×M) and L = Σ dY ⊙ Y = tr(dYᵀY):

* dX = dY Wᵀ (N×D), dW = Xᵀ dY (D×M), db = Σₙ dY[n, :] (M), the column sums of dY.

Each rule is proved three ways. The indexed-sum proofs differentiate
L = Σₙ Σₘ dY[n,m] (Σ_d X[n,d] W[d,m] + b[m]) with respect to a generic entry, for symbolic
sizes N, D, M, and collapse the Kronecker deltas SymPy produces; they hold for every size.
SymPy's matrix calculus differentiates tr(dYᵀ(XW + 1bᵀ)) with X, W, b as MatrixSymbols of
symbolic shape; the oracle's code is printed from these matrix results. A cross-check with
explicit symbols at N = 2, D = 3, M = 2 confirms all three with no summation machinery.

Input of higher rank (N, C, H, W) is flattened to (N, C·H·W) before the product and dX is
reshaped back: reshaping only renames entries, so the gradient of each entry is unchanged.
"""

N, D, M = sp.symbols("N D M", integer=True, positive=True)
n, d, m, i, j = sp.symbols("n d m i j", integer=True, nonnegative=True)
Xi, Wi, bi, dYi = (sp.IndexedBase(s, real=True) for s in ("X", "W", "b", "dY"))
LOSS_INDEXED = sp.Sum(dYi[n, m] * (sp.Sum(Xi[n, d] * Wi[d, m], (d, 0, D - 1)) + bi[m]), (n, 0, N - 1), (m, 0, M - 1))

X, W, dY = sp.MatrixSymbol("X", N, D), sp.MatrixSymbol("W", D, M), sp.MatrixSymbol("dY", N, M)
b = sp.MatrixSymbol("b", M, 1)
FORWARD = X * W + sp.OneMatrix(N, 1) * b.T
LOSS = sp.Trace(dY.T * FORWARD)
DX, DW, DB = dY * W.T, X.T * dY, dY.T * sp.OneMatrix(N, 1)


def _indexed(id: str, claim: str, wrt: sp.Indexed, rule: sp.Expr, bounds: dict) -> Theorem:
    def prove() -> ProofEvidence:
        derived = collapse_deltas(sp.diff(LOSS_INDEXED, wrt), bounds)
        return equal(derived, rule, what=f"the deltas collapse the derivative to {sp.sstr(derived)}")
    given = tuple(sp.Lt(s, bound) for s, bound in bounds.items())
    return Theorem(id, claim, sp.Eq(sp.Derivative(LOSS_INDEXED, wrt), rule, evaluate=False), prove, given)


def _matrix(id: str, claim: str, wrt: sp.MatrixSymbol, rule: sp.MatrixExpr) -> Theorem:
    def prove() -> ProofEvidence:
        derived = LOSS.diff(wrt)
        return equal(derived, rule, what=f"SymPy's matrix calculus gives {sp.sstr(derived)}")
    return Theorem(id, claim, sp.Eq(sp.Derivative(LOSS, wrt), rule, evaluate=False), prove)


# Cross-check at fixed sizes with one symbol per entry; also the ground for the negative controls.
_SIZES = {"N": 2, "D": 3, "M": 2}


def _explicit(sizes: dict[str, int]) -> tuple[sp.Matrix, ...]:
    x, w = explicit("x", sizes["N"], sizes["D"]), explicit("w", sizes["D"], sizes["M"])
    bias, dy = explicit("b", 1, sizes["M"]), explicit("dy", sizes["N"], sizes["M"])
    y = x * w + sp.ones(sizes["N"], 1) * bias
    loss = sum(dy.multiply_elementwise(y))
    return x, w, bias, dy, loss


def _gradient(loss: sp.Expr, wrt: sp.Matrix) -> sp.Matrix:
    return wrt.applyfunc(lambda e: sp.diff(loss, e))


def _prove_cross_check() -> ProofEvidence:
    x, w, bias, dy, loss = _explicit(_SIZES)
    derived = sp.Matrix.vstack(*(_gradient(loss, v).reshape(v.rows * v.cols, 1) for v in (x, w, bias)))
    rules = (dy * w.T, x.T * dy, sp.ones(1, _SIZES["N"]) * dy)
    rules = sp.Matrix.vstack(*(r.reshape(r.rows * r.cols, 1) for r in rules))
    return equal(derived, rules, simplify=sp.expand, what="every entry of dX, dW and db matches, entry by entry")


def _prove_wrong_dw() -> ProofEvidence:
    x, w, bias, dy, loss = _explicit({"N": 2, "D": 2, "M": 2})  # square, so the wrong product even has the right shape
    return equal(_gradient(loss, w), dy.T * x, simplify=sp.expand)


def _prove_wrong_db() -> ProofEvidence:
    x, w, bias, dy, loss = _explicit({"N": 2, "D": 3, "M": 2})  # N = M, so the wrong sum even has the right length
    return equal(_gradient(loss, bias), (dy * sp.ones(_SIZES["M"], 1)).T, simplify=sp.expand)


THEOREMS = (
    _indexed("affine.dX", "For every N, D, M: ∂L/∂X[i,j] = Σₘ dY[i,m] W[j,m], the (i,j) entry of dY Wᵀ.",
             Xi[i, j], sp.Sum(dYi[i, m] * Wi[j, m], (m, 0, M - 1)), {i: N, j: D}),
    _indexed("affine.dW", "For every N, D, M: ∂L/∂W[i,j] = Σₙ X[n,i] dY[n,j], the (i,j) entry of Xᵀ dY.",
             Wi[i, j], sp.Sum(Xi[n, i] * dYi[n, j], (n, 0, N - 1)), {i: D, j: M}),
    _indexed("affine.db", "For every N, D, M: ∂L/∂b[j] = Σₙ dY[n,j], the sum of dY over the batch.",
             bi[j], sp.Sum(dYi[n, j], (n, 0, N - 1)), {j: M}),
    _matrix("affine.dX_matrix", "Matrix calculus, symbolic shapes: ∂ tr(dYᵀ(XW + 1bᵀ))/∂X = dY Wᵀ.", X, DX),
    _matrix("affine.dW_matrix", "Matrix calculus, symbolic shapes: ∂ tr(dYᵀ(XW + 1bᵀ))/∂W = Xᵀ dY.", W, DW),
    _matrix("affine.db_matrix", "Matrix calculus, symbolic shapes: ∂ tr(dYᵀ(XW + 1bᵀ))/∂b = dYᵀ 1, the column "
            "sums of dY.", b, DB),
    Theorem("affine.cross_check_2x3x2", "At N = 2, D = 3, M = 2 with one symbol per entry, SymPy's entrywise "
                                        "derivatives equal dY Wᵀ, Xᵀ dY and the column sums of dY.",
            sp.Eq(sp.Tuple(sp.Symbol("dX"), sp.Symbol("dW"), sp.Symbol("db")), sp.Tuple(DX, DW, DB), evaluate=False),
            _prove_cross_check, (sp.Eq(N, 2), sp.Eq(D, 3), sp.Eq(M, 2))),
    Theorem("affine.wrong_dW_swapped", "Wrong rule: dW = dYᵀ X (the operands swapped), even at N = D = M = 2 where "
                                       "the shapes agree.",
            sp.Eq(sp.Derivative(LOSS, W), dY.T * X, evaluate=False), _prove_wrong_dw,
            (sp.Eq(N, 2), sp.Eq(D, 2), sp.Eq(M, 2)), expect_refuted=True),
    Theorem("affine.wrong_db_axis", "Wrong rule: db = Σₘ dY[n, m] (summed over the wrong axis), even at N = M = 2 "
                                    "where the lengths agree.",
            sp.Eq(sp.Derivative(LOSS, b), dY * sp.OneMatrix(M, 1), evaluate=False), _prove_wrong_db,
            (sp.Eq(N, 2), sp.Eq(D, 3), sp.Eq(M, 2)), expect_refuted=True),
)

_JUSTIFY_RESHAPE = "a reshape only renames entries, so gradients are reshaped back (see docs/derivations.md)"
ORACLE = OracleModule("affine", "graders/derive/affine.py", "Affine layer Y = XW + b for input of any rank >= 2 "
                                                            "(flattened to N rows).", (
    Function("affine_forward", "x, W, b", "Y = X W + b, with X = x flattened to (N, -1).", (
        Line("X", "x.reshape(x.shape[0], -1)", _JUSTIFY_RESHAPE),
        Line("out", "X @ W + b", "definition Y = XW + 1bᵀ; NumPy broadcasting adds b to every row"),
    ), "out"),
    Function("affine_backward", "x, W, dout", "(dx, dW, db): dx in x's shape, dW = X.T @ dout, db = dout summed over "
                                              "the batch.", (
        Line("X", "x.reshape(x.shape[0], -1)", _JUSTIFY_RESHAPE),
        Line("dX", DX, "affine.dX, affine.dX_matrix, affine.cross_check_2x3x2"),
        Line("dW", DW, "affine.dW, affine.dW_matrix, affine.cross_check_2x3x2"),
        Line("db", DB, "affine.db, affine.db_matrix, affine.cross_check_2x3x2"),
        Line("dx", "dX.reshape(x.shape)", _JUSTIFY_RESHAPE),
    ), "dx, dW, db", {"dY": "dout"}),
))
