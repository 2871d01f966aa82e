"""Scalar symbols shared by the elementwise node derivations (each holds entrywise by the elementwise lemma)."""
import sympy as sp

x, y, dout = sp.symbols("x y dout", real=True)
