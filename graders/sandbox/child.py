"""The sandbox's child process: load the submission, run probes, write results.

Runs under the limits in ``Limits`` as an unprivileged user. It reads every probe
before any student code runs, reports progress on a pipe (``loaded``, ``start i``,
``tick step``, ``done i``) so the parent knows which probe was running if the process dies, and
ends with ``os._exit`` so nothing the student registered (atexit, threads) runs after.

Usage: python -I child.py ARGS_JSON
"""
from __future__ import annotations

import builtins
import importlib
import importlib.util
import inspect
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np


def main(args: dict[str, Any]) -> None:
    sys.path.insert(0, args["graders_root"])
    from graders.sandbox.child_book import install_mnist, install_test_cell_stub
    from graders.sandbox.child_modules import restore_namespace
    from graders.sandbox.transport import encode, load_arrays

    results = os.fdopen(args["results_fd"], "ab", buffering=0)
    progress = os.fdopen(args["progress_fd"], "wb", buffering=0)
    manifest = json.loads(Path(args["manifest"]).read_text())
    inputs = load_arrays(Path(args["arrays"]).read_bytes())
    drivers = _import_drivers(args["drivers"], progress)
    root = Path(args["submission"])
    if args["drop_to"] is not None:
        _drop_privileges(args["drop_to"], root)
    if "mnist/x_train" in inputs:
        install_mnist(*(inputs[f"mnist/{key}"] for key in ("x_train", "t_train", "x_test", "t_test")))
    install_test_cell_stub()
    _seed_global_generators(args["seed"])
    progress.write(b"ready\n")  # the grader's own setup is done; from here on, failures are the student's

    pristine = dict(vars(builtins))  # student code may patch builtins; the grader's own code needs the real ones
    namespace = _load(root, args, manifest, results, progress, pristine)
    for index in range(args["start"], len(manifest)):
        progress.write(f"start {index}\n".encode())
        header, plain = _call(drivers, manifest[index], inputs, namespace)
        restore_namespace(builtins, pristine)
        results.write(encode(header, plain))
        progress.write(f"done {index}\n".encode())
        if header["status"] in ("memory", "output"):
            break  # the process may be damaged: the parent runs the rest in a fresh one
    _flush_output()
    os._exit(0)


def _load(root: Path, args: dict[str, Any], manifest: list[dict[str, Any]], results: Any, progress: Any,
          pristine: dict[str, Any]) -> dict[str, Any]:
    """Run the submission's files and cells; write the ``loaded`` record; the namespace the probes call into."""
    from graders.sandbox.child_book import ScriptTrainer, find_training_script
    from graders.sandbox.child_loader import load_tree
    from graders.sandbox.child_modules import restore_namespace
    from graders.sandbox.transport import encode

    loaded = load_tree(root, args["entry"], set(args["stripped"]),
                       lambda line: progress.write(f"{line}\n".encode()))
    restore_namespace(builtins, pristine)
    namespace = loaded.namespace
    namespace["__submission_root__"] = str(root)  # for drivers that run a script of the submission
    if "train" not in loaded.graded and any(p["driver"] == "own_loop" for p in manifest):
        script = find_training_script(root, args["entry"])
        if script is not None:
            namespace["train"] = ScriptTrainer(script, root)
            loaded.graded["train"] = {"name": script.name, "file": script.relative_to(root).as_posix(),
                                      "line": 1, "others": [], "script": True}
    results.write(encode({"kind": "loaded", "names": _names(namespace), "classes": loaded.classes,
                          "graded": loaded.graded, "findings": loaded.findings, "units": loaded.units,
                          "load_error": loaded.first_error}))
    progress.write(b"loaded\n")
    return namespace


def _call(drivers: dict[str, Any], probe: dict[str, Any], inputs: dict[str, np.ndarray],
          namespace: dict[str, Any]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """One probe: its driver called on fresh copies of its inputs."""
    from graders.probes.protocol import call_probe
    return call_probe(drivers, probe, {name: inputs[key].copy() for name, key in probe["arrays"].items()}, namespace)


def _seed_global_generators(seed: int) -> None:
    """The generators student code reaches without being handed one (the book's TwoLayerNet draws its weights
    from ``np.random``): seeded from the submission's digest, so every run of the same code draws the same."""
    import random
    np.random.seed(seed % 2**32)
    random.seed(seed)


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
    return dict(module.DRIVERS)  # our own table: what student code does to the module's cannot reach it


# Imported before privileges are dropped: the interpreter may live where the sandbox user cannot read
# (here /root/.pyenv), so a module first imported by student code afterwards would fail to load.
_PRELOAD = ("collections", "copy", "functools", "itertools", "math", "random", "time", "pickle", "typing",
            "dataclasses", "numpy.testing", "numpy.linalg", "numpy.random")


def preload(modules: tuple[str, ...] = _PRELOAD) -> None:
    """Import what runs need before any student code: the grader's child side and common modules (the warm
    zygote does this once, before it forks; a cold child before it drops privileges)."""
    for module in (*modules, "graders.sandbox.child_book", "graders.sandbox.child_loader",
                   "graders.sandbox.transport", "graders.probes.protocol", "graders.probes.drivers"):
        try:
            importlib.import_module(module)
        except ImportError:
            pass


def _drop_privileges(uid: int, submission: Path) -> None:
    """Become an unprivileged user, so that the kernel enforces the process limit (root ignores RLIMIT_NPROC)."""
    sources = [submission] if submission.is_file() else list(submission.rglob("*.py"))
    preload(_PRELOAD + (("matplotlib.pyplot",) if any("matplotlib" in s.read_text(errors="replace")
                                                        for s in sources) else ()))
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


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


def _flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
