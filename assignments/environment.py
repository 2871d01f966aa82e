"""What nbgrader expects to find on PATH (alembic, the kernel's python): this interpreter's own bin directory."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def use_this_environment() -> None:
    """Put this interpreter's bin directory first on PATH, so nbgrader's ``alembic`` and the python3
    kernel are this environment's even when it was not activated (``.venv/bin/backprop-lab ...``)."""
    bin_dir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "").split(os.pathsep)
    if path[:1] != [bin_dir]:
        os.environ["PATH"] = os.pathsep.join([bin_dir, *[p for p in path if p != bin_dir]])
