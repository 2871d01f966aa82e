"""The registry: every component the grader knows, in the chapter's order, with how students name it, how it is
called, what it is built from and which module of ``graders/checks/`` judges it.

Everything that lists components reads this table: the child's loader (to find them in what a student wrote),
the checker (which suites to build), the reports (in which order), the command line (which names ``--only``
takes). It is plain data, imported on both sides of the sandbox; the check modules it names stay in the parent.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["class", "function"]


@dataclass(frozen=True)
class Component:
    name: str                           # the book's name, as reports spell it
    kind: Kind                          # what the student defines: a class or a function
    arity: int                          # positional arguments of the call (of the constructor, for a class)
    spellings: tuple[str, ...]          # names students give it, normalised: lower case, no "_"
    checks: str | None = None           # its module in graders/checks/; None: the trainer checks grade it
    depends_on: tuple[str, ...] = ()    # what it is built from: when one of these fails too, its message says so


REGISTRY: tuple[Component, ...] = (
    Component("MulLayer", "class", 0, ("mullayer", "multiplylayer", "multiplicationlayer", "multlayer", "mul",
                                       "multiply"), "mul"),
    Component("AddLayer", "class", 0, ("addlayer", "additionlayer", "add"), "add"),
    Component("Relu", "class", 0, ("relu", "relulayer"), "relu"),
    Component("Sigmoid", "class", 0, ("sigmoid", "sigmod", "sigmoidlayer", "sigmiod", "sidmoid", "sigmoide"),
              "sigmoid"),
    Component("Affine", "class", 2, ("affine", "affinelayer"), "affine"),
    Component("softmax", "function", 1, ("softmax",), "softmax"),
    Component("cross_entropy_error", "function", 2, ("crossentropyerror", "crossentropy", "crossentropyloss"),
              "cross_entropy"),
    Component("SoftmaxWithLoss", "class", 0, ("softmaxwithloss", "softmaxwithlosslayer", "softmaxloss",
                                              "softmaxwithcrossentropy", "softmaxcrossentropy",
                                              "softmaxwithcrossentropyloss", "softmaxcrossentropyloss",
                                              "softmaxwithcrossentropyerror", "softmaxwithcee", "softmaxwithceelayer",
                                              "softmaxcee", "softmaxwithce", "softmaxwithceloss"),
              "softmax_with_loss", ("softmax", "cross_entropy_error")),
    Component("numerical_gradient", "function", 2, ("numericalgradient", "numericalgrad"), "numerical_gradient"),
    Component("TwoLayerNet", "class", 3, ("twolayernet", "twolayernetwork", "twolayernn"), "two_layer_net",
              ("Affine", "Relu", "SoftmaxWithLoss", "softmax", "cross_entropy_error")),
    Component("train", "function", 9, ("train", "trainnetwork", "trainnet"), None, ("TwoLayerNet",)),
)
COMPONENTS: dict[str, Component] = {c.name: c for c in REGISTRY}

# Graded components that are not a definition of their own: the trainer checks (with the grader's loop, what the
# student's TwoLayerNet learns; with the student's own train) and the chapter's scripts, graded on what they print.
TRAINING: dict[str, str] = {"training": "TwoLayerNet", "train": "train"}  # graded component -> what it runs
BOOK_SCRIPTS = "book_scripts"

PARAMETERS: tuple[str, ...] = ("W1", "b1", "W2", "b2")  # the keys of TwoLayerNet.params and of its gradient
UNITS: tuple[str, ...] = tuple(c.name for c in REGISTRY if c.checks)  # judged by a check module, one call at a time
REPORT_ORDER: tuple[str, ...] = (*COMPONENTS, "training", BOOK_SCRIPTS)

# Affine's gradients under the names students give them (normalised: lower case, no "_"), and where the second
# book (Deep Learning from Scratch 2) keeps them: a list ``grads = [dW, db]`` beside ``params = [W, b]``.
ATTRIBUTE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "dW": ("dw", "gradw", "wgrad", "dweight", "gradweight", "weightgrad", "dweights"),
    "db": ("db", "gradb", "bgrad", "dbias", "gradbias", "biasgrad"),
}
GRADS_LIST: tuple[str, ...] = ("dW", "db")


def defined_as(graded: str) -> str:
    """The name a submission must define for this graded component (``training`` runs its ``TwoLayerNet``)."""
    return TRAINING.get(graded, graded)


def depends_on(graded: str) -> tuple[str, ...]:
    """What a graded component is built from (``training`` is built from ``TwoLayerNet``)."""
    if graded in COMPONENTS:
        return COMPONENTS[graded].depends_on
    return (TRAINING[graded],) if graded in TRAINING else ()
