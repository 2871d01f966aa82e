"""Theorem records: a named symbolic claim that SymPy proves or refutes, and the timed outcome."""
from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from typing import Callable

import sympy as sp


class ProofVerdict(enum.Enum):
    """What SymPy established about a claim."""

    PROVED = "proved"
    REFUTED = "refuted"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class ProofEvidence:
    """A verdict with the reason: the simplification that reached zero, or a counterexample."""

    verdict: ProofVerdict
    detail: str = ""


@dataclass(frozen=True)
class Theorem:
    """A claim `statement` (under `given`) with a function that decides it.

    `expect_refuted` marks a negative control: a wrong rule a student might write, which the
    same machinery must refute, so that a prover which "proves" everything is caught.
    """

    id: str
    claim: str
    statement: sp.Basic
    prove: Callable[[], ProofEvidence]
    given: tuple[sp.Basic, ...] = ()
    expect_refuted: bool = False

    @property
    def expected(self) -> ProofVerdict:
        return ProofVerdict.REFUTED if self.expect_refuted else ProofVerdict.PROVED


@dataclass(frozen=True)
class Outcome:
    """The evidence for one theorem and how long deciding it took."""

    theorem: Theorem
    evidence: ProofEvidence
    seconds: float

    @property
    def ok(self) -> bool:
        return self.evidence.verdict is self.theorem.expected


def decide(theorem: Theorem) -> Outcome:
    """Run a theorem's proof; an exception inside SymPy counts as undecided, never as proved."""
    start = time.perf_counter()
    try:
        evidence = theorem.prove()
    except Exception as exc:  # a crash must show up as a failed proof, not abort the whole run
        evidence = ProofEvidence(ProofVerdict.UNDECIDED, f"{type(exc).__name__}: {exc}")
    return Outcome(theorem, evidence, time.perf_counter() - start)
