"""The sandbox's child process: load the submission, run probes, write results.

Runs under the limits in ``Limits`` as an unprivileged user. It reads every probe
before any student code runs, reports progress on a pipe (``loaded``, ``start i``,
``tick step``, ``done i``) so the parent knows which probe was running if the process dies, and
ends with ``os._exit`` so nothing the student registered (atexit, threads) runs after.

Usage: python -I child.py ARGS_JSON
"""
from __future__ import annotations

import builtins
import errno
import importlib
import importlib.util
import inspect
import json
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np


ERRORS = "__errors__"  # a driver may return {output name: exception} under this key, for calls that raised


def main(args: dict[str, Any]) -> None:
    sys.path.insert(0, args["graders_root"])
    from graders.sandbox.transport import InvalidOutput, encode, load_arrays, to_plain_array
    from graders.submission import BOOK_FILES

    results = os.fdopen(args["results_fd"], "ab", buffering=0)
    progress = os.fdopen(args["progress_fd"], "wb", buffering=0)
    manifest = json.loads(Path(args["manifest"]).read_text())
    inputs = load_arrays(Path(args["arrays"]).read_bytes())
    drivers = _import_drivers(args["drivers"], progress)
    if args["drop_to"] is not None:
        _drop_privileges(args["drop_to"], Path(args["submission"]))
    progress.write(b"ready\n")  # the grader's own setup is done; from here on, failures are the student's

    pristine = dict(vars(builtins))  # student code may patch builtins; the grader's own code needs the real ones
    namespace, load_error = _load(Path(args["submission"]), args["kind"], BOOK_FILES)
    _restore(builtins, pristine)
    results.write(encode({"kind": "loaded", "names": _names(namespace), "load_error": load_error}))
    progress.write(b"loaded\n")

    for index in range(args["start"], len(manifest)):
        probe = manifest[index]
        progress.write(f"start {index}\n".encode())
        arrays = {name: inputs[key].copy() for name, key in probe["arrays"].items()}
        header: dict[str, Any] = {"kind": "probe", "id": probe["id"], "status": "ok", "error": "", "nones": [],
                                  "errors": {}}
        plain: dict[str, np.ndarray] = {}
        try:
            outputs = dict(drivers[probe["driver"]](namespace, arrays, probe["params"]))
            header["errors"] = {str(k): one_line(e) for k, e in outputs.pop(ERRORS, {}).items()}
            for name, value in outputs.items():
                if value is None:
                    header["nones"].append(name)
                else:
                    plain[name] = to_plain_array(name, value)
        except InvalidOutput as exc:
            header.update(status="invalid", error=str(exc))
        except MemoryError:
            header.update(status="memory", error="ran out of memory (MemoryError)")
        except OSError as exc:
            if exc.errno == errno.EFBIG:
                header.update(status="output", error="wrote more output than the sandbox allows")
            else:
                header.update(status="raised", error=one_line(exc))
        except BaseException as exc:  # SystemExit and KeyboardInterrupt too: student code raised them
            header.update(status="raised", error=one_line(exc))
        _restore(builtins, pristine)
        if header["status"] != "ok":
            plain = {}
        results.write(encode(header, plain))
        progress.write(f"done {index}\n".encode())
        if header["status"] in ("memory", "output"):
            break  # the process may be damaged: the parent runs the rest in a fresh one
    _flush_output()
    os._exit(0)


def _restore(module: ModuleType, saved: dict[str, Any]) -> None:
    """Put a module's namespace back as it was: what student code added or replaced is undone."""
    namespace = vars(module)
    for name in [n for n in namespace if n not in saved]:
        del namespace[name]
    namespace.update(saved)


def _import_drivers(name: str, progress: Any) -> dict[str, Any]:
    """The driver table, from a module name or (for tests) a .py file.

    A driver module that defines ``set_progress`` is handed a function to call with the
    step number during long probes (training), so the parent can tell slow from stuck.
    """
    if name.endswith(".py"):
        spec = importlib.util.spec_from_file_location("_drivers", name)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(name)
    if hasattr(module, "set_progress"):
        module.set_progress(lambda step: progress.write(f"tick {int(step)}\n".encode()))
    return module.DRIVERS


