"""Parent side of the warm start: a zygote per grading process, started once, forking a child per run.

A cold child costs an interpreter start, numpy's import and a bubblewrap sandbox: about 0.13 s of CPU,
most of a check. The zygote (``child_zygote.py``) pays that once, inside the same bubblewrap walls, and
forks a child per run that drops to the sandbox's user before it touches the submission. Children of
the zygote run one at a time; after each, every process of the sandbox's user is killed and the run's
folder (``spool/RUN``) removed, so nothing of one submission reaches the next.

Only where the walls hold: bubblewrap usable and the grader root (the zygote must switch users; were
it the student's own user, a child could reach into it). Elsewhere ``zygote()`` is None and the runner
starts cold children as before. ``BACKPROP_LAB_WARM=off`` turns it off.
"""
from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from graders.sandbox import isolation, leftovers
from graders.threads import single_thread_env

_ZYGOTE = str(Path(__file__).with_name("child_zygote.py"))
_MESSAGE = 1 << 16


class ZygoteFailure(RuntimeError):
    """The zygote itself failed (not a child): the run falls back to a cold child."""


class WarmChild:
    """A child forked by the zygote, with the parts of ``subprocess.Popen`` the runner uses."""

    def __init__(self, zygote: "Zygote", pid: int) -> None:
        self.zygote, self.pid, self.returncode = zygote, pid, None

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            try:
                self.returncode = self.zygote.exit_code(timeout)
            except ZygoteFailure:  # the zygote died, and its PID namespace with it: the child was killed
                self.zygote.close()
                self.returncode = -9
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            self.zygote.send({"op": "kill"})


class Zygote:
    """One warm interpreter in bubblewrap, as the grading process's sandbox user; see the module's docstring."""

    def __init__(self) -> None:
        leftovers.sweep()
        self.uid = isolation.sandbox_uid()
        self.spool = Path(tempfile.mkdtemp(prefix=leftovers.prefix("spool")))
        os.chmod(self.spool, 0o755)
        self.channel, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1",
               **single_thread_env()}
        command = isolation.wrap([sys.executable, "-I", _ZYGOTE, isolation.GRADERS_ROOT, str(theirs.fileno()), str(self.uid)],
                                 self.spool, switch_user=False, check=False)  # its answer is the probe
        self.process = subprocess.Popen(command, cwd=self.spool, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, pass_fds=(theirs.fileno(),),
                                        start_new_session=True)
        theirs.close()
        self.owner = os.getpid()  # a worker forked from this process needs a zygote of its own
        self.ready = False
        self.running: WarmChild | None = None

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Block until the zygote has its imports done (it answers ``ready``)."""
        if self.ready:
            return
        self.channel.settimeout(timeout)
        try:
            answer = json.loads(self.channel.recv(_MESSAGE) or b"{}")
        except (OSError, ValueError) as exc:
            answer = {"error": str(exc)}
        finally:
            self.channel.settimeout(None)
        if "ready" not in answer:
            global _failed_here
            _failed_here = True  # namespaces may be forbidden here: cold children, which say so in the report
            self.close()
            raise ZygoteFailure(f"the warm sandbox did not start: {self._stderr() or answer}")
        isolation.seen_working()
        self.ready = True

    def run_folder(self) -> Path:
        """A fresh folder for one run, inside the zygote's spool (the only place its children may write)."""
        return Path(tempfile.mkdtemp(prefix="run-", dir=self.spool))

    def spawn(self, args: dict[str, Any], fds: tuple[int, int, int, int], work: Path, env: dict[str, str],
              limits: dict[str, Any]) -> WarmChild:
        """Fork a child for ``args`` (the cold child's arguments) with results, progress, stdout, stderr."""
        self.wait_ready()
        request = {"op": "run", "args": args, "work": str(work), "env": env, "limits": limits}
        try:
            socket.send_fds(self.channel, [json.dumps(request).encode()], list(fds))
            answer = json.loads(self.channel.recv(_MESSAGE) or b"{}")
        except (OSError, ValueError) as exc:
            raise ZygoteFailure(f"the warm sandbox stopped answering: {exc}") from None
        if "started" not in answer:
            raise ZygoteFailure(f"the warm sandbox did not fork: {answer}")
        self.running = WarmChild(self, answer["started"])
        return self.running

    def exit_code(self, timeout: float | None) -> int:
        self.channel.settimeout(timeout)
        try:
            message = self.channel.recv(_MESSAGE)
        except socket.timeout:
            raise subprocess.TimeoutExpired("zygote child", timeout) from None
        except OSError as exc:
            raise ZygoteFailure(f"the warm sandbox stopped answering: {exc}") from None
        finally:
            self.channel.settimeout(None)
        answer = json.loads(message or b"{}")
        if "exit" not in answer:
            raise ZygoteFailure(f"the warm sandbox ended: {self._stderr()}")
        if not answer.get("clean", False):
            self.close()  # something outlived its run: the next run gets a new zygote
        self.running = None
        return int(answer["exit"])

    def send(self, message: dict[str, Any]) -> None:
        try:
            self.channel.send(json.dumps(message).encode())
        except OSError:
            pass

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """End the zygote (idempotent); its spool goes unless a run still works there."""
        self.channel.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
        isolation.wait_until_gone(self.uid)
        if self.spool.is_dir() and not any(self.spool.iterdir()):  # else a run still works there: it removes it
            shutil.rmtree(self.spool, ignore_errors=True)

    def _stderr(self) -> str:
        if self.process.poll() is None:
            return ""
        lines = (self.process.stderr.read() or b"").decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else f"exit code {self.process.returncode}"


_current: Zygote | None = None
_lock = threading.Lock()
_failed_here = False


def usable() -> bool:
    """Warm children where the walls hold: bubblewrap works, we are root, and nobody turned it off."""
    return (os.environ.get("BACKPROP_LAB_WARM", "").lower() != "off" and os.geteuid() == 0
            and not isolation.unavailable_at_a_glance() and not _failed_here)


def zygote() -> Zygote | None:
    """This process's zygote, started on first use (and again after one ended); None where not usable."""
    global _current
    if not usable():
        return None
    with _lock:
        if _current is not None and _current.owner != os.getpid():
            _current = None  # inherited by fork: the parent's, not ours to use or close
        if _current is not None and (not _current.alive() or _current.channel.fileno() < 0):
            _current.close()
            _current = None
        if _current is None:
            _current = Zygote()
            atexit.register(_close_if_ours, _current)
        return _current


def _close_if_ours(zygote: Zygote) -> None:
    """At exit, without waiting: the zygote reads the closed channel as its cue to end (and bubblewrap ends it
    with this process anyway); its spool goes now. Waiting would add its teardown to every cold check."""
    if zygote.owner == os.getpid():
        zygote.channel.close()
        shutil.rmtree(zygote.spool, ignore_errors=True)


def ready_zygote() -> Zygote | None:
    """This process's zygote once it has answered; None where warm children are not usable or it failed to start."""
    current = zygote()
    if current is None:
        return None
    try:
        current.wait_ready()
    except ZygoteFailure:
        return None
    return current


def prestart() -> None:
    """Start the zygote now, so that its imports overlap the caller's (a cold ``check``)."""
    zygote()
