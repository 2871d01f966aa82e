"""Finding the textbook's components in source text, under the names students give them.

Imported on both sides of the sandbox (plain Python, no numpy): the child uses it to find
each component in whatever the student wrote. A person reading ``class ReLU`` sees the
book's ``Relu``, and in ``self.dw`` the book's ``dW``; so does the grader, with a warning.
The names are in ``components.py``.
"""
from __future__ import annotations

import re
from typing import Any

from graders.components import ATTRIBUTE_SPELLINGS, COMPONENTS, GRADS_LIST, Kind

_DEFINITION = re.compile(r"^[ \t]*(class|def)[ \t]+([A-Za-z_]\w*)", re.MULTILINE)


def normalise(name: str) -> str:
    return name.replace("_", "").lower()


def component_of(name: str, kind: Kind) -> str | None:
    """The component a top-level ``name`` of this kind stands for, if any (``ReLU`` class -> ``Relu``)."""
    key = normalise(name)
    for component in COMPONENTS.values():
        if component.kind == kind and (name == component.name or key in component.spellings):
            return component.name
    return None


def attribute(obj: Any, name: str) -> tuple[Any, str]:
    """``obj.name``, or the value a student keeps under another name for it (``self.dw``, ``self.grad_W``, the
    second book's ``self.grads[0]``): the value, and the name it was found under ("" for the book's own)."""
    value = getattr(obj, name, None)
    if value is not None or name not in ATTRIBUTE_SPELLINGS:
        return value, ""
    own = getattr(obj, "__dict__", None)
    if not isinstance(own, dict):  # slots, or something stranger
        return None, ""
    for key, found in own.items():
        if isinstance(key, str) and normalise(key) in ATTRIBUTE_SPELLINGS[name] and found is not None:
            return found, key
    grads, position = own.get("grads"), GRADS_LIST.index(name)
    if isinstance(grads, (list, tuple)) and len(grads) == len(GRADS_LIST):
        return grads[position], f"grads[{position}]"
    return None, ""


def declared(source: str) -> dict[str, tuple[str, int]]:
    """Components a source text declares at the start of a line, found by reading it, not running it:
    {component: (name as written, line)}. Works on code that does not parse (a syntax error)."""
    found: dict[str, tuple[str, int]] = {}
    for match in _DEFINITION.finditer(source):
        if match.group(0)[0] in " \t":  # indented: a method, not a top-level definition
            continue
        kind: Kind = "class" if match.group(1) == "class" else "function"
        component = component_of(match.group(2), kind)
        if component is not None:
            found.setdefault(component, (match.group(2), source.count("\n", 0, match.start()) + 1))
    return found
