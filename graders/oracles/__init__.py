"""Numeric oracles for grading: NumPy code generated from the SymPy proofs in graders.derive (no SymPy imported here)."""
from graders.oracles._generated import (add_backward, add_forward, affine_backward, affine_forward, cross_entropy_error,
                                        exp_backward, exp_forward, mul_backward, mul_forward, reciprocal_backward,
                                        reciprocal_forward, relu_backward, relu_forward, sigmoid_backward, sigmoid_forward,
                                        softmax, softmax_backward, softmax_with_loss_backward, softmax_with_loss_forward,
                                        two_layer_net_gradient, two_layer_net_loss)

__all__ = ["add_backward", "add_forward", "affine_backward", "affine_forward", "cross_entropy_error", "exp_backward",
           "exp_forward", "mul_backward", "mul_forward", "reciprocal_backward", "reciprocal_forward", "relu_backward",
           "relu_forward", "sigmoid_backward", "sigmoid_forward", "softmax", "softmax_backward", "softmax_with_loss_backward",
           "softmax_with_loss_forward", "two_layer_net_gradient", "two_layer_net_loss"]
