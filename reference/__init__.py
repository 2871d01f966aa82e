"""The chapter-5 reference implementation, with the textbook's names (students write to them)."""
from reference.functions import cross_entropy_error, softmax
from reference.gradient import numerical_gradient
from reference.layers import (Affine, AddLayer, ExpLayer, MulLayer, ReciprocalLayer, Relu, Sigmoid,
                              SoftmaxWithLoss)
from reference.network import TwoLayerNet

__all__ = ["Affine", "AddLayer", "ExpLayer", "MulLayer", "ReciprocalLayer", "Relu", "Sigmoid", "SoftmaxWithLoss",
           "TwoLayerNet", "cross_entropy_error", "numerical_gradient", "softmax"]
