"""A single file handed to ``check`` and the student's own modules it imports from beside it (or from the folder
above, for ``sys.path.append(os.pardir)``), followed through their imports, as one snapshot."""
from __future__ import annotations

from pathlib import Path

from graders.snapshot import Snapshot, read_bytes


def with_helpers(path: Path, data: bytes, code: str) -> tuple[dict[str, bytes], list[str], str]:
    """The file and the student's modules it imports from beside it (or from the folder above), followed through
    their own imports; the snapshot's top is the folder above when that is where they live."""
    folder = path.resolve().parent
    top = folder.parent if (folder.parent != folder and _imports_from(folder.parent, code, folder)) else folder
    snapshot = Snapshot(top)
    wanted, seen = [code], set()
    while wanted:
        for name in _imported_names(wanted.pop()):
            for base in {folder, top}:
                for candidate in (base / f"{name}.py", base / name):
                    if candidate in seen or not candidate.exists() or candidate.is_symlink():
                        continue
                    seen.add(candidate)
                    files = [candidate] if candidate.is_file() else \
                        [p for rel, p in snapshot._walk(candidate, "") if p.suffix == ".py"]
                    for file in files:
                        rel = file.resolve().relative_to(top).as_posix()
                        snapshot._add(rel, lambda f=file: read_bytes(f), file.stat().st_size)
                        wanted.append(snapshot.files.get(rel, b"").decode("utf-8", errors="replace"))
    entry = path.resolve().relative_to(top).as_posix()
    snapshot.files[entry] = data
    return snapshot.files, snapshot.skipped, entry


def _imports_from(parent: Path, code: str, folder: Path) -> bool:
    return any((parent / f"{n}.py").is_file() or (parent / n).is_dir() and parent / n != folder
               for n in _imported_names(code))


def _imported_names(code: str) -> set[str]:
    """Top-level module names a source imports (a notebook's magics and unparsable lines aside)."""
    import ast
    text = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines())
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names
