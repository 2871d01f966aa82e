"""A submission's snapshot: its files' bytes read once, under caps, never following a link.

A folder is walked, an archive (.zip, .tar.gz) read member by member; a member cannot land outside its folder,
what an archive claims about sizes is not trusted, and files, bytes and depth are capped. A file over its cap is
left out with a note; a submission over the file or byte cap is refused in one line.
"""
from __future__ import annotations

import io
import os
import posixpath
import stat
from pathlib import Path
from typing import Iterator

from labdata.errors import LabError

ARCHIVES = (".zip", ".tar.gz", ".tgz", ".tar")
MAX_FILES = 2000              # files kept from one submission
MAX_BYTES = 64 << 20          # bytes kept from one submission, all files together
MAX_FILE_BYTES = 16 << 20     # a larger file (a dataset pickle, say) is left out, with a note
MAX_DEPTH = 12                # folders below the submission's top
SKIPPED_DIRS = {"__pycache__", "__MACOSX", ".ipynb_checkpoints", ".git", ".venv", "venv", "node_modules"}


class SubmissionError(LabError):
    """A submission that cannot be graded at all; the message is one line naming the file."""


class Snapshot:
    """Collects a submission's files under the caps, never following a link."""

    def __init__(self, root: Path) -> None:
        self.root, self.files, self.skipped, self.total = root, {}, [], 0

    def from_folder(self) -> tuple[dict[str, bytes], list[str]]:
        for relative, full in self._walk(self.root, ""):
            self._add(relative, lambda f=full: read_bytes(f, limit=MAX_FILE_BYTES + 1), os.lstat(full).st_size)
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


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES + 1) -> bytes:
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