# Imported before privileges are dropped: the interpreter may live where the sandbox user cannot read
# (here /root/.pyenv), so a module first imported by student code afterwards would fail to load.
_PRELOAD = ("collections", "copy", "functools", "itertools", "math", "random", "time", "pickle", "typing",
            "dataclasses", "numpy.testing", "numpy.linalg", "numpy.random")


def _drop_privileges(uid: int, submission: Path) -> None:
    """Become an unprivileged user, so that the kernel enforces the process limit (root ignores RLIMIT_NPROC)."""
    modules = list(_PRELOAD)
    sources = [submission] if submission.is_file() else list(submission.rglob("*.py"))
    if any("matplotlib" in s.read_text(errors="replace") for s in sources):
        modules.append("matplotlib.pyplot")
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def _load(path: Path, kind: str, book_files: tuple[str, ...]) -> tuple[dict[str, Any], str]:
    """Run the submission's code; returns its namespace and the first error, if any."""
    namespace: dict[str, Any] = {"__name__": "submission", "__builtins__": builtins}
    try:
        if kind == "py":
            namespace["__file__"] = str(path)
            sys.path.insert(0, str(path.parent))
            exec(compile(path.read_text(encoding="utf-8"), path.name, "exec"), namespace)
        elif kind == "ipynb":
            return _load_notebook(path, namespace)
        else:
            return _load_folder(path, book_files)
    except BaseException as exc:
        return namespace, one_line(exc)
    return namespace, ""


def _load_notebook(path: Path, namespace: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Code cells in order, as "run all" with errors allowed (what nbgrader's autograde does):
    a cell that raises is reported and the cells after it still run."""
    os.chdir(path.parent)
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    first_error = ""
    for number, cell in enumerate((c for c in cells if c.get("cell_type") == "code"), 1):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        try:
            exec(compile(_drop_magics(source), f"cell {number}", "exec"), namespace)
        except BaseException as exc:  # SystemExit too: a cell that calls sys.exit ends only itself
            first_error = first_error or one_line(exc)
    return namespace, first_error


def _load_folder(root: Path, book_files: tuple[str, ...]) -> tuple[dict[str, Any], str]:
    """Import a book-layout folder the way the student ran it: root and ch05/ on sys.path, cwd in ch05/."""
    files = [root / f for f in book_files if (root / f).is_file()] or sorted(root.glob("*.py"))
    for directory in (root / "ch05", root):
        if directory.is_dir():
            sys.path.insert(0, str(directory))
    os.chdir(root / "ch05" if (root / "ch05").is_dir() else root)
    namespace: dict[str, Any] = {}
    first_error = ""
    for file in files:
        relative = file.relative_to(root).with_suffix("")
        module = ".".join(relative.parts) if relative.parts[0] == "common" else relative.name
        try:
            loaded: ModuleType = importlib.import_module(module)
        except BaseException as exc:
            first_error = first_error or one_line(exc)
            continue
        namespace.update({k: v for k, v in vars(loaded).items() if not k.startswith("_")})
    return namespace, first_error


def _drop_magics(source: str) -> str:
    """IPython magics and shell escapes (%..., !...) are not Python: blank them out, keeping line numbers."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def _names(namespace: dict[str, Any]) -> dict[str, list[str]]:
    """Top-level names and, for classes, their public attributes: material for "did you mean"."""
    names = {}
    for name, value in list(namespace.items()):
        if name.startswith("_") or isinstance(value, ModuleType):
            continue
        try:
            names[str(name)] = sorted(a for a in dir(value) if not a.startswith("_")) if inspect.isclass(value) else []
        except Exception:
            names[str(name)] = []
    return names


def one_line(exc: BaseException) -> str:
    """``ZeroDivisionError: division by zero (layers.py, line 12)``: the student's innermost frame."""
    text = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
    ours = (sys.prefix, sys.base_prefix, str(Path(__file__).parents[1]))
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith(ours)]
    if frames:
        text += f" ({Path(frames[-1].filename).name}, line {frames[-1].lineno})"
    return text[:300]


def _flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
