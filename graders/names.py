"""Textbook names and "did you mean": ``ReLu`` -> ``Relu``, ``foward`` -> ``forward``."""
from __future__ import annotations

import difflib
import re
from typing import Iterable

_MISSING_ATTRIBUTE = re.compile(r"AttributeError: '(\w+)' object has no attribute '(\w+)'")


def suggest(wanted: str, available: Iterable[str]) -> str | None:
    """The closest available name: same letters in another case first, then by similarity."""
    available = list(available)
    for name in available:
        if name.lower() == wanted.lower():
            return name
    close = difflib.get_close_matches(wanted, available, n=1, cutoff=0.6)
    return close[0] if close else None


def missing_attribute(error: str) -> tuple[str, str] | None:
    """(class, attribute) from a one-line AttributeError about an instance, if that is what it is."""
    found = _MISSING_ATTRIBUTE.match(error)
    return (found.group(1), found.group(2)) if found else None
