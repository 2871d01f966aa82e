"""Numeric oracles for grading: NumPy code generated from the SymPy proofs in graders.derive (no SymPy imported here).
Every function the derivations generate is here, by the name its derivation gave it (``affine_backward``)."""
from graders.oracles._generated import *  # noqa: F401,F403
from graders.oracles._generated import __all__  # noqa: F401
