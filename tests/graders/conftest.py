"""Shared fixtures for the grader tests: the submission corpus under tests/fixtures."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SUBMISSIONS = FIXTURES / "submissions"


def load_fixture(name: str) -> ModuleType:
    """A module from tests/fixtures, by file (tests/ is not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, FIXTURES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
