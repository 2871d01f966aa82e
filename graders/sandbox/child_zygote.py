"""The sandbox's warm start (sandbox side): one interpreter inside bubblewrap with numpy and the child's
modules already imported, forking a fresh child for each run.

Starting an interpreter and importing numpy is most of what a check costs; here it is paid once per
grading process. Each run still gets a process of its own, which becomes the sandbox's user (with no
capabilities and no way to gain any) before it reads anything of the submission. Between runs nothing
of one survives into the next: every process of the sandbox's user is killed and seen gone, the
parent empties the run's folder, and a run that leaves System V IPC objects (which outlive their
process) ends the zygote, so the next run gets a new one.

The parent (``graders.sandbox.warm``) talks over a SOCK_SEQPACKET socket, one JSON message each way:
``{"op": "run", ...}`` with four file descriptors (results, progress, stdout, stderr), answered by
``{"started": pid}`` and, when the child has ended and been cleaned up after, ``{"exit": code}``
(a negative code is a signal, as in subprocess). ``{"op": "kill"}`` ends the run early.

Usage (root inside bubblewrap): python -I child_zygote.py GRADERS_ROOT SOCKET_FD UID
"""
from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

_PR_SET_NO_NEW_PRIVS = 38
_MESSAGE = 1 << 16


def serve(channel: socket.socket, uid: int) -> None:
    import numpy  # noqa: F401  (what each child would otherwise import for itself)

    from graders.sandbox import child
    child.preload()
    channel.send(json.dumps({"ready": os.getpid()}).encode())
    while True:
        message, fds, _, _ = socket.recv_fds(channel, _MESSAGE, 4)
        if not message:
            return
        request = json.loads(message)
        if request.get("op") != "run" or len(fds) != 4:
            for fd in fds:
                os.close(fd)
            continue
        pid = os.fork()
        if pid == 0:
            channel.close()
            _become_child(request, fds, uid)
        for fd in fds:
            os.close(fd)
        channel.send(json.dumps({"started": pid}).encode())
        code = _wait(channel, pid, uid)
        clean = _clean_up(uid)
        channel.send(json.dumps({"exit": code, "clean": clean}).encode())
        if not clean:
            return


def _become_child(request: dict[str, Any], fds: list[int], uid: int) -> None:
    """In the forked process: the run's descriptors, limits, folder, environment and user; then the child's main."""
    try:
        results, progress, stdout, stderr = fds
        os.setsid()
        null = os.open(os.devnull, os.O_RDONLY)
        for source, target in ((null, 0), (stdout, 1), (stderr, 2)):
            os.dup2(source, target)
        keep = sorted({0, 1, 2, results, progress})
        for low, high in zip([-1, *keep], [*keep, 65536]):
            if low + 1 < high:  # closerange(n, n) would close every descriptor from n up
                os.closerange(low + 1, high)
        from graders.sandbox.limits import Limits
        Limits(**request["limits"]).apply()
        os.chdir(request["work"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        from graders.sandbox import child
        child.main({**request["args"], "results_fd": results, "progress_fd": progress, "drop_to": None})
    except BaseException:
        import traceback
        traceback.print_exc()
        sys.stderr.flush()
    os._exit(1)


def _wait(channel: socket.socket, pid: int, uid: int) -> int:
    """The child's exit code (negative: the signal that ended it); a kill request ends every process of ``uid``."""
    ended = os.pidfd_open(pid)
    try:
        while True:
            readable, _, _ = select.select([channel, ended], [], [])
            if ended in readable:
                _, status = os.waitpid(pid, 0)
                return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
            message = channel.recv(_MESSAGE)
            if not message:  # the parent is gone: so is this run
                _kill_all(uid)
                os._exit(0)
            if json.loads(message).get("op") == "kill":
                _kill_all(uid)
    finally:
        os.close(ended)


def _kill_all(uid: int) -> None:
    """SIGKILL every process of ``uid`` (the child and whatever it started), from a process that is that user."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)  # as this user: every process it may signal, i.e. its own, and itself
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _clean_up(uid: int) -> bool:
    """No process of ``uid`` left (killed, then seen gone) and no System V IPC object left behind."""
    deadline = time.monotonic() + 2.0
    while _runs_as(uid):
        if time.monotonic() > deadline:
            return False
        _kill_all(uid)
        time.sleep(0.005)
    return not any(Path(f"/proc/sysvipc/{kind}").read_text().count("\n") > 1 for kind in ("shm", "sem", "msg")
                   if Path(f"/proc/sysvipc/{kind}").exists())


def _runs_as(uid: int) -> bool:
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if any(line.startswith("Uid:") and int(line.split()[1]) == uid for line in status.read_text().splitlines()):
                return True
        except (OSError, ValueError, IndexError):
            continue
    return False


if __name__ == "__main__":
    sys.path.insert(0, sys.argv[1])
    serve(socket.socket(fileno=int(sys.argv[2])), int(sys.argv[3]))
