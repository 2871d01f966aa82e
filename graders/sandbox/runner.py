"""The parent side of the sandbox: start a child, watch it, read back its arrays.

One child runs every probe, so a normal check pays for one interpreter start. If the
child dies in the middle of probe k (os._exit, a signal, a timeout, memory, output),
probe k gets that status, earlier results stand, and the probes after k run again in a
fresh child: one bad method does not take the whole submission down with it.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from graders.sandbox import leftovers, warm
from graders.sandbox.calls import Probe, ProbeResult, ProbeStatus, SandboxFailure, SandboxRun  # noqa: F401 (the API)
from graders.sandbox.limits import Limits
from graders.sandbox.process import ChildOutcome, cap, child_uid, run_child
from graders.sandbox.records import loading_record
from graders.sandbox.transport import encode_arrays
from graders.submission import Submission

_MAX_STRIPPED = 4  # loading units rerun without their demo code before loading is given up
_MNIST_NAMES = ("load_mnist", "dataset.mnist", "dataset import mnist")


def run_probes(submission: Submission, probes: Sequence[Probe], limits: Limits = Limits(), *,
               drivers: str = "graders.probes.drivers",
               on_tick: Callable[[Probe, int], None] | None = None) -> SandboxRun:
    """Run every probe against the submission in sandboxed children; never raises for student misbehaviour.

    ``on_tick(probe, step)`` is called as a long probe reports progress (for a progress bar).
    """
    ids = [p.id for p in probes]
    if len(set(ids)) != len(ids):
        raise ValueError("probe ids must be unique")
    if drivers.endswith(".py"):
        drivers = str(Path(drivers).resolve())
    leftovers.sweep()
    zygote = warm.ready_zygote() if not drivers.endswith(".py") else None  # a test's own drivers: a cold child
    attempts = _Attempts(probes, limits)
    # Two directories: the child's own (it may write there) and the parent's (results and output, 0700).
    with tempfile.TemporaryDirectory(prefix=leftovers.prefix()) as private, _work_folder(zygote) as work:
        _prepare_workdir(work, submission, probes)
        spent_at = time.monotonic() + limits.submission_seconds + sum(p.seconds or 0.0 for p in probes)
        tick = (lambda index, step: on_tick(probes[index], step)) if on_tick else None
        going = True
        while going and attempts.start < len(probes):
            attempts.children += 1
            going = attempts.take(run_child(work, Path(private), submission, attempts.start, limits, drivers,
                                            [p.seconds for p in probes], tick, attempts.stripped, ids, spent_at,
                                            zygote))
    return attempts.run(submission)


@dataclass
class _Attempts:
    """What the children of one run have brought back so far, and where the next one starts. A child that dies
    in probe k leaves k alone to pay; one that dies loading a file or cell has it loaded again without its demo
    code; one out of the submission's time budget ends the run."""

    probes: Sequence[Probe]
    limits: Limits
    results: dict[str, ProbeResult] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    loading: dict[str, Any] = field(default_factory=dict)
    load_error: str = ""
    stdout: str = ""
    stderr: str = ""
    children: int = 0
    loaded: bool = True
    start: int = 0
    stripped: set[int] = field(default_factory=set)
    why_stripped: dict[int, str] = field(default_factory=dict)

    def take(self, outcome: ChildOutcome) -> bool:
        """Record one child's outcome; False when the run is over."""
        probes = self.probes
        self.stdout = cap(self.stdout + outcome.stdout, self.limits)
        self.stderr = cap(self.stderr + outcome.stderr, self.limits)
        if outcome.spent:  # the whole submission is out of time: what is not done yet times out
            self._first_loading(outcome)
            self.results.update({i: r for i, r in outcome.results.items() if i not in self.results})
            self.results.update({p.id: ProbeResult(p.id, "timeout", error=outcome.death)
                                 for p in probes if p.id not in self.results})
            self.loaded, self.load_error = bool(self.names), self.load_error or ("" if self.names else outcome.death)
            return False
        if outcome.loaded is None and outcome.unit is not None and outcome.unit not in self.stripped \
                and len(self.stripped) < _MAX_STRIPPED:
            # one file or cell hung or died while loading: load it again without its demo code
            self.stripped.add(outcome.unit)
            self.why_stripped[outcome.unit] = outcome.death
            return True
        if outcome.loaded is None:  # died or hung before the submission finished loading
            reason = f"while loading the submission: {outcome.death}"
            self.results.update({p.id: ProbeResult(p.id, outcome.status, error=reason) for p in probes[self.start:]})
            self.load_error = self.load_error or reason
            self.loaded = bool(self.names)  # a restart that fails to load still has the first child's names
            return False
        self._first_loading(outcome)
        pending = {p.id for p in probes[self.start:]}
        self.results.update({i: r for i, r in outcome.results.items() if i in pending})
        done = next((k for k in range(self.start, len(probes)) if probes[k].id not in self.results), len(probes))
        if done == len(probes):
            return False
        if outcome.running == done:  # it died in this probe: that probe alone pays
            self.results[probes[done].id] = ProbeResult(probes[done].id, outcome.status, error=outcome.death)
            self.start = done + 1
        elif done > self.start:  # it stopped between probes (after a memory or output failure): go on
            self.start = done
        else:  # no progress at all: give up on the rest rather than loop
            self.results.update({p.id: ProbeResult(p.id, "crashed", error=outcome.death or "no result came back")
                                 for p in probes[done:]})
            return False
        return True

    def _first_loading(self, outcome: ChildOutcome) -> None:
        if outcome.loaded is not None and not self.names:
            self.names, self.load_error = outcome.loaded["names"], outcome.loaded["load_error"]
            self.loading = loading_record(outcome.loaded, self.why_stripped)

    def run(self, submission: Submission) -> SandboxRun:
        loading = self.loading
        return SandboxRun(results={p.id: self.results[p.id] for p in self.probes}, names=self.names,
                          load_error=self.load_error, loaded=self.loaded, stdout=self.stdout, stderr=self.stderr,
                          children=self.children, graded=loading.get("graded", {}),
                          findings=loading.get("findings", []), classes=loading.get("classes", []),
                          units=loading.get("units", []), skipped=submission.skipped)


