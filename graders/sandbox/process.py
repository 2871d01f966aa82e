"""Parent side: one child from start to end. It is forked by the warm zygote or started cold in bubblewrap,
watched through its progress lines against the wall-clock budgets, killed with everything it started, and
its end explained in one line (timeout, crash, memory, output). What it wrote back is read by records.py."""
from __future__ import annotations

import dataclasses
import json
import os
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from graders.sandbox import isolation, warm
from graders.sandbox.calls import ProbeResult, ProbeStatus, SandboxFailure
from graders.sandbox.isolation import GRADERS_ROOT
from graders.sandbox.limits import Limits
from graders.sandbox.records import probe_results, read_records
from graders.submission import Submission
from graders.threads import single_thread_env

_CHILD = str(Path(__file__).with_name("child.py"))
NOBODY = 65534


@dataclass
class ChildOutcome:
    """How one child's run ended, and what it brought back."""

    loaded: dict[str, Any] | None
    results: dict[str, ProbeResult]
    running: int | None          # index of the probe the child was in when it stopped
    status: ProbeStatus          # what happened to that probe (or to loading)
    death: str                   # one line saying so
    stdout: str
    stderr: str
    unit: int | None = None      # the loading unit (file, cell) it was in, if it died while loading
    spent: bool = False          # killed because the submission's whole budget ran out


