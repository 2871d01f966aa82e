"""Statements for people: Unicode for the terminal, LaTeX for --latex and the docs, multi-letter names upright."""
from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter


class _Latex(LatexPrinter):
    """LaTeX with `dout`, `dY`, `W1` set as names rather than products of letters."""

    def __init__(self) -> None:
        super().__init__({"mul_symbol": "dot"})

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        name = expr.name
        if len(name) > 1 and name.isalpha() and name not in _GREEK:
            return rf"\mathrm{{{name}}}"
        return super()._print_Symbol(expr, style)


_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "theta", "lambda", "sigma", "tau", "phi", "psi", "omega"}


def tex(expr: sp.Basic) -> str:
    """LaTeX for a statement or condition."""
    return _Latex().doprint(expr)


def unicode(expr: sp.Basic) -> str:
    """A 2-D Unicode rendering for the terminal."""
    return sp.pretty(expr, use_unicode=True, wrap_line=False)
