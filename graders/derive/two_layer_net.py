"""Two-layer net Affine → ReLU → Affine → SoftmaxWithLoss: backprop equals SymPy's full derivative of the loss."""
from __future__ import annotations

import itertools

import sympy as sp

from graders.derive.codegen import Function, Line, OracleModule
from graders.derive.proof import equal, explicit
from graders.derive.theorem import ProofEvidence, Theorem, ProofVerdict

TITLE = "Two-layer net (TwoLayerNet)"
INTRO = """\
The chapter's TwoLayerNet computes A1 = XW1 + b1, Z1 = ReLU(A1), A2 = Z1W2 + b2 and the mean
softmax cross-entropy of A2 against one-hot (or label) targets T. Its gradient is obtained by
running the layers' backward rules in reverse: dA2 = (softmax(A2) - T)/N, then the affine rules
for W2, b2 and dZ1, the ReLU mask for dA1, and the affine rules for W1 and b1.

ReLU is piecewise linear. On the region of parameter space where a given set of hidden units
is active, ReLU acts as multiplication by a fixed 0/1 mask P, so the loss is a smooth function
there and SymPy can differentiate it directly. The theorems compare SymPy's direct derivative of
the loss with respect to every entry of W1, b1, W2, b2 with the layer-by-layer composition, for
N = 1 and N = 2 samples, D = 2 inputs, H = 2 hidden units and K = 2 classes: once with a
symbolic mask P (one proof covering every pattern at once) and once for each of the 2^(N·H)
activation patterns separately (4 for N = 1, 16 for N = 2). The targets are symbolic with each
row summing to 1. These are fixed-size proofs; together with the general-size proofs of each
layer they show the composition is exactly the chain rule, not an approximation of it.
"""

SIZES = {"D": 2, "H": 2, "K": 2}


