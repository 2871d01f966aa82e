"""Writing the results folder so that no reader ever sees half a file: write beside, fsync, rename."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()  # what open() would have given the file


def write_atomic(path: Path, data: bytes | str) -> None:
    """``path`` holds either its old content or all of ``data``, whatever happens (a kill, a full disk)."""
    raw = data.encode() if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as f:
            os.fchmod(f.fileno(), _MODE)  # mkstemp makes it 0600: a results folder others may read
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
