"""Temporary folders of runs that were killed (-9, a power cut) are removed by the next run.

Every folder a run makes in the temporary directory is named ``backprop-lab-[KIND-]PID-...``; one
whose process is gone is a leftover. Run once per process, before its own folders exist.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
from pathlib import Path

_OURS = re.compile(r"^backprop-lab-(?:[a-z]+-)?(\d+)-")


def prefix(kind: str = "") -> str:
    """The name a run's temporary folder starts with."""
    return f"backprop-lab-{kind + '-' if kind else ''}{os.getpid()}-"


@functools.cache
def sweep(folder: str | None = None) -> int:
    """Remove the leftovers of dead runs; returns how many."""
    removed = 0
    for path in Path(folder or tempfile.gettempdir()).iterdir():
        match = _OURS.match(path.name)
        if match and path.is_dir() and not path.is_symlink() and not _alive(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
