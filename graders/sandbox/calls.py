"""Parent side: the plain data of a sandboxed run. A probe is one call into student code; its result is
plain arrays or a status saying why there are none; the run is every result and what loading found."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Mapping

import numpy as np

ProbeStatus = Literal["ok", "raised", "timeout", "crashed", "memory", "output", "invalid", "skipped"]


class SandboxFailure(RuntimeError):
    """The grader's own side of the sandbox failed (not the student's code): grading cannot go on."""


@dataclass(frozen=True)
class Probe:
    """One call into student code: ``DRIVERS[driver](namespace, arrays, params)`` in the child."""

    id: str
    driver: str
    arrays: Mapping[str, np.ndarray] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)  # JSON-serialisable
    seconds: float | None = None  # a long probe's own wall budget; it must then report progress


@dataclass(frozen=True)
class Fault:
    """An exception the student's code raised, as the child saw it (see graders/probes/protocol.py)."""

    kind: str                          # the exception's class name, e.g. "AttributeError"
    message: str = ""                  # the first line of its message
    file: str = ""                     # the student's innermost frame: file name and line
    line: int = 0
    attribute: str = ""                # an AttributeError's missing name, and the class of the object that lacks it
    owner: str = ""

    def __str__(self) -> str:
        """``ZeroDivisionError: division by zero (layers.py, line 12)``, as reports quote it."""
        from graders.probes.protocol import fault_text  # the child's side, loaded only when a fault is written
        return fault_text(asdict(self))


@dataclass(frozen=True)
class ProbeResult:
    id: str
    status: ProbeStatus
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    error: str = ""                    # one line: what became of the call (for "raised", its fault in words)
    nones: tuple[str, ...] = ()        # outputs that came back as None (a missing return)
    errors: dict[str, Fault] = field(default_factory=dict)  # outputs whose own call raised, when others went on
    fault: Fault | None = None         # for "raised": the exception, as data
    spelled: dict[str, str] = field(default_factory=dict)  # outputs read from an attribute of a student's name


@dataclass(frozen=True)
class SandboxRun:
    results: dict[str, ProbeResult]
    names: dict[str, list[str]]        # top-level names -> public attributes of classes
    load_error: str = ""
    loaded: bool = True                # False: the process died or hung before the submission finished loading
    stdout: str = ""
    stderr: str = ""
    children: int = 0                  # processes started (1 unless some probe killed its child)
    graded: dict[str, dict[str, Any]] = field(default_factory=dict)  # component -> {name, file, line, others}
    findings: list[dict[str, Any]] = field(default_factory=list)     # what went wrong loading, file by file
    classes: list[str] = field(default_factory=list)                 # top-level names that are classes
    skipped: tuple[str, ...] = ()                                     # files left out of the snapshot
    units: list[str] = field(default_factory=list)                   # files and notebook cells run, in order