class _Exp(sp.Function):
    """exp as a bare function with derivative itself; nothing else about exp is used."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return self


def _net(n: int, mask: sp.Matrix):
    d, h, k = SIZES["D"], SIZES["H"], SIZES["K"]
    x, w1, b1 = explicit("x", n, d), explicit("W1", d, h), explicit("b1", 1, h)
    w2, b2 = explicit("W2", h, k), explicit("b2", 1, k)
    t = explicit("t", n, k)
    t[:, k - 1] = sp.ones(n, 1) - t[:, :k - 1] * sp.ones(k - 1, 1)   # every target row sums to 1
    ones = sp.ones(n, 1)
    a1 = x * w1 + ones * b1
    z1 = a1.multiply_elementwise(mask)                                # ReLU on this activation pattern
    a2 = z1 * w2 + ones * b2
    # exp(a2) is kept opaque (_Exp, with _Exp' = _Exp) so that SymPy does not rewrite products of
    # exponentials; replacing each _Exp(a2[n,k]) by a positive symbol e[n,k] afterwards turns
    # every expression into a rational function, whose equality is decidable.
    exps = a2.applyfunc(_Exp)
    e = sp.Matrix(n, k, lambda r, c: sp.Symbol(f"e_{r}{c}", positive=True))
    y = sp.Matrix(n, k, lambda r, c: exps[r, c] / sum(exps[r, :]))
    loss = -sum(t.multiply_elementwise(y.applyfunc(sp.log))) / n
    opaque = {exps[r, c]: e[r, c] for r in range(n) for c in range(k)}
    params = {"W1": w1, "b1": b1, "W2": w2, "b2": b2}
    return x, t, mask, a1, z1, y, loss, params, opaque


def _layer_by_layer(n, x, t, mask, z1, y, params, relu_mask: bool = True) -> dict[str, sp.Matrix]:
    """The backward pass with the proved rules of each layer (names as in the layer sections)."""
    da2 = (y - t) / n                                 # softmax_with_loss.dx
    dw2, db2 = z1.T * da2, sp.ones(1, n) * da2        # affine.dW, affine.db
    dz1 = da2 * params["W2"].T                        # affine.dX
    da1 = dz1.multiply_elementwise(mask) if relu_mask else dz1   # relu: dout where active, 0 where not
    dw1, db1 = x.T * da1, sp.ones(1, n) * da1         # affine.dW, affine.db
    return {"W1": dw1, "b1": db1, "W2": dw2, "b2": db2}


def _numerator(expr: sp.Expr) -> sp.Expr:
    # A rational function is identically 0 iff its numerator expands to the zero polynomial.
    return sp.expand(sp.numer(sp.together(expr)))


def _compare(n: int, mask: sp.Matrix, relu_mask: bool = True) -> ProofEvidence:
    """Direct derivative vs layer-by-layer backprop for every entry of W1, b1, W2, b2."""
    x, t, mask, a1, z1, y, loss, params, opaque = _net(n, mask)
    composed = _layer_by_layer(n, x, t, mask, z1, y, params, relu_mask)
    for name, p in params.items():
        for idx in itertools.product(range(p.rows), range(p.cols)):
            difference = sp.diff(loss, p[idx]) - composed[name][idx]
            evidence = equal(difference.xreplace(opaque), sp.Integer(0), simplify=_numerator)
            if evidence.verdict is not ProofVerdict.PROVED:
                # Look for the counterexample with the real exp, so the point is a point of the network.
                evidence = equal(difference.replace(_Exp, sp.exp), sp.Integer(0), simplify=lambda e: e)
                return ProofEvidence(evidence.verdict, f"∂L/∂{name}{list(idx)}: {evidence.detail}")
    return ProofEvidence(ProofVerdict.PROVED,
                         "every entry of dW1, db1, dW2, db2 agrees (the numerator of the difference expands to 0)")


def _prove_symbolic_mask(n: int) -> ProofEvidence:
    return _compare(n, sp.Matrix(n, SIZES["H"], lambda r, c: sp.Symbol(f"p_{r}{c}", real=True)))


def _prove_every_pattern(n: int) -> ProofEvidence:
    patterns = list(itertools.product((0, 1), repeat=n * SIZES["H"]))
    for bits in patterns:
        evidence = _compare(n, sp.Matrix(n, SIZES["H"], bits))
        if evidence.verdict is not ProofVerdict.PROVED:
            return ProofEvidence(evidence.verdict, f"pattern {bits}: {evidence.detail}")
    return ProofEvidence(ProofVerdict.PROVED,
                         f"for all {len(patterns)} activation patterns, every entry of dW1, db1, dW2, db2 agrees")


# θ stands for any entry of W1, b1, W2 or b2.
_theta = sp.Symbol("theta")
_GRAD = sp.Derivative(sp.Function("L")(_theta), _theta)
_BACKPROP = sp.Function("backprop")(_theta)
THEOREMS = tuple(
    Theorem(f"two_layer_net.{kind}_n{n}", claim.format(n=n, patterns=2 ** (n * SIZES['H'])),
            sp.Eq(_GRAD, _BACKPROP, evaluate=False), prove, (sp.Eq(sp.Symbol("N"), n), sp.Eq(sp.Symbol("D"), 2),
                                                             sp.Eq(sp.Symbol("H"), 2), sp.Eq(sp.Symbol("K"), 2)))
    for n in (1, 2)
    for kind, claim, prove in (
        ("symbolic_mask", "N = {n}: with the ReLU as a symbolic mask P, backprop equals the direct derivative for W1, "
                          "b1, W2, b2 (every pattern at once).",
         (lambda n=n: _prove_symbolic_mask(n))),
        ("every_pattern", "N = {n}: for each of the {patterns} ReLU activation patterns, backprop equals the direct "
                          "derivative for W1, b1, W2, b2.",
         (lambda n=n: _prove_every_pattern(n))),
    )
) + (
    Theorem("two_layer_net.wrong_no_relu_mask", "Wrong backprop: passing dZ1 through the ReLU without its mask "
            "(N = 1, unit 1 active, unit 2 inactive). The difference is analytic and nonzero at a point, so nonzero "
            "almost everywhere on that pattern's region.",
            sp.Eq(_GRAD, _BACKPROP, evaluate=False), lambda: _compare(1, sp.Matrix([[1, 0]]), relu_mask=False),
            (sp.Eq(sp.Symbol("N"), 1),), expect_refuted=True),
)

_W = "two_layer_net.every_pattern_n2 (backprop, layer by layer, is the chain rule)"
_DOC = "The chapter's TwoLayerNet: loss and gradient composed from the proved layer oracles."
ORACLE = OracleModule("two_layer_net", "graders/derive/two_layer_net.py", _DOC, (
    Function("two_layer_net_loss", "params, x, t", "Mean cross-entropy of Affine -> ReLU -> Affine -> softmax; params "
                                                   "holds W1, b1, W2, b2.", (
        Line("a1", "affine_forward(x, params['W1'], params['b1'])", "definition"),
        Line("z1", "relu_forward(a1)", "definition"),
        Line("a2", "affine_forward(z1, params['W2'], params['b2'])", "definition"),
        Line("loss, _", "softmax_with_loss_forward(a2, t)", "definition"),
    ), "loss"),
    Function("two_layer_net_gradient", "params, x, t", "Gradients of two_layer_net_loss, keys W1, b1, W2, b2, by "
                                                       "backprop through the layers.", (
        Line("a1", "affine_forward(x, params['W1'], params['b1'])", "forward pass"),
        Line("z1", "relu_forward(a1)", "forward pass"),
        Line("a2", "affine_forward(z1, params['W2'], params['b2'])", "forward pass"),
        Line("_, y", "softmax_with_loss_forward(a2, t)", "forward pass"),
        Line("da2", "softmax_with_loss_backward(y, t)", _W),
        Line("dz1, dW2, db2", "affine_backward(z1, params['W2'], da2)", _W),
        Line("da1", "relu_backward(a1, dz1)", _W),
        Line("_, dW1, db1", "affine_backward(x, params['W1'], da1)", _W),
    ), "{'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}"),
), imports=("from .affine import affine_backward, affine_forward", "from .relu import relu_backward, relu_forward",
            "from .softmax_with_loss import softmax_with_loss_backward, softmax_with_loss_forward"))
