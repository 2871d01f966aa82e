"""Deciding claims with SymPy: prove an equality by simplifying the difference to 0, refute it by a counterexample."""
from __future__ import annotations

from typing import Callable, Iterable, Mapping

import sympy as sp

from graders.derive.theorem import ProofEvidence, Theorem, ProofVerdict

Simplifier = Callable[[sp.Expr], sp.Expr]

# Deterministic sample values for counterexamples; varied so that no accidental identity holds.
_SAMPLES = (sp.Rational(1, 2), sp.Rational(-2, 3), sp.Rational(3, 4), sp.Rational(-5, 4), sp.Integer(2),
            sp.Rational(-1, 3), sp.Rational(5, 3), sp.Rational(-3, 2), sp.Rational(1, 5), sp.Rational(7, 4))


def explicit(name: str, rows: int, cols: int) -> sp.Matrix:
    """A concrete-size matrix of independent real symbols name_ij, for cross-checks at fixed sizes."""
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{i}{j}", real=True))


def witness(exprs: Iterable[sp.Basic], offset: int = 0) -> dict[sp.Basic, sp.Expr]:
    """Sample values for every free symbol, respecting its assumptions; `offset` picks another point.

    Sizes (positive integers) get 2 or 3, indices (nonnegative integers) get 0, so that a sum
    of symbolic length becomes concrete and the index lies inside it.
    """
    symbols: set[sp.Basic] = set()
    for expr in exprs:
        labels = {e.base.label for e in expr.atoms(sp.Indexed)}  # the name x of x[i] is not a number
        symbols |= {s for s in expr.free_symbols if isinstance(s, (sp.Symbol, sp.Indexed)) and s not in labels}
    if any(s.is_integer for s in symbols):  # sizes and indices first; entries once the sums are concrete
        symbols = {s for s in symbols if s.is_integer}
    point = {}
    for k, s in enumerate(sorted(symbols, key=sp.default_sort_key)):
        value = _SAMPLES[(k + offset) % len(_SAMPLES)]
        if s.is_integer:
            value = sp.Integer(2 + (k + offset) % 2) if s.is_positive else sp.Integer(0)
        elif s.is_nonnegative or s.is_positive:
            value = abs(value)
        elif s.is_negative or s.is_nonpositive:
            value = -abs(value)
        point[s] = value
    return point


def _entries(expr: sp.Basic) -> list[sp.Basic]:
    return list(expr) if isinstance(expr, sp.MatrixBase) else [expr]


def _is_zero(expr: sp.Basic) -> bool:
    return expr == 0 or bool(getattr(expr, "is_ZeroMatrix", False))


def equal(lhs: sp.Basic, rhs: sp.Basic, *, simplify: Simplifier = sp.simplify,
          at: Mapping[sp.Basic, sp.Expr] | None = None, what: str = "") -> ProofEvidence:
    """PROVED if lhs - rhs simplifies to zero (entrywise for matrices); REFUTED if it is nonzero at a sample point."""
    if isinstance(lhs, sp.MatrixBase) and isinstance(rhs, sp.MatrixBase) and lhs.shape != rhs.shape:
        return ProofEvidence(ProofVerdict.REFUTED, f"shapes differ: {lhs.shape} vs {rhs.shape}")
    differences = [simplify(d) for d in _entries(lhs - rhs)]
    if all(_is_zero(d) for d in differences):
        return ProofEvidence(ProofVerdict.PROVED, what or "the difference simplifies to 0")
    for offset in range(1 if at is not None else 4):
        for d in differences:
            value, point = _evaluate(d, dict(at or {}), offset)
            if value.is_number and abs(value) > 1e-9:
                shown = ", ".join(f"{sp.sstr(k)} = {sp.sstr(v)}" for k, v in point.items())
                difference = sp.sstr(value.round(6))
                return ProofEvidence(ProofVerdict.REFUTED,
                                     f"counterexample at {shown}: difference = {difference} ≠ 0")
    return ProofEvidence(ProofVerdict.UNDECIDED, "the difference did not simplify to 0 and no counterexample was found")


def _evaluate(expr: sp.Basic, point: dict, offset: int) -> tuple[sp.Basic, dict]:
    """Substitute `point`, then sample values for what is left, in rounds: sizes and indices make
    sums concrete, `doit` expands them into entries, and those get values in the next round."""
    value = expr.subs(point).doit().subs(point).doit()
    for _ in range(3):
        new = witness([value], offset)
        if not new:
            break
        point.update(new)
        value = value.subs(new).doit()
    return sp.N(value), point


def derivative_theorem(id: str, claim: str, *, loss: sp.Expr, wrt: sp.Basic, rule: sp.Basic,
                       outputs: Mapping[sp.Symbol, sp.Expr] | None = None, given: tuple[sp.Basic, ...] = (),
                       expect_refuted: bool = False, simplify: Simplifier = sp.simplify,
                       at: Mapping[sp.Basic, sp.Expr] | None = None,
                       assume: Mapping[sp.Symbol, sp.Symbol] | None = None) -> Theorem:
    """The claim ∂loss/∂wrt = rule; the rule may name forward outputs (`outputs` maps them to their definitions).

    `assume` replaces symbols after differentiating by ones carrying assumptions (say x by a
    positive x), to prove the claim on a region such as x > 0; state the region in `given`.
    """
    outputs = dict(outputs or {})
    assume = dict(assume or {})

    def prove() -> ProofEvidence:
        derived = sp.diff(loss, wrt)
        target = sp.sympify(rule).subs(outputs)
        if assume:
            derived, target = derived.subs(assume), target.subs(assume)
        return equal(derived, target, simplify=simplify, at=at,
                     what=f"SymPy differentiates to {sp.sstr(derived)}, which equals the rule")

    shown_given = tuple(sp.Eq(k, v) for k, v in outputs.items()) + given
    return Theorem(id, claim, sp.Eq(sp.Derivative(loss, wrt), rule, evaluate=False), prove, shown_given, expect_refuted)


def collapse_deltas(expr: sp.Expr, bounds: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """Evaluate the Kronecker deltas that differentiating an indexed Sum produces.

    Each index in `bounds` is a nonnegative integer below its bound, so the range conditions
    SymPy attaches are true; the sum whose variable a delta pins is moved innermost so that
    SymPy can evaluate it.
    """
    facts = sp.And(*[sp.Q.le(i, n - 1) for i, n in bounds.items()])
    for _ in range(4):
        expr = sp.refine(expr.doit(), facts)
        expr = expr.replace(lambda e: isinstance(e, sp.Sum), _delta_innermost)
    return sp.refine(expr.doit(), facts)


def _delta_innermost(s: sp.Sum) -> sp.Sum:
    pinned = {a for d in s.function.atoms(sp.KroneckerDelta) for a in d.args}
    limits = sorted(s.limits, key=lambda lim: lim[0] not in pinned)
    return sp.Sum(s.function, *limits)
