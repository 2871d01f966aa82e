"""Child side: what the book's own files expect around them, answered offline.

- ``dataset.mnist.load_mnist`` (the book's loader, which downloads) is answered with digits the
  parent handed over, so a submission that loads MNIST at import runs without a network.
- ``train_neuralnet.py`` is a script, not a function: ``ScriptTrainer`` runs it as the grader's
  ``train(network, x_train, ...)``, with the grader's data, schedule and network put where the
  script reads its own.
"""
from __future__ import annotations

import ast
import os
import re
import sys
import types
from pathlib import Path
from typing import Any

import numpy as np

from graders.sandbox.child_modules import student_path
from graders.textbook import component_of

# Module-level names a training script uses for its schedule.
SCHEDULE_NAMES = {
    "iters": {"iters_num", "iter_num", "iters", "num_iters", "iterations", "num_iterations", "max_iter", "n_iter",
              "n_iters", "epochs_iter", "train_iters"},
    "batch_size": {"batch_size", "batchsize", "mini_batch_size", "batch_sz"},
    "learning_rate": {"learning_rate", "lr", "learningrate", "learning_late", "eta"},
}
_TRAINING_SCRIPT = re.compile(r"\.gradient\s*\(")


def install_mnist(x_train: np.ndarray, t_train: np.ndarray, x_test: np.ndarray, t_test: np.ndarray) -> None:
    """Make ``dataset.mnist``, ``mnist`` and ``dataset`` answer ``load_mnist`` with these digits (uint8 pixels,
    integer labels)."""
    def load_mnist(normalize: bool = True, flatten: bool = True, one_hot_label: bool = False) -> tuple:
        def images(x: np.ndarray) -> np.ndarray:
            x = x.astype(np.float32) / 255.0 if normalize else x.copy()
            return x.reshape(-1, 784) if flatten else x.reshape(-1, 1, 28, 28)

        def labels(t: np.ndarray) -> np.ndarray:
            return np.eye(10, dtype=np.float64)[t] if one_hot_label else t.copy()

        return (images(x_train), labels(t_train)), (images(x_test), labels(t_test))

    package = types.ModuleType("dataset")
    package.__path__ = []
    module = types.ModuleType("dataset.mnist")
    module.load_mnist = load_mnist
    package.mnist = module
    sys.modules.update({"dataset": package, "dataset.mnist": module, "mnist": module})


def find_training_script(root: Path, entry: str) -> Path | None:
    """A .py file of the submission that trains (calls ``.gradient(`` at module level), preferring the book's name."""
    if entry:
        return None
    scripts = []
    for path in sorted(root.rglob("*.py")):
        try:
            source = path.read_text(encoding="utf-8-sig", errors="replace")
            tree = ast.parse(source)
        except (SyntaxError, ValueError, OSError):
            continue
        top = [n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))]
        if any(_TRAINING_SCRIPT.search(ast.unparse(n)) for n in top):
            scripts.append(path)
    scripts.sort(key=lambda p: (p.name != "train_neuralnet.py", "train" not in p.name, str(p)))
    return scripts[0] if scripts else None


class ScriptTrainer:
    """``train(network, x_train, t_train, x_test, t_test, iters_num, batch_size, learning_rate, seed)`` that runs a
    training script: its schedule constants become the grader's, ``TwoLayerNet(...)`` returns the grader's
    network, ``load_mnist`` returns the grader's data, and the global numpy generator is seeded."""

    def __init__(self, path: Path, root: Path) -> None:
        self.path, self.root = path, root
        self.source = path.read_text(encoding="utf-8-sig", errors="replace")

    def __call__(self, network: Any, x_train: np.ndarray, t_train: np.ndarray, x_test: np.ndarray,
                 t_test: np.ndarray, iters_num: int, batch_size: int, learning_rate: float, seed: int) -> None:
        to_pixels = lambda x: np.clip(np.rint(x * 255.0), 0, 255).astype(np.uint8)  # noqa: E731
        install_mnist(to_pixels(x_train), t_train.argmax(axis=1), to_pixels(x_test), t_test.argmax(axis=1))
        schedule = {"iters": int(iters_num), "batch_size": int(batch_size), "learning_rate": float(learning_rate)}
        tree = _Rewrite(schedule).visit(ast.parse(self.source, filename=str(self.path)))
        ast.fix_missing_locations(tree)
        os.chdir(self.path.parent)
        sys.path[:0] = student_path(self.path.parent, self.root)
        np.random.seed(seed)
        namespace = {"__name__": "__main__", "__file__": str(self.path), "__grader_network__": lambda *a, **k: network}
        exec(compile(tree, str(self.path), "exec"), namespace)


class _Rewrite(ast.NodeTransformer):
    """Schedule constants -> the grader's values; ``TwoLayerNet(...)`` (any near-name) -> the grader's network."""

    def __init__(self, schedule: dict[str, Any]) -> None:
        self.schedule = schedule

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        self.generic_visit(node)
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            for key, names in SCHEDULE_NAMES.items():
                if node.targets[0].id.lower() in names:
                    node.value = ast.Constant(self.schedule[key])
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and component_of(node.func.id, "class") == "TwoLayerNet":
            return ast.Call(func=ast.Name("__grader_network__", ast.Load()), args=[], keywords=[])
        return node


def run_script(root: Path, relative: str, limit: int = 16384) -> np.ndarray:
    """Run one of the book's scripts as its student ran it (its folder as the working directory, the global
    generator seeded) and return what it printed, as UTF-8 bytes: the chapter's exercises are what they print."""
    import contextlib
    import io
    path = root / relative
    printed = io.StringIO()
    os.chdir(path.parent)
    sys.path[:0] = student_path(path.parent, root)
    np.random.seed(0)
    namespace = {"__name__": "__main__", "__file__": str(path)}
    source = path.read_text(encoding="utf-8-sig", errors="replace")
    with contextlib.redirect_stdout(printed):
        exec(compile(source, str(path), "exec", dont_inherit=True), namespace)
    return np.frombuffer(printed.getvalue().encode()[:limit], dtype=np.uint8).copy()


def install_test_cell_stub() -> None:
    """nbgrader notebooks call ``graders.inkernel.check_component`` in their test cells, which judges in the
    kernel. In the sandbox nothing is judged (the parent does it) and the judging code stays outside: the
    cells get a stand-in that does nothing."""
    module = types.ModuleType("graders.inkernel")
    module.check_component = lambda *args, **kwargs: None
    sys.modules["graders.inkernel"] = module
