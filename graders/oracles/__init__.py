"""Numeric oracles for grading: NumPy code generated from the SymPy proofs in graders.derive (no SymPy imported here).
Every function the derivations generate is here, by the name its derivation gave it (``affine_backward``)."""
from graders.oracles._generated import *  # noqa: F401,F403
from graders.oracles._generated import __all__ as _generated
from graders.oracles._generated import affine_forward, relu_forward


def two_layer_net_scores(params, x):
    """The two-layer net's forward pass (Affine, Relu, Affine), composed of the generated layer oracles."""
    hidden = relu_forward(affine_forward(x, params["W1"], params["b1"]))
    return affine_forward(hidden, params["W2"], params["b2"])


__all__ = [*_generated, "two_layer_net_scores"]
