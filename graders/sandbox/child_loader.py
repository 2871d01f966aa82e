"""Child side: run a student's files the way the student ran them and find the textbook's components.

A submission is a tree of .py files and notebooks, laid out any way. Every .py file that
declares a component (found by reading it, so a file that does not parse still counts) is
imported as the student ran it: its own folder first on ``sys.path`` and as the working
directory (so ``sys.path.append(os.pardir)`` means what it meant to them), with a fresh view
of the student's other modules. Notebooks run cell by cell with errors allowed, their folder
on the path, as Jupyter has it. Files that declare nothing (scripts) are not run here.

A component defined more than once or under a near-name (``ReLU``) is chosen in child_choice.py;
imports are found as in child_modules.py. A loading unit (a file, a cell) that hung or killed the process in an earlier child is rerun
with its demo code left out (``stripped``): only imports, definitions and assignments.
"""
from __future__ import annotations

import ast
import builtins
import os
import re
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from graders.notebooks import code_cells
from graders.probes.protocol import one_line
from graders.sandbox.child_choice import Candidate, choose, origin
from graders.sandbox.child_modules import AnywhereInSubmission, is_student_module, restore_namespace, student_path
from graders.sandbox.child_source import definitions_only, drop_magics
from graders.textbook import component_of, declared

SayProgress = Callable[[str], None]


@dataclass
class Loaded:
    """What the parent gets back about loading (plain data) and the namespace the drivers use."""

    namespace: dict[str, Any]
    graded: dict[str, dict[str, Any]] = field(default_factory=dict)   # component -> where it came from
    findings: list[dict[str, Any]] = field(default_factory=list)      # what went wrong while loading
    units: list[str] = field(default_factory=list)                    # what was run, in order
    classes: list[str] = field(default_factory=list)                  # top-level class names (did you mean)
    first_error: str = ""


def load_tree(root: Path, entry: str, stripped: set[int], progress: SayProgress) -> Loaded:
    """Load every unit of the submission under ``root`` (only ``entry`` when it is one file)."""
    loader = _Loader(root, stripped, progress)
    files = [root / entry] if entry else sorted(p for p in root.rglob("*") if p.suffix in (".py", ".ipynb")
                                                    and p.is_file())
    sources = {p: p.read_text(encoding="utf-8-sig", errors="replace") for p in files if p.suffix == ".py"}
    for path in files:
        if path.suffix == ".py" and (entry or declared(sources[path])):
            loader.load_module(path, sources[path])
    for path in files:
        if path.suffix == ".ipynb":
            loader.load_notebook(path)
    return loader.finish()


