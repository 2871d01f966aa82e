"""Shorthands for building probes and the inputs that separate real bugs."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from graders.sandbox import Probe


def layer_probe(probe_id: str, cls: str, arrays: Mapping[str, Any], calls: Sequence[tuple[str, list[str], list[str]]],
                *, init: Sequence[str] = (), attrs: Sequence[str] = (), scalars: Sequence[str] = ()) -> Probe:
    """Instantiate ``cls(*init)`` and call ``method(*args)`` for each (method, args, output names)."""
    return Probe(probe_id, "layer", {k: np.asarray(v) for k, v in arrays.items()},
                 {"cls": cls, "init": list(init), "calls": [list(c) for c in calls], "attrs": list(attrs),
                  "scalars": list(scalars)})


def function_probe(probe_id: str, name: str, arrays: Mapping[str, Any], args: Sequence[str]) -> Probe:
    return Probe(probe_id, "function", {k: np.asarray(v) for k, v in arrays.items()}, {"name": name, "args": list(args)})


def upstream(rng: np.random.Generator, shape: tuple[int, ...], dtype: Any = np.float64) -> np.ndarray:
    """A dout that is never all ones, so that "ignores dout" cannot hide, and has both signs."""
    return (rng.normal(size=shape) * 1.5 + 0.3).astype(dtype)


def with_zeros(x: np.ndarray, rng: np.random.Generator, count: int = 3) -> np.ndarray:
    """x with exact zeros (and a negative zero) at random places: where ReLU's convention shows."""
    x = x.copy()
    places = rng.choice(x.size, size=count + 1, replace=False)
    x.flat[places[:-1]] = 0.0
    x.flat[places[-1]] = -0.0
    return x
