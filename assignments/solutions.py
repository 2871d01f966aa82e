"""Solution cells from the reference package, the single source of truth.

Each component's source is split into what the student is given (the ``class``/``def`` line
and the docstring) and what nbgrader hides (the body, between solution markers).
"""
from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass

import reference
from reference import functions, gradient, loop, network

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"

# What the solution cells use from their reference modules besides numpy: given in the setup cell.
CONSTANTS = {"LOG_EPSILON": functions.LOG_EPSILON, "H": gradient.H, "PARAMS": network.PARAMS}

SOURCES = {
    "MulLayer": reference.MulLayer, "AddLayer": reference.AddLayer, "Relu": reference.Relu,
    "Sigmoid": reference.Sigmoid, "Affine": reference.Affine, "softmax": reference.softmax,
    "cross_entropy_error": reference.cross_entropy_error, "SoftmaxWithLoss": reference.SoftmaxWithLoss,
    "numerical_gradient": reference.numerical_gradient, "TwoLayerNet": reference.TwoLayerNet, "train": loop.train,
}


@dataclass(frozen=True)
class SolutionSource:
    given: str     # the def/class line(s) and docstring
    body: str      # the rest, indented as in the source

    def cell(self) -> str:
        """The solution cell: the body between nbgrader's markers, at the body's indentation."""
        indent = self.body[: len(self.body) - len(self.body.lstrip())]
        return f"{self.given}\n{indent}{BEGIN}\n{self.body}\n{indent}{END}\n"

    def full(self) -> str:
        """The complete code, for cells the student is given (parts not assigned)."""
        return f"{self.given}\n{self.body}\n"


def solution(component: str) -> SolutionSource:
    source = textwrap.dedent(inspect.getsource(SOURCES[component]))
    node = ast.parse(source).body[0]
    lines = source.splitlines()
    first = node.body[0]
    has_doc = isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant) and \
        isinstance(first.value.value, str)
    split = (first.end_lineno if has_doc else node.body[0].lineno - 1)
    given, body = "\n".join(lines[:split]), "\n".join(lines[split:]).strip("\n")
    return SolutionSource(given, body)
