"""The parent side of the sandbox: start a child, watch it, read back its arrays.

One child runs every probe, so a normal check pays for one interpreter start. If the
child dies in the middle of probe k (os._exit, a signal, a timeout, memory, output),
probe k gets that status, earlier results stand, and the probes after k run again in a
fresh child: one bad method does not take the whole submission down with it.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Literal, Mapping, Sequence

import numpy as np

from graders.sandbox import isolation, leftovers, warm
from graders.sandbox.limits import Limits
from graders.sandbox.transport import InvalidOutput, decode, encode_arrays
from graders.submission import Submission

ProbeStatus = Literal["ok", "raised", "timeout", "crashed", "memory", "output", "invalid", "skipped"]
_GRADERS_ROOT = str(Path(__file__).resolve().parents[2])
_CHILD = str(Path(__file__).with_name("child.py"))
_NOBODY = 65534
_MAX_STRIPPED = 4  # loading units rerun without their demo code before loading is given up
_MNIST_NAMES = ("load_mnist", "dataset.mnist", "dataset import mnist")


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
                                  # at least every Limits.probe_seconds, or it counts as stuck


@dataclass(frozen=True)
class ProbeResult:
    id: str
    status: ProbeStatus
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    error: str = ""                    # one line, e.g. "ZeroDivisionError: division by zero (layers.py, line 12)"
    nones: tuple[str, ...] = ()        # outputs that came back as None (a missing return)
    errors: dict[str, str] = field(default_factory=dict)  # outputs whose own call raised, when others went on


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
    results: dict[str, ProbeResult] = {}
    names: dict[str, list[str]] = {}
    loading: dict[str, Any] = {}
    load_error, stdout, stderr, children, loaded = "", "", "", 0, True
    # Two directories: the child's own (it may write there) and the parent's (results and output, 0700).
    leftovers.sweep()
    zygote = warm.ready_zygote() if not drivers.endswith(".py") else None  # a test's own drivers: a cold child
    with tempfile.TemporaryDirectory(prefix=leftovers.prefix()) as private, _work_folder(zygote) as work:
        _prepare_workdir(work, submission, probes)
        start, stripped, why_stripped = 0, set(), {}
        spent_at = time.monotonic() + limits.submission_seconds + sum(p.seconds or 0.0 for p in probes)
        while start < len(probes):
            children += 1
            tick = (lambda index, step: on_tick(probes[index], step)) if on_tick else None
            outcome = _run_child(work, Path(private), submission, start, limits, drivers, [p.seconds for p in probes],
                                 tick, stripped, ids, spent_at, zygote)
            stdout, stderr = _cap(stdout + outcome.stdout, limits), _cap(stderr + outcome.stderr, limits)
            if outcome.spent:  # the whole submission is out of time: what is not done yet times out
                if outcome.loaded is not None and not names:
                    names, load_error = outcome.loaded["names"], outcome.loaded["load_error"]
                    loading = _loading_record(outcome.loaded, why_stripped)
                results.update({i: r for i, r in outcome.results.items() if i not in results})
                results.update({p.id: ProbeResult(p.id, "timeout", error=outcome.death)
                                for p in probes if p.id not in results})
                loaded, load_error = bool(names), load_error or ("" if names else outcome.death)
                break
            if outcome.loaded is None and outcome.unit is not None and outcome.unit not in stripped \
                    and len(stripped) < _MAX_STRIPPED:
                # one file or cell hung or died while loading: load it again without its demo code
                stripped.add(outcome.unit)
                why_stripped[outcome.unit] = outcome.death
                continue
            if outcome.loaded is None:  # died or hung before the submission finished loading
                reason = f"while loading the submission: {outcome.death}"
                results.update({p.id: ProbeResult(p.id, outcome.status, error=reason) for p in probes[start:]})
                load_error = load_error or reason
                loaded = bool(names)  # a restart that fails to load still has the first child's names
                break
            if not names:
                names, load_error = outcome.loaded["names"], outcome.loaded["load_error"]
                loading = _loading_record(outcome.loaded, why_stripped)
            pending = {p.id for p in probes[start:]}
            results.update({i: r for i, r in outcome.results.items() if i in pending})
            done = next((k for k in range(start, len(probes)) if probes[k].id not in results), len(probes))
            if done == len(probes):
                break
            if outcome.running == done:  # it died in this probe: that probe alone pays
                results[probes[done].id] = ProbeResult(probes[done].id, outcome.status, error=outcome.death)
                start = done + 1
            elif done > start:  # it stopped between probes (after a memory or output failure): go on
                start = done
            else:  # no progress at all: give up on the rest rather than loop
                results.update({p.id: ProbeResult(p.id, "crashed", error=outcome.death or "no result came back")
                                for p in probes[done:]})
                break
    return SandboxRun(results={i: results[i] for i in ids}, names=names, load_error=load_error, loaded=loaded,
                      stdout=stdout, stderr=stderr, children=children, graded=loading.get("graded", {}),
                      findings=loading.get("findings", []), classes=loading.get("classes", []),
                      units=loading.get("units", []),
                      skipped=submission.skipped)


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


@dataclass
class _ChildOutcome:
    loaded: dict[str, Any] | None
    results: dict[str, ProbeResult]
    running: int | None          # index of the probe the child was in when it stopped
    status: ProbeStatus          # what happened to that probe (or to loading)
    death: str                   # one line saying so
    stdout: str
    stderr: str
    unit: int | None = None      # the loading unit (file, cell) it was in, if it died while loading
    spent: bool = False          # killed because the submission's whole budget ran out


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
    owner = _child_uid()
    if owner is not None:
        for path in [work, *work.rglob("*")]:
            os.chown(path, owner, owner, follow_symlinks=False)


def _child_uid() -> int | None:
    """Who the child runs as, when we are root: its own uid inside bubblewrap, else nobody (reduced isolation)."""
    if os.geteuid() != 0:
        return None
    return isolation.sandbox_uid() if not isolation.available() else _NOBODY


def _loads_mnist(submission: Submission) -> bool:
    return any(name.endswith((".py", ".ipynb")) and any(n.encode() in data for n in _MNIST_NAMES)
               for name, data in submission.files.items())


def demo_digits() -> dict[str, np.ndarray]:
    """A few embedded digits for a submission's own ``load_mnist`` calls (demo code, scripts)."""
    from labdata import load_mnist
    (x, t), (x_test, t_test) = load_mnist(normalize=False, dataset="mnist-10k", download=False, progress=False)
    return {"x_train": x[:1000], "t_train": t[:1000], "x_test": x_test[:200], "t_test": t_test[:200]}


