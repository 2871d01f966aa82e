"""User errors are one line in the user's language: every raise of a LabError subclass carries its Korean
text, and the command line prints the line in the language asked for."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("labdata", "graders", "assignments", "backprop_lab")
ERRORS = {"LabError", "DataError", "SubmissionError", "ConfigError", "SettingsError", "AssignmentError",
          "FolderBusy", "SchedulerUnreachable"}


def _raises_without_korean() -> list[str]:
    missing = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
                        and getattr(node.exc.func, "id", None) in ERRORS:
                    if not any(k.arg in ("ko",) or k.arg is None for k in node.exc.keywords):
                        missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return missing


def test_every_user_error_is_raised_with_its_korean_line():
    assert _raises_without_korean() == []


def test_the_list_of_error_classes_is_every_lab_error():
    """A new LabError subclass must join ERRORS, else its raises would escape the check above."""
    import assignments.course, graders.batch.lock, graders.batch.runner, graders.config, graders.submission  # noqa: F401,E401
    import graders.training.settings  # noqa: F401
    from labdata.errors import LabError

    def subclasses(cls):
        return {cls.__name__} | {n for sub in cls.__subclasses__() for n in subclasses(sub)}
    assert subclasses(LabError) == ERRORS


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "backprop_lab", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def test_check_and_grade_say_their_errors_in_korean(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "half.ipynb").write_text('{"cells": [')
    for args, line in [(("check", "nope.py", "--lang", "ko"), "오류: nope.py: 그런 파일이나 폴더가 없습니다\n"),
                       (("check", "half.ipynb", "--lang", "ko"), "오류: half.ipynb: 노트북이 아닙니다: "),
                       (("grade", "empty", "--out", "r", "--lang", "ko"), "오류: empty: 제출물(.py, .ipynb, 폴더, "),
                       (("check", "nope.py", "--lang", "en"), "error: nope.py: no such file or directory\n")]:
        done = _run(*args, cwd=tmp_path)
        assert done.returncode == 2 and done.stderr.startswith(line) and done.stderr.count("\n") == 1, (args, done.stderr)
