"""What a student hands in: a .py file, a notebook, a folder, a .zip or a .tar.gz, laid out any way.

``load_submission`` reads the submission once into a snapshot (its files' bytes, in memory)
and fingerprints it. Everything after that, the sandbox included, sees only the snapshot:
a file changed on disk mid-run cannot be graded under another file's digest, and nothing
outside the submission is ever read (links are not followed, archives cannot write outside
their folder, and files, bytes and depth are capped).

The digest is a hash of the code (the .py files and the code cells of notebooks, not their
outputs or the path), so a regrade of the same code sees the same random inputs.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Literal

from graders.notebooks import code_cells
from labdata.errors import LabError

Kind = Literal["py", "folder", "ipynb"]
ARCHIVES = (".zip", ".tar.gz", ".tgz", ".tar")

MAX_FILES = 2000              # files kept from one submission
MAX_BYTES = 64 << 20          # bytes kept from one submission, all files together
MAX_FILE_BYTES = 16 << 20     # a larger file (a dataset pickle, say) is left out, with a note
MAX_DEPTH = 12                # folders below the submission's top
SKIPPED_DIRS = {"__pycache__", "__MACOSX", ".ipynb_checkpoints", ".git", ".venv", "venv", "node_modules"}


class SubmissionError(LabError):
    """A submission that cannot be graded at all; the message is one line naming the file."""


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
        files, skipped = _Snapshot(path).from_folder()
        kind: Kind = "folder"
    elif path.name.lower().endswith(ARCHIVES):
        files, skipped = _Snapshot(path).from_archive()
        kind = "folder"
    elif path.suffix in (".py", ".ipynb"):
        data = _read_bytes(path)
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
        files[name] = _read_bytes(Path(file))
    first = Path(members[0].partition("=")[2])
    code = {name: data for name, data in files.items() if name.endswith((".py", ".ipynb"))}
    if not code:
        raise SubmissionError(f"{first}: holds no .py file and no notebook", ko=f"{first}: .py 파일도 노트북도 없습니다")
    return Submission(first, "folder", _digest(first.parent, code), files, (), "")


def notebook_cells(path: Path | str, data: bytes | None = None) -> list[str]:
    """The source of every code cell, in order (``data``: the notebook's bytes, if already read)."""
    text = _decode(path, _read_bytes(Path(path)) if data is None else data)
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


class _Snapshot:
    """Collects a submission's files under the caps, never following a link."""

    def __init__(self, root: Path) -> None:
        self.root, self.files, self.skipped, self.total = root, {}, [], 0

    def from_folder(self) -> tuple[dict[str, bytes], list[str]]:
        for relative, full in self._walk(self.root, ""):
            self._add(relative, lambda f=full: _read_bytes(f, limit=MAX_FILE_BYTES + 1), os.lstat(full).st_size)
        return self.files, self.skipped

    def _walk(self, folder: Path, prefix: str) -> Iterator[tuple[str, Path]]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            raise SubmissionError(f"{folder}: cannot read: {exc.strerror}",
                                  ko=f"{folder}: 읽을 수 없습니다: {exc.strerror}") from None
        for entry in entries:
            relative = f"{prefix}{entry.name}"
            if entry.is_symlink():
                self.skipped.append(f"{relative}: a symbolic link, not followed")
            elif entry.is_dir(follow_symlinks=False):
                if entry.name in SKIPPED_DIRS or entry.name.startswith("."):
                    continue
                if relative.count("/") >= MAX_DEPTH:
                    self.skipped.append(f"{relative}: more than {MAX_DEPTH} folders deep")
                    continue
                yield from self._walk(Path(entry.path), relative + "/")
            elif entry.is_file(follow_symlinks=False) and not entry.name.startswith("."):
                yield relative, Path(entry.path)

    def from_archive(self) -> tuple[dict[str, bytes], list[str]]:
        import tarfile  # only an archive needs them: a cold check of a .py does not pay their import
        import zipfile
        name = self.root.name.lower()
        try:
            if name.endswith(".zip"):
                with zipfile.ZipFile(self.root) as archive:
                    for info in archive.infolist():
                        mode = info.external_attr >> 16
                        if info.is_dir():
                            continue
                        if stat.S_ISLNK(mode):
                            self.skipped.append(f"{info.filename}: a symbolic link, not followed")
                            continue
                        self._member(info.filename, info.file_size, lambda i=info: _bounded(archive.open(i)))
            else:
                with tarfile.open(self.root) as archive:
                    for member in archive:
                        if member.issym() or member.islnk():
                            self.skipped.append(f"{member.name}: a link, not followed")
                        elif member.isreg():
                            self._member(member.name, member.size,
                                         lambda m=member: _bounded(archive.extractfile(m)))
        except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError) as exc:
            raise SubmissionError(f"{self.root}: not a readable archive: {exc}",
                                  ko=f"{self.root}: 읽을 수 있는 압축 파일이 아닙니다: {exc}") from None
        return self.files, self.skipped

    def _member(self, name: str, size: int, read) -> None:
        relative = posixpath.normpath(name.replace("\\", "/")).lstrip("/")
        parts = relative.split("/")
        if relative.startswith("..") or any(p in SKIPPED_DIRS or p.startswith(".") for p in parts):
            return
        if len(parts) - 1 > MAX_DEPTH:
            self.skipped.append(f"{relative}: more than {MAX_DEPTH} folders deep")
            return
        self._add(relative, read, size)

    def _add(self, relative: str, read, size: int) -> None:
        if len(self.files) >= MAX_FILES:
            raise SubmissionError(f"{self.root}: more than {MAX_FILES} files",
                                  ko=f"{self.root}: 파일이 {MAX_FILES}개보다 많습니다")
        if size > MAX_FILE_BYTES:
            self.skipped.append(f"{relative}: {size >> 20} MiB, larger than {MAX_FILE_BYTES >> 20} MiB")
            return
        data = read()
        if len(data) > MAX_FILE_BYTES:
            self.skipped.append(f"{relative}: larger than {MAX_FILE_BYTES >> 20} MiB")
            return
        self.total += len(data)
        if self.total > MAX_BYTES:
            raise SubmissionError(f"{self.root}: more than {MAX_BYTES >> 20} MiB of files",
                                  ko=f"{self.root}: 파일이 모두 {MAX_BYTES >> 20} MiB보다 큽니다")
        self.files[relative] = data


def _bounded(stream: io.BufferedIOBase) -> bytes:
    """At most one byte more than a file may have: what an archive claims about sizes is not trusted."""
    with stream:
        return stream.read(MAX_FILE_BYTES + 1)


def _read_bytes(path: Path, limit: int = MAX_FILE_BYTES + 1) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise SubmissionError(f"{path}: not a regular file", ko=f"{path}: 일반 파일이 아닙니다")
            data = f.read(limit)
    except OSError as exc:
        raise SubmissionError(f"{path}: cannot read: {exc.strerror}", ko=f"{path}: 읽을 수 없습니다: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise SubmissionError(f"{path}: larger than {MAX_FILE_BYTES >> 20} MiB",
                              ko=f"{path}: {MAX_FILE_BYTES >> 20} MiB보다 큽니다")
    return data


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
