"""Every derivation section in reading order, and the theorems and oracles they contribute."""
from __future__ import annotations

from types import ModuleType

from graders.derive import (add, affine, cross_entropy, elementwise, exp, mul, reciprocal, relu, sigmoid, softmax,
                            softmax_with_loss, two_layer_net)
from graders.derive.codegen import OracleModule
from graders.derive.theorem import Theorem

SECTIONS: tuple[ModuleType, ...] = (elementwise, mul, add, exp, reciprocal, relu, sigmoid, affine, softmax,
                                    cross_entropy, softmax_with_loss, two_layer_net)
THEOREMS: tuple[Theorem, ...] = tuple(t for s in SECTIONS for t in s.THEOREMS)
ORACLES: tuple[OracleModule, ...] = tuple(s.ORACLE for s in SECTIONS if hasattr(s, "ORACLE"))


def theorem(id: str) -> Theorem:
    """The theorem with this id (KeyError if none)."""
    for t in THEOREMS:
        if t.id == id:
            return t
    raise KeyError(id)
