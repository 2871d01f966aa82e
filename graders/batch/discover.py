"""The submissions of a class, as a folder or an LMS download hands them over.

One entry per student: a .py file, a notebook, a folder (any layout), a .zip or a .tar.gz.
LMS names are read for the student: Canvas's ``name_[LATE_]ID_ID_file.py`` (several files of one
student become one submission, their original names restored), Moodle's
``Full Name_ID_assignsubmission_file_`` folders, nbgrader's ``submitted/STUDENT/ASSIGNMENT/``.
Student ids keep their letters (Hangul, kana, CJK) and never collide: a clash gets a suffix.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from graders.submission import ARCHIVES, SubmissionError, load_submission

_UNSAFE = re.compile(r"[^\w.\-]+")   # \w is Unicode-aware: 김민수 stays 김민수
_CANVAS = re.compile(r"^(?P<student>.+?)_(?:LATE_)?\d+_\d+_(?P<file>.+)$")
_MOODLE = re.compile(r"^(?P<student>.+?)_\d+_assignsubmission_\w+$")
_CODE = (".py", ".ipynb", *ARCHIVES)


@dataclass(frozen=True)
class Entry:
    student: str                # an id safe as a file name, unique in the class
    path: Path                  # what is graded (the first file of a Canvas group)
    digest: str                 # of the code: a changed submission is graded again
    group: tuple[str, ...] = ()  # a Canvas student's several files: "original name=path" each

    @property
    def source(self) -> str | list[str]:
        """What a worker loads: the path, or the group's files."""
        return list(self.group) if self.group else str(self.path)


def discover(folder: str | Path) -> tuple[list[Entry], list[str]]:
    """The gradable entries, sorted by student, and one line for each entry that cannot be graded."""
    root = Path(folder).resolve()
    if not root.is_dir():
        raise SubmissionError(f"{root}: not a folder of submissions", ko=f"{root}: 제출물 폴더가 아닙니다")
    if (root / "submitted").is_dir() and not any(p.suffix in _CODE for p in root.iterdir() if p.is_file()):
        root = root / "submitted"  # an nbgrader course folder: submitted/STUDENT/ASSIGNMENT/
    groups: dict[tuple[str, str], list[tuple[str, Path]]] = {}
    for path in sorted(root.iterdir()):
        if path.name.startswith((".", "_")) or path.is_symlink():
            continue
        if path.is_file() and not path.name.lower().endswith(_CODE):
            continue
        student, original = _student_of(path)
        canvas = original != path.name  # only Canvas's files of one student are put together
        groups.setdefault((student, "" if canvas else path.name), []).append((original, path))
    entries, problems, taken = [], [], set()
    for (student, _), files in groups.items():
        try:
            if len(files) == 1:
                source: str | list[str] = str(files[0][1])
            else:
                source = [f"{original}={path}" for original, path in files]
            submission = load_submission(source)
        except SubmissionError as exc:
            problems.append(str(exc))
            continue
        ident = _unique(_UNSAFE.sub("_", student).strip("_.") or "student", files[0][1], taken)
        entries.append(Entry(ident, files[0][1], submission.digest,
                             tuple(source) if isinstance(source, list) else ()))
    return sorted(entries, key=lambda e: e.student), problems


def _student_of(path: Path) -> tuple[str, str]:
    """(student, the file's own name) from an LMS name, else (the name without extension, the name)."""
    name = path.name
    canvas = _CANVAS.match(name) if path.is_file() else None
    if canvas:
        return canvas.group("student"), canvas.group("file")
    moodle = _MOODLE.match(name) if path.is_dir() else None
    if moodle:
        return moodle.group("student"), name
    stem = name
    for suffix in sorted(_CODE, key=len, reverse=True):
        if path.is_file() and stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return stem, name


def _unique(ident: str, path: Path, taken: set[str]) -> str:
    if ident in taken:
        ident = f"{ident}-{hashlib.sha256(path.name.encode()).hexdigest()[:6]}"
    taken.add(ident)
    return ident
