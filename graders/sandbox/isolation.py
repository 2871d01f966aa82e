"""Parent side: the walls around the sandbox child, built with bubblewrap (Flatpak's sandbox).

Each child gets its own mount, PID, IPC, UTS and network namespaces. It sees, read-only, only
what running it needs: the system's libraries, the interpreter and its packages, and the few
grader modules that run beside student code (``graders/sandbox``, ``graders/probes``,
``graders/textbook.py``); its own work folder is the one writable place, with a private
``/tmp`` and ``/dev/shm``. Not the solution, not the oracles, not the class folder, not other
processes. When the grader runs as root, the child runs as a uid of its own (one per grading
process, so concurrent students never share an identity or a process limit); when bwrap
dies every process the student started dies with it (the PID namespace ends).

Where bubblewrap is missing or namespaces are not allowed, ``wrap`` returns the command as it
is and ``available()`` says why, so every report can say in one line that isolation was reduced.
"""
from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

_GRADERS = Path(__file__).resolve().parents[1]
GRADERS_ROOT = str(_GRADERS.parent)  # what a child puts on sys.path to import the child side
# The grader code the child imports: everything else under graders/ (oracles, derivations, checks) stays out.
CHILD_SIDE = ("__init__.py", "components.py", "textbook.py", "notebooks.py", "sandbox", "probes")
SYSTEM = ("/usr", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
          "/etc/localtime", "/etc/fonts")
UID_BASE = 200_000  # sandbox uids: UID_BASE + a slot per grading process; no account owns them


_seen_working = False


def seen_working() -> None:
    """A sandbox just started here (the warm zygote answered): ``available()`` need not start one to find out."""
    global _seen_working
    _seen_working = True


def unavailable_at_a_glance() -> str:
    """Why bubblewrap cannot be used, from what costs nothing to look at (the setting, the binary); else ''."""
    if os.environ.get("BACKPROP_LAB_ISOLATION", "").lower() == "off":
        return "turned off (BACKPROP_LAB_ISOLATION=off)"
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed"
    return ""


def available() -> str:
    """'' when bubblewrap works here, else one line saying why not."""
    return unavailable_at_a_glance() or ("" if _seen_working else _probe())


@functools.lru_cache(maxsize=1)
def _probe() -> str:
    """Start a sandbox that runs /usr/bin/true: namespaces may be forbidden where bwrap is installed."""
    try:
        with tempfile.TemporaryDirectory(prefix=f"backprop-lab-{os.getpid()}-probe-") as work:
            os.chmod(work, 0o755)
            probe = subprocess.run(wrap(["/usr/bin/true"], Path(work), check=False), capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bubblewrap cannot run: {exc}"
    if probe.returncode != 0:
        reason = probe.stderr.decode(errors="replace").strip().splitlines()
        return f"bubblewrap cannot create namespaces here: {reason[-1] if reason else probe.returncode}"
    return ""


def sandbox_uid() -> int | None:
    """The child's own uid when we are root (a slot per grading process), else None: we cannot switch."""
    return UID_BASE + os.getpid() % 60_000 if os.geteuid() == 0 else None


def wrap(command: list[str], work: Path, *, check: bool = True, readable: Sequence[str] = (),
         writable: Sequence[str] = (), all_graders: bool = False, uid: int | None = None,
         switch_user: bool = True) -> list[str]:
    """``command`` inside bwrap, with ``work`` as its working folder; ``readable`` and ``writable`` paths
    besides the usual (a test's own drivers; a kernel's sockets); ``all_graders``: the whole graders package
    and the digits instead of the child side alone (nbgrader's in-kernel tests judge there). Unchanged if
    bwrap is unusable. ``uid``: whom to run as (when root), by default this process's sandbox uid;
    ``switch_user=False`` leaves the command root inside, to switch each process it forks itself (the zygote)."""
    if check and available():
        return command
    args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-ipc", "--unshare-pid", "--unshare-net",
            "--unshare-uts", "--unshare-cgroup-try"]
    uid = uid if uid is not None or os.geteuid() != 0 else sandbox_uid()
    if uid is None:
        args.append("--unshare-user")  # unprivileged: a user namespace of our own, mapped to ourselves
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/dev/shm"]
    args += ["--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin"]
    made: set[str] = {"/", "/tmp", "/dev", "/proc", "/usr"}
    for path in [*_readable_paths(all_graders), *readable]:
        args += _parents(path, made) + ["--ro-bind", path, path]
    for path in writable:
        args += _parents(path, made) + ["--bind", path, path]
    for hidden in _solution_paths():
        args += ["--tmpfs", hidden]
    work_path = str(work.resolve())
    args += _parents(work_path, made) + ["--bind", work_path, work_path, "--chdir", work_path]
    if uid is not None and switch_user:  # become the sandbox's own user before anything of ours or the student's
        args += ["--", "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
                 "--bounding-set=-all", "--"]
    else:
        args += ["--"]
    return args + command


@functools.lru_cache(maxsize=2)
def _readable_paths(all_graders: bool = False) -> tuple[str, ...]:
    """Read-only in the sandbox: the system, the interpreter (wherever it lives) and the child-side grader code."""
    paths = [p for p in SYSTEM if os.path.exists(p)]
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
        if not prefix.startswith("/usr"):
            paths.append(prefix)
    venv = Path(sys.executable).parent.parent  # a virtualenv the interpreter was started from, even with -S
    if (venv / "pyvenv.cfg").is_file():
        paths.append(str(venv))
    executable = os.path.realpath(sys.executable)
    if not any(executable.startswith(p.rstrip("/") + "/") for p in paths):
        paths.append(os.path.dirname(executable))
    if all_graders:
        import labdata
        paths += [str(_GRADERS), str(Path(labdata.__file__).resolve().parent)]
    else:
        paths += [str(_GRADERS / name) for name in CHILD_SIDE]
    return tuple(sorted(set(paths), key=lambda p: (p.count("/"), p)))


@functools.lru_cache(maxsize=1)
def _solution_paths() -> tuple[str, ...]:
    """Where the solution or the assignments may sit inside a bound folder (an installed copy in site-packages):
    covered by an empty folder."""
    hidden = []
    for name in ("reference", "assignments"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        for location in (spec.submodule_search_locations or []) if spec else []:
            if any(location.startswith(p.rstrip("/") + "/") for p in _readable_paths()):
                hidden.append(location)
    return tuple(hidden)


def _parents(path: str, made: set[str]) -> list[str]:
    """Folders leading to ``path``, made traversable (0755) in the sandbox's own root even where the real ones
    are not (an interpreter under /root)."""
    out = []
    parts = Path(path).parts
    for i in range(2, len(parts)):
        parent = "/".join(("",) + parts[1:i])
        if parent not in made:
            made.add(parent)
            out += ["--perms", "0755", "--dir", parent]
    return out


def wait_until_gone(uid: int, seconds: float = 2.0) -> None:
    """Wait until no process runs as ``uid``: when a sandbox's PID namespace ends, the kernel kills what is left
    in it, but their exits land a moment after bwrap's own. Only waits: from out here a uid is not proof that a
    process is this sandbox's (a nbgrader kernel runs as the same uid beside the regrade), so nothing is killed
    by uid outside a namespace."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_owner(status) == uid for status in Path("/proc").glob("[0-9]*/status")):
        time.sleep(0.01)


def _owner(status: Path) -> int | None:
    """The real uid of a living process (None for a zombie: it has ended, only its parent has not read so yet)."""
    try:
        for line in status.read_text().splitlines():
            if line.startswith("State:") and line.split()[1] == "Z":
                return None
            if line.startswith("Uid:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None
