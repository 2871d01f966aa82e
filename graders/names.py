""""Did you mean": ``ReLu`` -> ``Relu``, ``foward`` -> ``forward``."""
from __future__ import annotations

import difflib
from typing import Iterable


def suggest(wanted: str, available: Iterable[str]) -> str | None:
    """The closest available name: same letters in another case first, then by similarity."""
    available = list(available)
    for name in available:
        if name.lower() == wanted.lower():
            return name
    close = difflib.get_close_matches(wanted, available, n=1, cutoff=0.6)
    return close[0] if close else None
