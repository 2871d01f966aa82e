"""The textbook's names and the names students give the same things.

Imported on both sides of the sandbox (plain Python, no numpy): the child uses it to find
each component in whatever the student wrote, the parent to word its notes. A person
reading ``class ReLU`` sees the book's ``Relu``; so does the grader, with a warning.
"""
from __future__ import annotations

import re
from typing import Literal

Kind = Literal["class", "function"]

# component -> (kind, normalised spellings other than the book's). Normalised: lower case, no "_".
COMPONENTS: dict[str, tuple[Kind, tuple[str, ...]]] = {
    "MulLayer": ("class", ("mullayer", "multiplylayer", "multiplicationlayer", "multlayer", "mul", "multiply")),
    "AddLayer": ("class", ("addlayer", "additionlayer", "add")),
    "Relu": ("class", ("relu", "relulayer")),
    "Sigmoid": ("class", ("sigmoid", "sigmod", "sigmoidlayer", "sigmiod")),
    "Affine": ("class", ("affine", "affinelayer")),
    "softmax": ("function", ("softmax",)),
    "cross_entropy_error": ("function", ("crossentropyerror", "crossentropy", "crossentropyloss")),
    "SoftmaxWithLoss": ("class", ("softmaxwithloss", "softmaxwithlosslayer", "softmaxloss",
                                  "softmaxwithcrossentropy", "softmaxcrossentropy")),
    "numerical_gradient": ("function", ("numericalgradient", "numericalgrad")),
    "TwoLayerNet": ("class", ("twolayernet", "twolayernetwork", "twolayernn")),
    "train": ("function", ("train", "trainnetwork", "trainnet")),
}

# How the grader calls each component: positional arguments of the function, or of the class's constructor.
ARITY = {"MulLayer": 0, "AddLayer": 0, "Relu": 0, "Sigmoid": 0, "Affine": 2, "softmax": 1, "cross_entropy_error": 2,
         "SoftmaxWithLoss": 0, "numerical_gradient": 2, "TwoLayerNet": 3, "train": 9}

_DEFINITION = re.compile(r"^[ \t]*(class|def)[ \t]+([A-Za-z_]\w*)", re.MULTILINE)


def normalise(name: str) -> str:
    return name.replace("_", "").lower()


def component_of(name: str, kind: Kind) -> str | None:
    """The component a top-level ``name`` of this kind stands for, if any (``ReLU`` class -> ``Relu``)."""
    key = normalise(name)
    for component, (wanted, spellings) in COMPONENTS.items():
        if wanted == kind and (name == component or key in spellings):
            return component
    return None


def declared(source: str) -> dict[str, tuple[str, int]]:
    """Components a source text declares at the start of a line, found by reading it, not running it:
    {component: (name as written, line)}. Works on code that does not parse (a syntax error)."""
    found: dict[str, tuple[str, int]] = {}
    for match in _DEFINITION.finditer(source):
        if match.group(0)[0] in " \t":  # indented: a method, not a top-level definition
            continue
        kind: Kind = "class" if match.group(1) == "class" else "function"
        component = component_of(match.group(2), kind)
        if component is not None:
            found.setdefault(component, (match.group(2), source.count("\n", 0, match.start()) + 1))
    return found
