"""One probe, run: its driver called into student code, and what comes back, as plain data.

Shared by the sandbox's child and by the checks that run inside a notebook's kernel, so that one failure reads the
same in both. An exception the student's code raised crosses as a fault (kind, first line of its message, the
student's innermost file and line, and for an AttributeError the missing name and whose it is), never as text to
be parsed back.
"""
from __future__ import annotations

import errno
import sys
import traceback
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from graders.sandbox.transport import InvalidOutput, to_plain_array

ERRORS = "__errors__"  # a driver may return {output name: exception} under this key, for calls that raised
SPELLED = "__spelled__"  # and {output name: the attribute it was read from} for one found under a student's name
Driver = Callable[[dict[str, Any], dict[str, np.ndarray], Mapping[str, Any]], Mapping[str, Any]]
_OURS = (sys.prefix, sys.base_prefix, str(Path(__file__).parents[1]))  # frames that are not the student's


def fault(exc: BaseException) -> dict[str, Any]:
    """What the parent needs to know of an exception, as JSON-ready data."""
    try:
        text = str(exc)
    except Exception:  # a student's exception whose __str__ raises
        text = ""
    found: dict[str, Any] = {"kind": type(exc).__name__, "message": text.splitlines()[0] if text else "",
                             "file": "", "line": 0}
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith(_OURS)]
    if frames:
        found.update(file=Path(frames[-1].filename).name, line=frames[-1].lineno or 0)
    if isinstance(exc, AttributeError) and isinstance(getattr(exc, "name", None), str):
        found.update(attribute=exc.name, owner=type(exc.obj).__name__)
    return found


def fault_text(found: Mapping[str, Any]) -> str:
    """``ZeroDivisionError: division by zero (layers.py, line 12)``: a fault in one line, as reports quote it."""
    text = f"{found['kind']}: {found['message']}".rstrip(": ")
    if found.get("file"):
        text += f" ({found['file']}, line {found['line']})"
    return text[:300]


def one_line(exc: BaseException) -> str:
    return fault_text(fault(exc))


def call_probe(drivers: Mapping[str, Driver], probe: Mapping[str, Any], arrays: dict[str, np.ndarray],
               namespace: dict[str, Any], *, catch: type[BaseException] = BaseException
               ) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Run ``probe`` (its ``id``, ``driver`` and ``params``) on ``arrays``: the result's header and plain arrays.
    The status says what became of the call: ok, raised (with its fault), invalid, memory or output.

    ``catch``: what a raise of the student's code may be. In the sandbox, anything (a SystemExit is the student's
    too); in a notebook's kernel, ``Exception`` only, so that the kernel's own interrupt (nbgrader's cell timeout)
    still ends the cell."""
    header: dict[str, Any] = {"kind": "probe", "id": probe["id"], "status": "ok", "error": "", "fault": None,
                              "nones": [], "errors": {}, "spelled": {}}
    plain: dict[str, np.ndarray] = {}
    try:
        outputs = dict(drivers[probe["driver"]](namespace, arrays, probe["params"]))
        header["errors"] = {str(k): fault(e) for k, e in outputs.pop(ERRORS, {}).items()}
        header["spelled"] = {str(k): str(v) for k, v in outputs.pop(SPELLED, {}).items()}
        for name, value in outputs.items():
            if value is None:
                header["nones"].append(name)
            else:
                plain[name] = to_plain_array(name, value)
    except InvalidOutput as exc:
        header.update(status="invalid", error=str(exc))
    except MemoryError:
        header.update(status="memory", error="ran out of memory (MemoryError)")
    except OSError as exc:
        if exc.errno == errno.EFBIG:
            header.update(status="output", error="wrote more output than the sandbox allows")
        else:
            header.update(status="raised", fault=fault(exc))
    except catch as exc:
        header.update(status="raised", fault=fault(exc))
    return header, plain if header["status"] == "ok" else {}
