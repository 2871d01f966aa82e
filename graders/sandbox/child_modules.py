"""Child side: the student's modules. Where their imports are found (their folder and the ones above, then
anywhere in the submission), which loaded modules are theirs, and how a module's namespace is put back."""
from __future__ import annotations

import os
import types
from pathlib import Path
from typing import Any


def student_path(folder: Path, root: Path) -> list[str]:
    """What a student's run had on ``sys.path``: their folder first, then the folders above it up to the
    submission's top (where IDEs and ``sys.path.append(os.pardir)`` put them)."""
    return [str(folder), *(str(p) for p in folder.parents if p == root or root in p.parents)]


def restore_namespace(module: types.ModuleType, saved: dict[str, Any]) -> None:
    """Put a module's namespace back as it was: what student code added or replaced is undone."""
    namespace = vars(module)
    for name in [n for n in namespace if n not in saved]:
        del namespace[name]
    namespace.update(saved)


class AnywhereInSubmission:
    """The last resort of ``import X``: a module or package named X anywhere in the submission, the nearest to
    the importing unit's folder first. Students' IDEs put folders on the path that their code never names."""

    def __init__(self, root: Path) -> None:
        self.root, self.near = root, root
        self.index: dict[str, list[Path]] = {}
        for path in root.rglob("*"):
            if path.suffix == ".py" and path.is_file():
                self.index.setdefault(path.stem, []).append(path.parent)
            elif path.is_dir() and any(path.glob("*.py")):
                self.index.setdefault(path.name, []).append(path.parent)

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if path is not None or name not in self.index:
            return None  # submodules are found through their package's own path
        from importlib.machinery import PathFinder

        def distance(folder: Path) -> tuple[int, str]:
            common = os.path.commonpath([folder, self.near])
            return (len(folder.parts) + len(self.near.parts) - 2 * len(Path(common).parts), str(folder))

        for folder in sorted(self.index[name], key=distance):
            spec = PathFinder.find_spec(name, [str(folder)])
            if spec is not None:
                return spec
        return None


def is_student_module(module: Any, root: Path) -> bool:
    file = getattr(module, "__file__", None)
    if file:
        return str(file).startswith(str(root))
    paths = getattr(module, "__path__", None)  # a namespace package made of the student's folders
    return bool(paths) and any(str(p).startswith(str(root)) for p in list(paths))

