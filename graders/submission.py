"""What a student hands in: a .py file, a folder in the book's layout, or a notebook (its code
cells run in order, errors allowed, as nbgrader runs them).

``load_submission`` only validates and fingerprints the submission; running it is the
sandbox's job. The digest is a hash of the code itself (not of the path or of a
notebook's outputs), so a regrade of the same code sees the same random inputs.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["py", "folder", "ipynb"]

# Files of the book's layout, loaded in this order when present (ch05/layer_naive.py holds MulLayer, AddLayer).
BOOK_FILES = ("common/functions.py", "common/gradient.py", "common/layers.py",
              "ch05/layer_naive.py", "ch05/two_layer_net.py")


class SubmissionError(Exception):
    """A submission that cannot be graded at all; the message is one line naming the file."""


@dataclass(frozen=True)
class Submission:
    path: Path
    kind: Kind
    digest: str

    @property
    def name(self) -> str:
        return self.path.name


def load_submission(path: str | os.PathLike) -> Submission:
    """Validate ``path`` and fingerprint its code; raises SubmissionError with one clear line."""
    path = Path(path)
    if not path.exists():
        raise SubmissionError(f"{path}: no such file or directory")
    if path.is_dir():
        return Submission(path, "folder", _digest_files(path, folder_sources(path)))
    if path.suffix == ".ipynb":
        return Submission(path, "ipynb", _digest_text("\n".join(notebook_cells(path))))
    if path.suffix == ".py":
        return Submission(path, "py", _digest_text(_read_text(path)))
    raise SubmissionError(f"{path}: not a .py file, a .ipynb notebook or a folder")


def folder_sources(root: Path) -> list[Path]:
    """The .py files of a folder submission that define the graded names, in load order."""
    book = [root / f for f in BOOK_FILES if (root / f).is_file()]
    if book:
        return book
    flat = sorted(p for p in root.glob("*.py") if p.is_file())
    if not flat:
        raise SubmissionError(f"{root}: the folder holds no .py file (expected e.g. common/layers.py)")
    return flat


def notebook_cells(path: Path) -> list[str]:
    """The source of every code cell, in order."""
    text = _read_text(path)
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SubmissionError(f"{path}: not a notebook: invalid JSON at line {exc.lineno}, column {exc.colno}") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise SubmissionError(f"{path}: not a notebook: no list of cells")
    sources = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            sources.append("".join(source) if isinstance(source, list) else str(source))
    if not sources:
        raise SubmissionError(f"{path}: the notebook has no code cells")
    return sources


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SubmissionError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise SubmissionError(f"{path}: cannot read: {exc.strerror}") from None


def _digest_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _digest_files(root: Path, files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + _read_text(f).encode() + b"\0")
    return h.hexdigest()
