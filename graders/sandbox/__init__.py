"""Run untrusted student code in an isolated child process and get plain arrays back.

The package holds both sides: ``runner`` and ``isolation`` run in the grader (parent side),
``child*`` and ``transport`` in the sandbox. Names are imported lazily so that the child,
which imports this package, never loads the parent's side.
"""
from typing import Any

__all__ = ["Limits", "Probe", "ProbeResult", "SandboxRun", "run_probes"]


def __getattr__(name: str) -> Any:
    if name == "Limits":
        from graders.sandbox.limits import Limits
        return Limits
    if name in ("Probe", "ProbeResult", "SandboxRun", "run_probes"):
        from graders.sandbox import runner
        return getattr(runner, name)
    raise AttributeError(name)
