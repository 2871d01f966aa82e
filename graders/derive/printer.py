"""A NumPy code printer for the derived expressions: array names, `@` products, row sums, dtype-preserving forms."""
from __future__ import annotations

from typing import Mapping

import sympy as sp
from sympy.printing.numpy import NumPyPrinter


class OraclePrinter(NumPyPrinter):
    """Prints SymPy expressions as NumPy code over whole arrays.

    An `Indexed` entry x[n, k] prints as the array `x` (the expression holds entrywise, and
    NumPy broadcasts); a Sum over the last index prints as a row sum with keepdims, a Sum over
    every index as a total. Names are renamed through `names` (SymPy symbol -> Python variable).
    """

    def __init__(self, names: Mapping[str, str] | None = None) -> None:
        super().__init__({"fully_qualified_modules": True})
        self._names = dict(names or {})

    def _rename(self, name: str) -> str:
        return self._names.get(name, name)

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return self._rename(expr.name)

    def _print_MatrixSymbol(self, expr: sp.MatrixSymbol) -> str:
        return self._rename(expr.name)

    def _print_IndexedBase(self, expr: sp.IndexedBase) -> str:
        return self._rename(str(expr.label))

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        return self._print(expr.base)

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        if expr.exp == -1:  # 1/x, not x**(-1.0), which reads worse and is no faster
            return f"1/{self.parenthesize(expr.base, sp.printing.precedence.PRECEDENCE['Pow'])}"
        return super()._print_Pow(expr, rational)

    def _print_Max(self, expr: sp.Max) -> str:
        return self._pairwise("numpy.maximum", expr)

    def _print_Min(self, expr: sp.Min) -> str:
        return self._pairwise("numpy.minimum", expr)

    def _pairwise(self, func: str, expr: sp.Basic) -> str:
        # Array argument first, so the result takes its dtype (a Python 0 is a weak scalar).
        a, b = sorted(expr.args, key=lambda e: e.is_number)
        return f"{func}({self._print(a)}, {self._print(b)})"

    def _print_Heaviside(self, expr: sp.Heaviside) -> str:
        if len(expr.args) != 2 or expr.args[1] != 0:
            raise ValueError("only Heaviside(x, 0) (the textbook's convention at 0) is printed")
        return f"({self._print(expr.args[0])} > 0)"

    def _print_MatMul(self, expr: sp.MatMul) -> str:
        *factors, last = expr.args
        if isinstance(last, sp.OneMatrix) and last.shape[1] == 1:
            # A @ 1 is the vector of A's row sums; (Bᵀ) @ 1 is the column sums of B.
            rest = factors[0] if len(factors) == 1 else sp.MatMul(*factors)
            if isinstance(rest, sp.Transpose):
                return f"numpy.sum({self._print(rest.arg)}, axis=0)"
            return f"numpy.sum({self._print(rest)}, axis=1)"
        return " @ ".join(self.parenthesize(f, sp.printing.precedence.PRECEDENCE["Mul"]) for f in expr.args)

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        inner = self._print(expr.arg)
        return f"{inner}.T" if isinstance(expr.arg, sp.MatrixSymbol) else f"({inner}).T"

    def _print_Sum(self, expr: sp.Sum) -> str:
        summed = {lim[0] for lim in expr.limits}
        entries = expr.function.atoms(sp.Indexed)
        body = self._print(expr.function)
        if entries and all(set(e.indices) <= summed for e in entries):
            return f"numpy.sum({body})"
        if entries and all(e.indices[-1] in summed and set(e.indices[:-1]).isdisjoint(summed) for e in entries):
            return f"numpy.sum({body}, axis=-1, keepdims=True)"
        raise ValueError(f"cannot print {expr} as a NumPy reduction")


def to_numpy(expr: sp.Basic, names: Mapping[str, str] | None = None) -> str:
    """NumPy source for `expr` with symbols renamed by `names`."""
    return OraclePrinter(names).doprint(expr)