class _Loader:
    def __init__(self, root: Path, stripped: set[int], progress: SayProgress) -> None:
        self.root, self.stripped, self.progress = root, stripped, progress
        self.candidates: list[Candidate] = []
        self.findings: list[dict[str, Any]] = []
        self.units: list[str] = []
        self.names: dict[str, Any] = {}
        self.classes: set[str] = set()
        self.base_modules = set(sys.modules)
        self.base_path = list(sys.path)
        self.pristine = dict(vars(builtins))  # what student code patches there must not fool this loader
        self.finder = AnywhereInSubmission(root)
        sys.meta_path.append(self.finder)

    def _restore_builtins(self) -> None:
        restore_namespace(builtins, self.pristine)

    # -- one unit at a time ------------------------------------------------------------------
    def _unit(self, label: str) -> bool:
        """Announce a unit to the parent (so a hang is pinned on it); True when it is to be run stripped."""
        index = len(self.units)
        self.units.append(label)
        self.progress(f"unit {index}")
        return index in self.stripped

    def load_module(self, path: Path, source: str) -> None:
        rel = self._rel(path)
        strip = self._unit(rel)
        try:
            tree = ast.parse(source, filename=rel)
        except SyntaxError as exc:
            self._finding("syntax_error", rel, exc.lineno or 1, self._syntax(exc, rel), declared(source))
            return
        if strip:
            tree = definitions_only(tree)
            self._finding("stripped", rel, 1, "", {})
        self._fresh_view(path.parent)
        name = self._module_name(path)
        module = types.ModuleType(name)
        module.__file__ = str(path)
        sys.modules[name] = module
        try:
            exec(compile(tree, str(path), "exec", dont_inherit=True), vars(module))
        except BaseException as exc:  # SystemExit too: a script's exit ends only itself
            self._restore_builtins()
            self._raised(exc, rel, source, vars(module))
        self._restore_builtins()
        self._collect(vars(module), rel, source, lambda obj: origin(obj) == str(path))

    def load_notebook(self, path: Path) -> None:
        rel = self._rel(path)
        try:
            cells = _code_cells(path)
        except ValueError as exc:
            self._finding("not_a_notebook", rel, 1, f"not a readable notebook: {exc}", {})
            return
        self._fresh_view(path.parent)
        namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        for number, source in enumerate(cells, 1):
            label = f"{rel} cell {number}"
            strip = self._unit(label)
            try:
                tree = ast.parse(drop_magics(source), filename=label)
            except SyntaxError as exc:
                self._finding("syntax_error", label, exc.lineno or 1, self._syntax(exc, label), declared(source))
                continue
            if strip:
                tree = definitions_only(tree)
                self._finding("stripped", label, 1, "", {})
            try:
                exec(compile(tree, label, "exec", dont_inherit=True), namespace)
            except BaseException as exc:  # a cell that raises (or calls sys.exit) ends only itself
                self._restore_builtins()
                self._raised(exc, label, source, namespace)
            self._restore_builtins()
            self._collect(namespace, label, source, lambda obj, lb=label: origin(obj) == lb)

    # -- what was found ---------------------------------------------------------------------
    def _collect(self, namespace: dict[str, Any], where: str, source: str, defined_here: Callable[[Any], bool]) -> None:
        """Components in a unit's namespace: its own definitions, and what it imported from the student's files."""
        for name, obj in list(namespace.items()):
            if name.startswith("_") or isinstance(obj, types.ModuleType):
                continue
            self.names.setdefault(name, obj)
            kind = "class" if isinstance(obj, type) else "function" if callable(obj) else None
            if kind == "class":
                self.classes.add(name)
            component = component_of(name, kind) if kind else None
            if component is None or any(c.obj is obj for c in self.candidates):
                continue  # not a component, or already found (a notebook's later cell still holds it)
            if defined_here(obj):
                file, text = where, source
            else:
                compiled = origin(obj)
                if not compiled or not compiled.startswith(str(self.root) + "/"):
                    continue
                file, text = self._rel(Path(compiled)), _read(compiled)
            line = declared(text).get(component, (name, 1))[1]
            self.candidates.append(Candidate(component, name, obj, file, line, len(self.candidates)))

    def _raised(self, exc: BaseException, where: str, source: str, namespace: dict[str, Any]) -> None:
        missing = exc.name if isinstance(exc, ModuleNotFoundError) else None
        if missing and missing.split(".")[0] not in self.finder.index:
            kind = "missing_module"
        else:
            kind = "load_error"
        line = _student_line(exc, where)
        defined = {c for c in declared(source) if not any(
            component_of(n, "class" if isinstance(o, type) else "function") == c for n, o in namespace.items())}
        self._finding(kind, where, line, one_line(exc), {c: declared(source)[c] for c in defined},
                      module=missing or "")

    def _finding(self, kind: str, where: str, line: int, error: str, components: dict[str, tuple[str, int]],
                 module: str = "") -> None:
        self.findings.append({"kind": kind, "file": where, "line": int(line), "error": error[:300],
                              "components": sorted(components), "module": module})

    def _syntax(self, exc: SyntaxError, where: str) -> str:
        return f"SyntaxError: {exc.msg} ({where}, line {exc.lineno})"

    def finish(self) -> Loaded:
        sys.path[:] = self.base_path
        chosen = choose(self.candidates)
        namespace = dict(self.names) | {component: c.obj for component, c in chosen.items()}
        graded = {}
        for component, c in chosen.items():
            others = [f"{o.file}:{o.line}" + ("" if o.name == component else f" ({o.name})")
                      for o in self.candidates if o.component == component and o is not c
                      and (o.file, o.line) != (c.file, c.line)]
            graded[component] = {"name": c.name, "file": c.file, "line": c.line, "others": sorted(set(others))}
        first = next((f["error"] for f in self.findings if f["error"]), "")
        return Loaded(namespace, graded, self.findings, self.units, sorted(self.classes), first)

    # -- the student's view of the world ----------------------------------------------------
    def _fresh_view(self, folder: Path) -> None:
        """This unit's folder first on the path and as the working directory; the student's modules loaded for
        another folder forgotten, so ``import layers`` finds this folder's layers.py."""
        for name in [n for n in sys.modules if n not in self.base_modules]:
            if is_student_module(sys.modules.get(name), self.root):
                del sys.modules[name]
        sys.path[:] = [*student_path(folder, self.root), *self.base_path]
        os.chdir(folder)
        self.finder.near = folder

    def _module_name(self, path: Path) -> str:
        stem = re.sub(r"\W", "_", path.stem) or "module"
        return stem if stem not in sys.modules else f"{stem}__{len(self.units)}"

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def _read(file: str) -> str:
    try:
        return Path(file).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return ""


def _student_line(exc: BaseException, where: str) -> int:
    tb, line = exc.__traceback__, 1
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(where):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _code_cells(path: Path) -> list[str]:
    return code_cells(path.read_text(encoding="utf-8-sig"))


__all__ = ["Loaded", "load_tree"]