def _loading_record(record: dict[str, Any], why_stripped: dict[int, str]) -> dict[str, Any]:
    """The child's account of loading, checked for shape (it crossed from untrusted code's process)."""
    def plain(value: Any, kinds: tuple[type, ...]) -> Any:
        return value if isinstance(value, kinds) else kinds[0]()

    graded = {str(k): {"name": str(v.get("name", "")), "file": str(v.get("file", "")), "line": int(v.get("line", 1)),
                       "others": [str(o) for o in plain(v.get("others"), (list,))][:20], "script": bool(v.get("script"))}
              for k, v in plain(record.get("graded"), (dict,)).items() if isinstance(v, dict)}
    units = [str(u) for u in plain(record.get("units"), (list,))]
    findings = []
    for f in plain(record.get("findings"), (list,))[:50]:
        if not isinstance(f, dict):
            continue
        finding = {"kind": str(f.get("kind", "")), "file": str(f.get("file", "")), "line": int(f.get("line", 1)),
                   "error": str(f.get("error", ""))[:300], "module": str(f.get("module", ""))[:100],
                   "components": [str(c) for c in plain(f.get("components"), (list,))][:20]}
        if finding["kind"] == "stripped":
            unit = units.index(finding["file"]) if finding["file"] in units else None
            finding["error"] = why_stripped.get(unit, "") if unit is not None else ""
        findings.append(finding)
    return {"graded": graded, "findings": findings, "units": units[:200],
            "classes": [str(c) for c in plain(record.get("classes"), (list,))][:500]}


