"""Looking up the textbook names in a submission's namespace."""
from __future__ import annotations

from typing import Any


def lookup(namespace: dict[str, Any], name: str) -> Any:
    """``namespace[name]``, or the NameError Python itself would raise for a missing name."""
    if name not in namespace:
        raise NameError(f"name {name!r} is not defined")
    return namespace[name]