def run_child(work: Path, private: Path, submission: Submission, start: int, limits: Limits, drivers: str,
              budgets: Sequence[float | None], tick: Callable[[int, int], None] | None,
              stripped: set[int], probe_ids: Sequence[str], deadline: float,
              zygote: warm.Zygote | None = None) -> ChildOutcome:
    """One child for the probes from ``start`` on: warm when a zygote is given and answers, else cold."""
    attempt = f"{start}-{len(stripped)}"
    results_path = private / f"results-{attempt}"
    out_path, err_path = private / f"stdout-{attempt}", private / f"stderr-{attempt}"
    progress_r, progress_w = os.pipe()
    with open(results_path, "wb") as results_file, open(out_path, "wb") as out, open(err_path, "wb") as err:
        args = {"graders_root": GRADERS_ROOT, "results_fd": results_file.fileno(), "progress_fd": progress_w,
                "manifest": str(work / "manifest.json"), "arrays": str(work / "arrays.bin"),
                "submission": str(work / "submission"), "entry": submission.entry, "stripped": sorted(stripped),
                "seed": submission.seed, "drivers": drivers, "start": start,
                "drop_to": NOBODY if os.geteuid() == 0 and isolation.available() else None}
        proc = _start_warm(zygote, args, (results_file.fileno(), progress_w, out.fileno(), err.fileno()), work,
                           limits) if zygote is not None else None
        if proc is None:
            command = isolation.wrap([sys.executable, "-I", _CHILD, json.dumps(args)], work,
                                     readable=[drivers] if drivers.endswith(".py") else [])
            proc = subprocess.Popen(command, cwd=work, env=child_env(work),
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
        kill_group(proc)
    records = read_records(results_path)
    loaded_record = next((h for h, _ in records if h.get("kind") == "loaded"), None) if seen.loaded else None
    results = probe_results(records, set(probe_ids))
    status, death = _cause(proc.returncode, seen.timeout, limits)
    if seen.loaded and loaded_record is None and not seen.timeout:
        status, death = "crashed", "its results could not be read: something wrote to the grader's channel"
    return ChildOutcome(loaded_record, results, seen.running, status, death,
                        _read_capped(out_path, limits), _read_capped(err_path, limits), seen.unit, seen.spent)


def _start_warm(zygote: warm.Zygote, args: dict[str, Any], fds: tuple[int, int, int, int], work: Path,
                limits: Limits) -> warm.WarmChild | None:
    """A child forked by the zygote; None when the zygote failed (the caller starts a cold one)."""
    try:
        return zygote.spawn(args, fds, work, child_env(work), dataclasses.asdict(limits))
    except warm.ZygoteFailure:
        zygote.close()
        return None


@dataclass
class _Watched:
    """What the parent knows of a running child from its progress lines, and when it must be cut off: at
    ``deadline`` (silence: loading, a call, or a long probe's ticks) or at ``ends`` (a long probe's budget)."""

    limits: Limits
    budgets: Sequence[float | None]
    tick: Callable[[int, int], None] | None = None
    ready: bool = False
    loaded: bool = False
    unit: int | None = None        # the loading unit in progress (a file or a notebook cell)
    running: int | None = None     # the probe in progress when the child stopped
    step: int | None = None        # the last progress tick of that probe
    timeout: str = ""              # why the parent killed it, if it did
    spent: bool = False            # the whole submission's time budget ran out
    deadline: float = 0.0
    ends: float = float("inf")
    why: str = ""

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.limits.load_seconds
        self.why = f"timed out after {self.limits.load_seconds:g} s"

    def read(self, line: bytes, now: float) -> None:
        """One progress line: ready, unit N, loaded, start I, tick STEP, done I."""
        limits, budgets = self.limits, self.budgets
        word, _, number = line.decode(errors="replace").partition(" ")
        if word == "ready":
            self.ready = True
        elif word == "unit" and number.isdigit():
            self.unit = int(number)
        elif word == "loaded":
            self.loaded, self.unit = True, None
        elif word == "start" and number.isdigit() and int(number) < len(budgets):
            self.running, self.step = int(number), None
            self.deadline, self.why = now + limits.probe_seconds, f"timed out after {limits.probe_seconds:g} s"
            budget = budgets[self.running]
            self.ends = now + budget if budget is not None else float("inf")
        elif word == "tick" and number.isdigit() and self.running is not None and budgets[self.running]:
            self.step = int(number)
            self.deadline = now + limits.probe_seconds
            if self.tick is not None:
                self.tick(self.running, self.step)
            self.why = f"made no progress for {limits.probe_seconds:g} s after step {self.step}"
        elif word == "done":
            self.running, self.deadline, self.ends = None, now + limits.probe_seconds, float("inf")

    def cut_off(self, spent_at: float) -> None:
        """Say why the child was killed: the submission's whole budget, silence, or a long probe's budget."""
        at = f" at step {self.step}" if self.step is not None else ""
        if spent_at <= min(self.deadline, self.ends):
            self.spent = True
            self.timeout = f"the submission used up its time budget of {self.limits.submission_seconds:g} s"
        else:
            self.timeout = self.why if self.deadline <= self.ends else \
                f"ran past its budget of {self.budgets[self.running]:g} s{at}"


def _watch(proc: subprocess.Popen, progress: int, limits: Limits, budgets: Sequence[float | None],
           tick: Callable[[int, int], None] | None = None, spent_at: float = float("inf")) -> _Watched:
    """Follow the child's progress lines, killing it when a wall-clock budget runs out.

    An ordinary probe has limits.probe_seconds. A long one (training) has its own budget
    and must tick (``tick STEP``) at least every limits.probe_seconds: slow is cut at the
    budget, stuck is cut at the first silence.
    """
    seen, buffer = _Watched(limits, budgets, tick), b""
    while True:
        remaining = min(seen.deadline, seen.ends, spent_at) - time.monotonic()
        if remaining <= 0:
            kill_group(proc)
            seen.cut_off(spent_at)
            return seen
        readable, _, _ = select.select([progress], [], [], remaining)
        if not readable:
            continue
        chunk = os.read(progress, 4096)
        if not chunk:  # the pipe closed: the child exited (or closed it; then give it until the deadline)
            try:
                proc.wait(timeout=max(0.0, min(seen.deadline, seen.ends, spent_at) - time.monotonic()))
            except subprocess.TimeoutExpired:
                kill_group(proc)
                seen.timeout = seen.why
                return seen
            if not seen.ready:
                raise SandboxFailure(f"the sandbox could not start (exit code {proc.returncode})")
            return seen
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        buffer = buffer[-256:]  # no line of ours is longer: a flood without newlines is dropped
        now = time.monotonic()
        for line in lines:
            seen.read(line, now)


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


def kill_group(proc: subprocess.Popen | warm.WarmChild) -> None:
    if isinstance(proc, warm.WarmChild):  # the zygote kills every process of the sandbox's user, then answers
        proc.kill()
        proc.wait()
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
    uid = child_uid()
    if uid is not None and uid != NOBODY:  # the PID namespace's processes are killed as it ends: see them gone
        isolation.wait_until_gone(uid)


def _read_capped(path: Path, limits: Limits) -> str:
    with open(path, "rb") as f:
        head = f.read(limits.output_bytes + 1)
    text = head[:limits.output_bytes].decode("utf-8", errors="replace")
    return text + ("\n[... output cut]\n" if len(head) > limits.output_bytes else "")


def cap(text: str, limits: Limits) -> str:
    return text if len(text) <= limits.output_bytes else text[:limits.output_bytes] + "\n[... output cut]\n"


def child_env(work: Path) -> dict[str, str]:
    """A minimal environment: nothing inherited that could leak, one BLAS thread (2 cores, shared)."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(work), "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
            "PYTHONDONTWRITEBYTECODE": "1", **single_thread_env()}


def child_uid() -> int | None:
    """Who the child runs as, when we are root: its own uid inside bubblewrap, else nobody (reduced isolation)."""
    if os.geteuid() != 0:
        return None
    return isolation.sandbox_uid() if not isolation.available() else NOBODY