def _run_child(work: Path, private: Path, submission: Submission, start: int, limits: Limits, drivers: str,
               budgets: Sequence[float | None], tick: Callable[[int, int], None] | None,
               stripped: set[int], probe_ids: Sequence[str], deadline: float,
               zygote: warm.Zygote | None = None) -> _ChildOutcome:
    attempt = f"{start}-{len(stripped)}"
    results_path = private / f"results-{attempt}"
    out_path, err_path = private / f"stdout-{attempt}", private / f"stderr-{attempt}"
    progress_r, progress_w = os.pipe()
    with open(results_path, "wb") as results_file, open(out_path, "wb") as out, open(err_path, "wb") as err:
        args = {"graders_root": _GRADERS_ROOT, "results_fd": results_file.fileno(), "progress_fd": progress_w,
                "manifest": str(work / "manifest.json"), "arrays": str(work / "arrays.bin"),
                "submission": str(work / "submission"), "entry": submission.entry, "stripped": sorted(stripped),
                "seed": int(submission.digest[:16], 16), "drivers": drivers, "start": start,
                "drop_to": _NOBODY if os.geteuid() == 0 and isolation.available() else None}
        proc = _start_warm(zygote, args, (results_file.fileno(), progress_w, out.fileno(), err.fileno()), work,
                           limits) if zygote is not None else None
        if proc is None:
            command = isolation.wrap([sys.executable, "-I", _CHILD, json.dumps(args)], work,
                                     readable=[drivers] if drivers.endswith(".py") else [])
            proc = subprocess.Popen(command, cwd=work, env=_child_env(work),
                                    stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True,
                                    pass_fds=(results_file.fileno(), progress_w), preexec_fn=limits.apply)
    os.close(progress_w)
    try:
        seen = _watch(proc, progress_r, limits, budgets, tick, deadline)
    except SandboxFailure as exc:
        last = (_read_capped(err_path, limits).strip().splitlines() or [""])[-1]
        raise SandboxFailure(f"{exc}: {last}") from None
    finally:
        os.close(progress_r)
        _kill_group(proc)
    records = _read_records(results_path)
    loaded_record = next((h for h, _ in records if h.get("kind") == "loaded"), None) if seen.loaded else None
    results = _probe_results(records, set(probe_ids))
    status, death = _cause(proc.returncode, seen.timeout, limits)
    if seen.loaded and loaded_record is None and not seen.timeout:
        status, death = "crashed", "its results could not be read: something wrote to the grader's channel"
    return _ChildOutcome(loaded_record, results, seen.running, status, death,
                         _read_capped(out_path, limits), _read_capped(err_path, limits), seen.unit, seen.spent)


def _start_warm(zygote: warm.Zygote, args: dict[str, Any], fds: tuple[int, int, int, int], work: Path,
                limits: Limits) -> warm.WarmChild | None:
    """A child forked by the zygote; None when the zygote failed (the caller starts a cold one)."""
    try:
        return zygote.spawn(args, fds, work, _child_env(work), dataclasses.asdict(limits))
    except warm.ZygoteFailure:
        zygote.close()
        return None


@dataclass
class _Watched:
    loaded: bool = False
    unit: int | None = None        # the loading unit in progress (a file or a notebook cell)
    running: int | None = None     # the probe in progress when the child stopped
    step: int | None = None        # the last progress tick of that probe
    timeout: str = ""              # why the parent killed it, if it did
    spent: bool = False            # the whole submission's time budget ran out


def _watch(proc: subprocess.Popen, progress: int, limits: Limits, budgets: Sequence[float | None],
           tick: Callable[[int, int], None] | None = None, spent_at: float = float("inf")) -> _Watched:
    """Follow the child's progress lines, killing it when a wall-clock budget runs out.

    An ordinary probe has limits.probe_seconds. A long one (training) has its own budget
    and must tick (``tick STEP``) at least every limits.probe_seconds: slow is cut at the
    budget, stuck is cut at the first silence.
    """
    seen, ready, buffer = _Watched(), False, b""
    deadline, ends, why = time.monotonic() + limits.load_seconds, float("inf"), f"timed out after {limits.load_seconds:g} s"
    while True:
        remaining = min(deadline, ends, spent_at) - time.monotonic()
        if remaining <= 0:
            _kill_group(proc)
            at = f" at step {seen.step}" if seen.step is not None else ""
            if spent_at <= min(deadline, ends):
                seen.spent = True
                seen.timeout = f"the submission used up its time budget of {limits.submission_seconds:g} s"
            else:
                seen.timeout = why if deadline <= ends else f"ran past its budget of {budgets[seen.running]:g} s{at}"
            return seen
        readable, _, _ = select.select([progress], [], [], remaining)
        if not readable:
            continue
        chunk = os.read(progress, 4096)
        if not chunk:  # the pipe closed: the child exited (or closed it; then give it until the deadline)
            try:
                proc.wait(timeout=max(0.0, min(deadline, ends, spent_at) - time.monotonic()))
            except subprocess.TimeoutExpired:
                _kill_group(proc)
                seen.timeout = why
                return seen
            if not ready:
                raise SandboxFailure(f"the sandbox could not start (exit code {proc.returncode})")
            return seen
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        buffer = buffer[-256:]  # no line of ours is longer: a flood without newlines is dropped
        now = time.monotonic()
        for line in lines:
            word, _, number = line.decode(errors="replace").partition(" ")
            if word == "ready":
                ready = True
            elif word == "unit" and number.isdigit():
                seen.unit = int(number)
            elif word == "loaded":
                seen.loaded, seen.unit = True, None
            elif word == "start" and number.isdigit() and int(number) < len(budgets):
                seen.running, seen.step = int(number), None
                deadline, why = now + limits.probe_seconds, f"timed out after {limits.probe_seconds:g} s"
                budget = budgets[seen.running]
                ends = now + budget if budget is not None else float("inf")
            elif word == "tick" and number.isdigit() and seen.running is not None and budgets[seen.running]:
                seen.step = int(number)
                deadline = now + limits.probe_seconds
                if tick is not None:
                    tick(seen.running, seen.step)
                why = f"made no progress for {limits.probe_seconds:g} s after step {seen.step}"
            elif word == "done":
                seen.running, deadline, ends = None, now + limits.probe_seconds, float("inf")