@contextlib.contextmanager
def _work_folder(zygote: warm.Zygote | None) -> Iterator[Path]:
    """The child's folder: in the zygote's spool when children are forked warm, else a temporary folder."""
    if zygote is None:
        with tempfile.TemporaryDirectory(prefix=leftovers.prefix("work")) as folder:
            yield Path(folder)
        return
    folder = zygote.run_folder()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if not zygote.alive():  # the zygote ended during the run (it left something behind): its spool goes too
            shutil.rmtree(folder.parent, ignore_errors=True)


def _prepare_workdir(work: Path, submission: Submission, probes: Sequence[Probe]) -> None:
    """The child's folder: the submission's snapshot (never the files on disk, which may have changed since
    they were hashed), the probes, their input arrays and, for code that loads MNIST, a few digits."""
    tree = work / "submission"
    for relative, data in submission.files.items():
        target = tree / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    tree.mkdir(exist_ok=True)
    manifest = [{"id": p.id, "driver": p.driver, "params": dict(p.params), "seconds": p.seconds,
                 "arrays": {name: f"{i}/{name}" for name in p.arrays}} for i, p in enumerate(probes)]
    (work / "manifest.json").write_text(json.dumps(manifest))
    arrays = {f"{i}/{name}": np.asarray(a) for i, p in enumerate(probes) for name, a in p.arrays.items()}
    if _loads_mnist(submission):
        arrays |= {f"mnist/{key}": value for key, value in demo_digits().items()}
    (work / "arrays.bin").write_bytes(encode_arrays(arrays))
    owner = child_uid()
    if owner is not None:
        for path in [work, *work.rglob("*")]:
            os.chown(path, owner, owner, follow_symlinks=False)


def _loads_mnist(submission: Submission) -> bool:
    return any(name.endswith((".py", ".ipynb")) and any(n.encode() in data for n in _MNIST_NAMES)
               for name, data in submission.files.items())


def demo_digits() -> dict[str, np.ndarray]:
    """A few embedded digits for a submission's own ``load_mnist`` calls (demo code, scripts)."""
    from labdata import load_mnist
    (x, t), (x_test, t_test) = load_mnist(normalize=False, dataset="mnist-10k", download=False, progress=False)
    return {"x_train": x[:1000], "t_train": t[:1000], "x_test": x_test[:200], "t_test": t_test[:200]}
