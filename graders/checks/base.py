"""What a check is, and the one judging routine most checks share.

A component module builds its probes (calls to run in the sandbox) and its checks (what
to conclude from each probe's outputs). Judging happens in the parent only, on plain
arrays: compare with the oracle; on a mismatch, ask the bug catalog which known mistake
explains the output; then look at whether the inputs were written to.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from graders.bugs import (ATTRIBUTE_SPELLED, CRASHED, INVALID_OUTPUT, MISSING_RETURN, OUT_OF_MEMORY, OUTPUT_FLOOD,
                          RUNTIME_ERROR, TIMEOUT, WRONG_SHAPE, WRONG_VALUE, Bug, Evidence, diagnose)
from graders.compare import mismatch
from graders.sandbox import Probe, ProbeResult
from graders.sandbox.calls import Fault

Arrays = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class Verdict:
    status: str                                   # pass, fail, error, warning
    bug: Bug | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    fault: Fault | None = None                    # the exception behind a runtime error, as data

    @staticmethod
    def ok() -> "Verdict":
        return Verdict("pass")

    @staticmethod
    def of(bug: Bug, **fields: Any) -> "Verdict":
        status = "warning" if bug.severity == "warning" else ("error" if bug.severity == "error" else "fail")
        return Verdict(status, bug, fields)

    def said(self, lang: str) -> dict[str, Any]:
        """The fields as its bug's message fills them in: a field kept as data until now (a wrong name) is put in
        words in ``lang`` here, and only here."""
        out: dict[str, Any] = {}
        for key, value in self.fields.items():
            out.update(value.words(lang) if hasattr(value, "words") else {key: value})
        return out

    def message(self, lang: str) -> str:
        return self.bug.message(lang, **self.said(lang)) if self.bug else ""

    @staticmethod
    def raised(fault: Fault) -> "Verdict":
        return Verdict("error", RUNTIME_ERROR, {"error": str(fault)}, fault)


@dataclass(frozen=True)
class Check:
    id: str                                       # e.g. "Affine.backward.db"
    component: str                                # e.g. "Affine"
    method: str                                   # e.g. "backward"
    probe: str                                    # id of the probe whose result it judges
    judge: Callable[[ProbeResult], Verdict]


@dataclass(frozen=True)
class Expect:
    """One output and what it should be."""

    name: str
    want: np.ndarray
    bugs: tuple[Bug, ...] = ()                    # candidate explanations of a mismatch, in order
    scale: np.ndarray | float | None = None       # magnitude of the summed terms (see compare.py)


@dataclass(frozen=True)
class Suite:
    """A component's probes and checks."""

    probes: list[Probe] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    artifacts: dict[str, Any] = field(default_factory=dict)  # filled by judges that produce more than a verdict

    def add(self, probe: Probe, *checks: Check) -> None:
        self.probes.append(probe)
        self.checks.extend(checks)


SANDBOX_BUGS = {"raised": RUNTIME_ERROR, "timeout": TIMEOUT, "crashed": CRASHED, "memory": OUT_OF_MEMORY,
                "output": OUTPUT_FLOOD, "invalid": INVALID_OUTPUT, "skipped": CRASHED}


def sandbox_verdict(result: ProbeResult) -> Verdict:
    """A probe that did not come back with arrays: say what happened to it."""
    if result.fault is not None:
        return Verdict.raised(result.fault)
    return Verdict.of(SANDBOX_BUGS[result.status], error=result.error)


def expect(outputs: Sequence[Expect], *, inputs: Arrays, dtype: Any = np.float64,
           watch: Mapping[str, Bug] | None = None, oracle: Callable[[Arrays], Arrays] | None = None,
           on_raise: Callable[[Fault], Verdict | None] | None = None) -> Callable[[ProbeResult], Verdict]:
    """The usual judge: outputs against the oracle, then the watched inputs.

    ``watch`` maps an input name to the bug to report if the call wrote into it
    (``input_mutated``, or a harmless habit such as ``relu.dout_in_place``).
    ``oracle`` recomputes the expected outputs from (changed) inputs, for detectors
    such as "ignores dout". ``on_raise`` may turn an exception into a known bug. Right
    values read from an attribute of a student's name (``self.dw``) pass with a warning.
    """
    wants = {e.name: np.asarray(e.want) for e in outputs}

    def judge(result: ProbeResult) -> Verdict:
        if result.status != "ok":
            special = on_raise(result.fault) if on_raise and result.fault is not None else None
            return special or sandbox_verdict(result)
        got = result.arrays
        for e in outputs:
            if e.name in result.errors:
                fault = result.errors[e.name]
                return (on_raise(fault) if on_raise else None) or Verdict.raised(fault)
            if e.name in result.nones or e.name not in got:
                return Verdict.of(MISSING_RETURN, what=e.name)
        warning: Verdict | None = None
        for e in outputs:
            bad = mismatch(got[e.name], e.want, scale=e.scale, dtype=dtype)
            if bad is None:
                continue
            evidence = Evidence(e.name, got, wants, inputs, dtype, oracle)
            known = diagnose(e.bugs, evidence)
            fallback = WRONG_SHAPE if bad.shape_differs else WRONG_VALUE
            verdict = Verdict.of(known or fallback, what=e.name, **bad.fields())
            if verdict.status != "warning":
                return verdict
            warning = warning or verdict
        for name, bug in (watch or {}).items():
            after = got.get(f"after_{name}")
            if after is not None and not np.array_equal(after, inputs[name], equal_nan=True):
                verdict = Verdict.of(bug, what=name)
                if verdict.status != "warning":
                    return verdict
                warning = warning or verdict
        spelled = next((e.name for e in outputs if e.name in result.spelled), None)
        if spelled is not None:  # before a habit's warning: with exact names it is an error
            return Verdict.of(ATTRIBUTE_SPELLED, what=spelled, spelled=result.spelled[spelled])
        return warning or Verdict.ok()

    return judge


def raised_with(kinds: tuple[str, ...], bug: Bug) -> Callable[[Fault], Verdict | None]:
    """An ``on_raise`` hook: an exception of one of these kinds (``ValueError``...) means ``bug``."""
    def hook(fault: Fault) -> Verdict | None:
        return Verdict.of(bug, error=str(fault)) if fault.kind in kinds else None
    return hook
