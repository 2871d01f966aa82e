"""The submissions of a class: one entry per student in a folder (a .py file, a folder, a notebook)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graders.submission import SubmissionError, load_submission

_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Entry:
    student: str      # the file or folder name without its extension
    path: Path
    digest: str       # of the code: a changed submission is graded again


def discover(folder: str | Path) -> tuple[list[Entry], list[str]]:
    """The gradable entries, sorted by student, and one line for each entry that cannot be graded."""
    root = Path(folder)
    if not root.is_dir():
        raise SubmissionError(f"{root}: not a folder of submissions")
    entries, problems = [], []
    for path in sorted(root.iterdir()):
        if path.name.startswith((".", "_")) or (path.is_file() and path.suffix not in (".py", ".ipynb")):
            continue
        try:
            submission = load_submission(path)
        except SubmissionError as exc:
            problems.append(str(exc))
            continue
        entries.append(Entry(_SAFE.sub("_", path.stem if path.is_file() else path.name), path, submission.digest))
    students = [e.student for e in entries]
    clashes = sorted({s for s in students if students.count(s) > 1})
    if clashes:
        raise SubmissionError(f"{root}: two submissions for {clashes[0]!r} (e.g. {clashes[0]}.py and {clashes[0]}.ipynb)")
    return entries, problems
