"""The decision procedure: it proves true identities, refutes false ones by counterexample, never proves by crashing."""
import sympy as sp

from graders.derive.proof import collapse_deltas, derivative_theorem, equal, witness
from graders.derive.theorem import Theorem, ProofVerdict, decide

x, y = sp.symbols("x y", real=True)


def test_equal_proves_a_true_identity():
    assert equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1)).verdict is ProofVerdict.PROVED


def test_equal_refutes_a_false_identity_with_a_counterexample():
    evidence = equal((x + y) ** 2, x**2 + y**2)
    assert evidence.verdict is ProofVerdict.REFUTED
    assert "counterexample" in evidence.detail


def test_equal_is_undecided_when_the_difference_vanishes_at_every_sample():
    # x·(x - 1/2) is not identically 0, but the simplifier here is the identity and the only
    # sample point given is a root, so nothing may be claimed either way.
    evidence = equal(x * (x - sp.Rational(1, 2)), sp.Integer(0), simplify=lambda e: e, at={x: sp.Rational(1, 2)})
    assert evidence.verdict is ProofVerdict.UNDECIDED


def test_equal_refutes_matrices_of_different_shape():
    assert equal(sp.Matrix([[x, y]]), sp.Matrix([[x], [y]])).verdict is ProofVerdict.REFUTED


def test_witness_respects_sign_and_integer_assumptions():
    p, q, n = sp.Symbol("p", positive=True), sp.Symbol("q", negative=True), sp.Symbol("n", integer=True, positive=True)
    point = witness([p + q + n])
    assert point == {n: point[n]} and point[n] in (2, 3)  # sizes first, entries in a later round
    point = witness([p + q])
    assert point[p] > 0 and point[q] < 0


def test_collapse_deltas_evaluates_an_indexed_derivative():
    n = sp.Symbol("n", integer=True, positive=True)
    i, j = sp.symbols("i j", integer=True, nonnegative=True)
    a = sp.IndexedBase("a")
    derived = collapse_deltas(sp.diff(sp.Sum(a[i] ** 2, (i, 0, n - 1)), a[j]), {j: n})
    assert sp.simplify(derived - 2 * a[j]) == 0


def test_derivative_theorem_refutes_a_wrong_rule():
    wrong = derivative_theorem("t.wrong", "d(x^3)/dx = 2x", loss=x**3, wrt=x, rule=2 * x, expect_refuted=True)
    outcome = decide(wrong)
    assert outcome.evidence.verdict is ProofVerdict.REFUTED and outcome.ok


def test_a_crash_inside_a_proof_is_undecided_not_proved():
    def boom():
        raise ValueError("sympy gave up")
    outcome = decide(Theorem("t.crash", "crashes", sp.Eq(x, x), boom))
    assert outcome.evidence.verdict is ProofVerdict.UNDECIDED and not outcome.ok
