"""Finding the book's names under the ones students give them: classes and functions, and Affine's gradients."""
from __future__ import annotations

import numpy as np
import pytest

from graders.textbook import attribute, component_of

SEEN = {  # class names from students' repositories (tests/fixtures/real/README.md) and the book's they stand for
    "ReLU": "Relu", "relu": "Relu", "ReLULayer": "Relu", "Sigmod": "Sigmoid", "sidmoid": "Sigmoid",
    "sigmoid": "Sigmoid", "Mullayer": "MulLayer", "MultiplyLayer": "MulLayer", "Addlayer": "AddLayer",
    "AffineLayer": "Affine", "SoftMaxWithLoss": "SoftmaxWithLoss", "SoftmaxWithLossLayer": "SoftmaxWithLoss",
    "Softmax_with_loss": "SoftmaxWithLoss", "SoftmaxWithCrossEntropyLoss": "SoftmaxWithLoss",
    "SoftmaxWithCEELayer": "SoftmaxWithLoss",
}


@pytest.mark.parametrize("name", SEEN)
def test_a_class_name_students_use_is_the_books_component(name):
    assert component_of(name, "class") == SEEN[name]


@pytest.mark.parametrize("name", ["Softmax", "Layer", "LastLayer", "Loss", "SigmoidWithLoss", "MultiLayerNet"])
def test_other_classes_are_not_taken_for_a_component(name):
    assert component_of(name, "class") is None


class _Layer:
    def __init__(self, **attributes):
        self.__dict__.update(attributes)


def test_the_books_name_is_read_as_it_is():
    assert attribute(_Layer(dW=1, dw=2), "dW") == (1, "")


def test_a_students_spelling_is_read_and_said():
    assert attribute(_Layer(dw=2), "dW") == (2, "dw")
    assert attribute(_Layer(dW=None, grad_W=3), "dW") == (3, "grad_W")  # the book's name set to None is not a value
    assert attribute(_Layer(d_b=4), "db") == (4, "d_b")


def test_the_second_books_grads_list_gives_dw_then_db():
    dW, db = np.zeros((2, 3)), np.zeros(3)
    layer = _Layer(params=[dW, db], grads=[dW, db])
    assert attribute(layer, "dW") == (dW, "grads[0]") and attribute(layer, "db") == (db, "grads[1]")


def test_nothing_like_it_is_none():
    assert attribute(_Layer(dx=1, grads=[1, 2, 3], weights=5), "dW") == (None, "")
    assert attribute(_Layer(dw=1), "out") == (None, "")  # only the attributes with known spellings

    class Slotted:
        __slots__ = ("w",)

    assert attribute(Slotted(), "dW") == (None, "")
