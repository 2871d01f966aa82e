"""Checks per component: one module each (``affine.py`` beside ``derive/affine.py``), holding its probes, its
checks, and its bug classes with their detectors and messages. Which module judges which component is said
once, in ``graders/components.py``.

A module's ``suite(rng)`` builds the component's ``Suite`` from a generator seeded by the submission (so a
regrade sees the same inputs); its ``BUGS`` are the bug classes only it reports.
"""
from __future__ import annotations

import importlib
import zlib
from types import ModuleType

import numpy as np

from graders.bugs import SHARED, Bug
from graders.checks.base import Suite
from graders.components import COMPONENTS, UNITS


def module_of(component: str) -> ModuleType:
    """The check module of a component the grader judges one call at a time (KeyError for any other)."""
    if component not in UNITS:
        raise KeyError(component)
    return importlib.import_module(f"graders.checks.{COMPONENTS[component].checks}")


def suite(component: str, rng: np.random.Generator) -> Suite:
    return module_of(component).suite(rng)


def generator(component: str, seed: int | None) -> np.random.Generator:
    """The generator of a component's inputs: from the submission's seed and the component's name, so that a
    regrade sees the same inputs and one component's inputs do not move when another's checks change (None: fresh)."""
    return np.random.default_rng(None if seed is None else [seed, zlib.crc32(component.encode())])


def catalog() -> dict[str, Bug]:
    """Every bug class, by id: the shared ones, each check module's, the chapter scripts' and the trainer's."""
    from graders.checks import book_scripts
    from graders.training import bugs as training
    owned = [bug for name in UNITS for bug in module_of(name).BUGS]
    return {bug.id: bug for bug in (*SHARED, *owned, *book_scripts.BUGS, *training.BUGS)}
