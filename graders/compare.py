"""Comparing a student's array with the oracle's, with tolerances that follow from floating point.

An error bound for a computed value is a few units of rounding (eps of the dtype) times the
magnitude of the terms that were summed to make it, not of the result: for x @ W + b that
is |x| @ |W| + |b|, which can be far larger than |x @ W + b| when terms cancel. Checks pass
that magnitude as ``scale``; by default it is |want| itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

# (relative, absolute-to-scale) tolerance per dtype: loose enough for any correct order of
# summation (up to a few thousand terms), tight enough to see a missing 1e-7 or a forward difference.
TOLERANCES = {np.dtype(np.float64): (1e-7, 1e-9), np.dtype(np.float32): (2e-4, 2e-5)}


@dataclass(frozen=True)
class Mismatch:
    """Why ``got`` is not ``want``: a shape, or the worst element with its numbers."""

    got_shape: tuple[int, ...]
    want_shape: tuple[int, ...]
    where: tuple[int, ...] = ()
    expected: float = float("nan")
    got: float = float("nan")
    diff: float = float("nan")
    tol: float = float("nan")
    count: int = 0                  # how many elements are out of tolerance

    @property
    def shape_differs(self) -> bool:
        return self.got_shape != self.want_shape

    def fields(self) -> dict[str, Any]:
        """Message fields: numbers formatted the way a person reads them."""
        return {"got_shape": _shape(self.got_shape), "want_shape": _shape(self.want_shape),
                "where": _shape(self.where) if self.where else "", "expected": f"{self.expected:.6g}",
                "got": f"{self.got:.6g}", "diff": f"{self.diff:.2g}", "tol": f"{self.tol:.2g}", "count": self.count}


def tolerance(want: np.ndarray, scale: np.ndarray | float | None = None, dtype: Any = np.float64) -> np.ndarray:
    rtol, atol = TOLERANCES.get(np.dtype(dtype), TOLERANCES[np.dtype(np.float32)])
    want = np.asarray(want, dtype=np.float64)
    magnitude = np.abs(want) if scale is None else np.broadcast_to(np.abs(np.asarray(scale, dtype=np.float64)), want.shape)
    return rtol * np.abs(want) + atol * np.maximum(magnitude, 1e-30) + atol * 1e-3


def mismatch(got: np.ndarray, want: np.ndarray, *, scale: np.ndarray | float | None = None,
             dtype: Any = np.float64) -> Mismatch | None:
    """None when ``got`` matches ``want`` element by element; otherwise what is wrong and where."""
    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape:
        return Mismatch(got.shape, want.shape)
    got64, want64 = got.astype(np.float64), want.astype(np.float64)
    tol = tolerance(want64, scale, dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(got64 - want64)
    bad = ~(diff <= tol)  # NaN in got counts as bad
    if not bad.any():
        return None
    excess = np.where(bad, np.nan_to_num(diff / tol, nan=np.inf, posinf=np.inf), -1.0)
    worst = np.unravel_index(int(np.argmax(excess)), got.shape) if got.shape else ()
    return Mismatch(got.shape, want.shape, tuple(int(i) for i in worst), float(want64[worst]), float(got64[worst]),
                    float(diff[worst]), float(tol[worst]), int(bad.sum()))


def close(got: np.ndarray, want: np.ndarray, *, scale: np.ndarray | float | None = None, dtype: Any = np.float64) -> bool:
    return mismatch(got, want, scale=scale, dtype=dtype) is None


def _shape(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"
