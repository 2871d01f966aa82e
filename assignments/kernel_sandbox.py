"""The notebook kernel of ``autograde``, in the same sandbox as every other run of student code.

nbgrader executes each submitted notebook in a Jupyter kernel. Here that kernel is started through
this module (a kernelspec whose command is ``python -m assignments.kernel_sandbox CONNECTION_FILE``):
it runs ipykernel inside bubblewrap, as the sandbox's own uid, seeing the interpreter, the graders
(its test cells judge in the kernel) and the digits read-only, the student's autograded folder and
the kernel's socket folder writable, and nothing else: not the course's source notebook, not the
other students, not the solution. The kernel talks to nbgrader over Unix sockets (ZMQ's ipc
transport) in a folder given to the sandbox's uid and bound at the same path inside, so it needs no
network at all. nbgrader runs one kernel at a time, so one folder of sockets serves a whole run.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from graders.sandbox import isolation, leftovers

KERNEL_NAME = "backprop-lab-sandbox"


@contextmanager
def sandboxed_kernels(course: Path) -> Iterator[dict]:
    """Within the block, the kernelspec and runtime folder nbgrader's kernels need; yields the traitlets config
    to give nbgrader (empty when bubblewrap is unusable: the kernel then runs as before, and says so)."""
    if isolation.available():
        yield {}
        return
    uid = isolation.sandbox_uid()
    saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "BACKPROP_LAB_KERNELS", "BACKPROP_LAB_COURSE",
                                              "BACKPROP_LAB_UID")}
    leftovers.sweep()
    with tempfile.TemporaryDirectory(prefix=leftovers.prefix("kernels")) as top:
        spec = Path(top) / "kernels" / KERNEL_NAME
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "assignments.kernel_sandbox", "{connection_file}"],
            "display_name": "Python 3 (backprop-lab sandbox)", "language": "python",
            "interrupt_mode": "message"}))  # a signal would reach bwrap, not the kernel: ask the kernel itself
        sockets = Path(top) / "sockets"
        sockets.mkdir()
        if uid is not None:
            os.chown(sockets, uid, uid)
        os.chmod(top, 0o755)
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (top, saved["JUPYTER_PATH"]) if p)
        os.environ["BACKPROP_LAB_KERNELS"] = str(sockets)
        os.environ["BACKPROP_LAB_COURSE"] = str(course.resolve())
        os.environ["BACKPROP_LAB_UID"] = "" if uid is None else str(uid)  # the kernels' launcher is another process
        try:
            yield {"Execute": {"kernel_name": KERNEL_NAME},
                   "KernelManager": {"transport": "ipc", "ip": str(sockets / "kernel")}}
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def launch(connection_file: str) -> None:
    """Become the sandboxed kernel (runs as the process jupyter_client started, in the notebook's folder)."""
    folder, connection = Path.cwd().resolve(), Path(connection_file).resolve()
    autograded = Path(os.environ["BACKPROP_LAB_COURSE"]) / "autograded"
    sockets = Path(os.environ["BACKPROP_LAB_KERNELS"])
    info = json.loads(connection.read_text())
    if autograded not in folder.parents or info.get("transport") != "ipc" or Path(info["ip"]).parent != sockets:
        raise SystemExit(f"backprop-lab kernel: not a student's folder under {autograded} with sockets in {sockets}")
    uid = int(os.environ["BACKPROP_LAB_UID"]) if os.environ.get("BACKPROP_LAB_UID") else None
    if uid is not None:
        isolation.wait_until_gone(uid)  # the previous student's kernel, if any, has ended
    _empty(sockets)  # nothing the previous kernel left (files, links, fake sockets) reaches this one
    inside = _private_file(sockets / "connection.json", json.dumps(info), uid)  # the kernel's own copy
    home = sockets / "home"  # caches and IPython's history: not in the student's folder, so not in the feedback
    home.mkdir(mode=0o700)
    if uid is not None:  # the student's copy belongs to the sandbox's user
        for path in [folder, *folder.rglob("*"), home]:
            os.chown(path, uid, uid, follow_symlinks=False)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
           "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    command = isolation.wrap([sys.executable, "-m", "ipykernel_launcher", "-f", str(inside)], folder,
                             writable=[str(sockets)], all_graders=True, uid=uid)
    quiet = os.open(os.devnull, os.O_WRONLY)  # the kernel's own banner, and any raw fd write of the student's,
    os.dup2(quiet, 1)                         # stay out of the instructor's terminal (cell output goes over ZMQ)
    os.dup2(quiet, 2)
    os.execvpe(command[0], command, env)


def _empty(folder: Path) -> None:
    """Remove everything in ``folder`` (a student's kernel could write there), following no link."""
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _private_file(path: Path, text: str, uid: int | None) -> Path:
    """A new file readable only by ``uid``; never one a link points to (O_EXCL, O_NOFOLLOW)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(text)
        if uid is not None:
            os.fchown(file.fileno(), uid, uid)
    return path


if __name__ == "__main__":
    launch(sys.argv[1])
