"""Checks per component: which probes to run in the sandbox and how to judge what comes back.

Each module builds a ``Suite`` for the components it knows, from a random generator
seeded by the submission (so a regrade sees the same inputs). ``SUITES`` maps every
textbook name the checker grades to its builder, in the order of the chapter.
"""
from typing import Callable

import numpy as np

from graders.checks import activations, affine, network, nodes, numerical_gradient, softmax_loss
from graders.checks.base import Suite

SUITES: dict[str, Callable[[np.random.Generator], Suite]] = {
    "MulLayer": nodes.mul_layer,
    "AddLayer": nodes.add_layer,
    "Relu": activations.relu,
    "Sigmoid": activations.sigmoid,
    "Affine": affine.affine,
    "softmax": softmax_loss.softmax,
    "cross_entropy_error": softmax_loss.cross_entropy_error,
    "SoftmaxWithLoss": softmax_loss.softmax_with_loss,
    "numerical_gradient": numerical_gradient.numerical_gradient,
    "TwoLayerNet": network.two_layer_net,
}

# What each component is built from: when one of these fails too, its message says so.
DEPENDS_ON: dict[str, tuple[str, ...]] = {
    "SoftmaxWithLoss": ("softmax", "cross_entropy_error"),
    "TwoLayerNet": ("Affine", "Relu", "SoftmaxWithLoss", "softmax", "cross_entropy_error"),
    "training": ("TwoLayerNet",),
    "train": ("TwoLayerNet",),
}
