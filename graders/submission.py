"""What a student hands in: a .py file, a notebook, a folder, a .zip or a .tar.gz, laid out any way.

``load_submission`` reads the submission once into a snapshot (its files' bytes, in memory, taken by
``graders/snapshot.py``) and fingerprints it. Everything after that, the sandbox included, sees only the snapshot:
a file changed on disk mid-run cannot be graded under another file's digest, and nothing
outside the submission is ever read (links are not followed, archives cannot write outside
their folder, and files, bytes and depth are capped).

The digest is a hash of the code (the .py files and the code cells of notebooks, not their
outputs or the path), so a regrade of the same code sees the same random inputs.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from graders.notebooks import code_cells
from graders.snapshot import ARCHIVES, Snapshot, SubmissionError, read_bytes

Kind = Literal["py", "folder", "ipynb"]


@dataclass(frozen=True)
class Submission:
    path: Path
    kind: Kind
    digest: str
    files: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)  # relative path -> bytes
    skipped: tuple[str, ...] = ()   # one line each: what was left out of the snapshot, and why
    entry: str = ""                 # what the sandbox loads: the handed-in file ('' for a whole tree)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def seed(self) -> int:
        """Every random input of its grading comes from this: the same code always meets the same inputs."""
        return int(self.digest[:16], 16)


def load_submission(path: str | os.PathLike | list[str], *, beside: bool = False) -> Submission:
    """Snapshot ``path`` and fingerprint its code; raises SubmissionError with one clear line.

    ``beside``: a single file also takes the student's modules it imports from its folder (or the folder above,
    for ``sys.path.append(os.pardir)``), as the student ran it. Not for a class folder, where what lies beside a
    file is another student's.
    ``path`` may also be a list of ``"NAME=FILE"``: one student's files from an LMS download, graded as one
    folder under their own names.
    """
    if isinstance(path, list):
        return _from_group(path)
    path = Path(path)
    if not os.path.lexists(path):
        raise SubmissionError(f"{path}: no such file or directory", ko=f"{path}: 그런 파일이나 폴더가 없습니다")
    if path.is_symlink():
        raise SubmissionError(f"{path}: a symbolic link; hand in the file or folder itself",
                              ko=f"{path}: 심볼릭 링크입니다. 파일이나 폴더 자체를 제출하세요")
    if path.is_dir():
        files, skipped = Snapshot(path).from_folder()
        kind: Kind = "folder"
    elif path.name.lower().endswith(ARCHIVES):
        files, skipped = Snapshot(path).from_archive()
        kind = "folder"
    elif path.suffix in (".py", ".ipynb"):
        data = read_bytes(path)
        kind = "py" if path.suffix == ".py" else "ipynb"
        code = "\n".join(notebook_cells(path, data)) if kind == "ipynb" else _decode(path, data)
        from graders.submission_beside import with_helpers  # it builds on this module's snapshot
        files, skipped, entry = (with_helpers(path, data, code) if beside else ({path.name: data}, [], path.name))
        return Submission(path, kind, _digest(path, {path.name: data}), files, tuple(skipped), entry)
    else:
        raise SubmissionError(f"{path}: not a .py file, a .ipynb notebook, a folder or a .zip/.tar.gz archive",
                              ko=f"{path}: .py 파일, .ipynb 노트북, 폴더, .zip/.tar.gz 압축 파일 중 어느 것도 아닙니다")
    code = {name: data for name, data in files.items() if name.endswith((".py", ".ipynb"))}
    if not code:
        raise SubmissionError(f"{path}: holds no .py file and no notebook", ko=f"{path}: .py 파일도 노트북도 없습니다")
    return Submission(path, kind, _digest(path, code), files, tuple(skipped), "")


def _from_group(members: list[str]) -> Submission:
    files: dict[str, bytes] = {}
    for member in members:
        name, _, file = member.partition("=")
        if not name or "/" in name or name.startswith("."):
            raise SubmissionError(f"{member}: not NAME=FILE", ko=f"{member}: NAME=FILE 형식이 아닙니다")
        files[name] = read_bytes(Path(file))
    first = Path(members[0].partition("=")[2])
    code = {name: data for name, data in files.items() if name.endswith((".py", ".ipynb"))}
    if not code:
        raise SubmissionError(f"{first}: holds no .py file and no notebook", ko=f"{first}: .py 파일도 노트북도 없습니다")
    return Submission(first, "folder", _digest(first.parent, code), files, (), "")


def notebook_cells(path: Path | str, data: bytes | None = None) -> list[str]:
    """The source of every code cell, in order (``data``: the notebook's bytes, if already read)."""
    text = _decode(path, read_bytes(Path(path)) if data is None else data)
    try:
        sources = code_cells(text)
    except json.JSONDecodeError as exc:
        raise SubmissionError(f"{path}: not a notebook: invalid JSON at line {exc.lineno}, column {exc.colno}",
                              ko=f"{path}: 노트북이 아닙니다: {exc.lineno}행 {exc.colno}열의 JSON이 잘못되었습니다") from None
    except ValueError as exc:
        raise SubmissionError(f"{path}: not a notebook: {exc}", ko=f"{path}: 노트북이 아닙니다: {exc}") from None
    if not sources:
        raise SubmissionError(f"{path}: the notebook has no code cells", ko=f"{path}: 노트북에 코드 셀이 없습니다")
    return sources


def _decode(path: Path | str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SubmissionError(f"{path}: not UTF-8 text", ko=f"{path}: UTF-8 텍스트가 아닙니다") from None


def _digest(path: Path, code: dict[str, bytes]) -> str:
    """One file: the hash of its code (as before, so a copy anywhere gets the same seed); a tree: of every
    code file's path and code."""
    def text(name: str, data: bytes) -> str:
        if name.endswith(".ipynb"):
            try:
                return "\n".join(notebook_cells(f"{path}/{name}" if len(code) > 1 else path, data))
            except SubmissionError:
                return data.decode("utf-8", errors="replace")
        return data.decode("utf-8", errors="replace")

    if len(code) == 1 and not path.is_dir() and not path.name.lower().endswith(ARCHIVES):
        (name, data), = code.items()
        if name.endswith(".ipynb"):
            notebook_cells(path, data)  # an unreadable notebook is an input error, said in one line
        else:
            _decode(path, data)
        return hashlib.sha256(text(name, data).encode()).hexdigest()
    h = hashlib.sha256()
    for name in sorted(code):
        h.update(name.encode() + b"\0" + text(name, code[name]).encode() + b"\0")
    return h.hexdigest()