def _cause(returncode: int | None, timeout: str, limits: Limits) -> tuple[ProbeStatus, str]:
    if timeout:
        return "timeout", timeout
    if returncode is not None and returncode < 0:
        sig = signal.Signals(-returncode)
        if sig == signal.SIGXCPU:
            return "timeout", f"used more than {limits.cpu_seconds} s of CPU time"
        if sig == signal.SIGKILL:
            return "memory", "killed (SIGKILL), most likely for using too much memory"
        return "crashed", f"the process died of {sig.name}"
    if returncode == 0:
        return "crashed", "the process exited in the middle of the call (os._exit?)"
    return "crashed", f"the process exited with code {returncode} in the middle of the call (os._exit?)"


def _kill_group(proc: subprocess.Popen | warm.WarmChild) -> None:
    if isinstance(proc, warm.WarmChild):  # the zygote kills every process of the sandbox's user, then answers
        proc.kill()
        proc.wait()
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
    uid = _child_uid()
    if uid is not None and uid != _NOBODY:  # the PID namespace's processes are killed as it ends: see them gone
        isolation.wait_until_gone(uid)


_STATUSES = {"ok", "raised", "timeout", "crashed", "memory", "output", "invalid"}


def _probe_results(records: list[tuple[dict[str, Any], dict[str, np.ndarray]]], ids: set[str]) -> dict[str, ProbeResult]:
    """Probe results from the child's records, trusting nothing about them: the child's process also ran the
    student's code, which can write to the channel. A malformed record, or a second one for the same call,
    makes that call "invalid"; a record for a call that was never asked for is ignored."""
    results: dict[str, ProbeResult] = {}
    for header, arrays in records:
        probe = header.get("id") if header.get("kind") == "probe" else None
        if not isinstance(probe, str) or probe not in ids:
            continue
        if probe in results:
            results[probe] = ProbeResult(probe, "invalid", error="more than one result came back for this call: "
                                                                 "something wrote to the grader's channel")
            continue
        try:
            status, error = header["status"], header.get("error", "")
            nones, errors = header.get("nones", []), header.get("errors", {})
            if status not in _STATUSES or not isinstance(error, str) or not isinstance(nones, list) \
                    or not isinstance(errors, dict) or not all(isinstance(n, str) for n in nones):
                raise ValueError
            results[probe] = ProbeResult(probe, status, arrays if status == "ok" else {}, error[:300],
                                         tuple(n[:100] for n in nones[:50]),
                                         {str(k)[:100]: str(v)[:300] for k, v in list(errors.items())[:50]})
        except (KeyError, ValueError, TypeError):
            results[probe] = ProbeResult(probe, "invalid", error="a malformed result came back for this call")
    return results


def _read_records(path: Path) -> list[tuple[dict[str, Any], dict[str, np.ndarray]]]:
    records = []
    try:
        for record in decode(path.read_bytes()):
            records.append(record)
    except (InvalidOutput, ValueError, KeyError, OSError, RecursionError, TypeError):
        pass  # a record that is not ours (the student wrote to the channel) ends the list
    return records


def _read_capped(path: Path, limits: Limits) -> str:
    with open(path, "rb") as f:
        head = f.read(limits.output_bytes + 1)
    text = head[:limits.output_bytes].decode("utf-8", errors="replace")
    return text + ("\n[... output cut]\n" if len(head) > limits.output_bytes else "")


def _cap(text: str, limits: Limits) -> str:
    return text if len(text) <= limits.output_bytes else text[:limits.output_bytes] + "\n[... output cut]\n"


def _child_env(work: Path) -> dict[str, str]:
    """A minimal environment: nothing inherited that could leak, one BLAS thread (2 cores, shared)."""
    single = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    return {"PATH": "/usr/bin:/bin", "HOME": str(work), "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
            "PYTHONDONTWRITEBYTECODE": "1", **single}
