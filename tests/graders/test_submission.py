"""Submissions: the three kinds load; bad input is one line naming the file; the digest follows the code."""
from __future__ import annotations

import json
import shutil

import pytest

from corpus import SUBMISSIONS
from graders.submission import SubmissionError, load_submission


def test_the_three_kinds(correct_submissions):
    assert load_submission(correct_submissions["textbook.py"]).kind == "py"
    assert load_submission(correct_submissions["book_layout"]).kind == "folder"
    assert load_submission(correct_submissions["notebook.ipynb"]).kind == "ipynb"


def test_digest_is_the_codes_not_the_paths(tmp_path):
    copy = tmp_path / "renamed.py"
    shutil.copy(SUBMISSIONS / "textbook.py", copy)
    assert load_submission(copy).digest == load_submission(SUBMISSIONS / "textbook.py").digest
    copy.write_text(copy.read_text() + "\n# a change\n")
    assert load_submission(copy).digest != load_submission(SUBMISSIONS / "textbook.py").digest


def test_notebook_digest_ignores_outputs(tmp_path, correct_submissions):
    notebook = json.loads(correct_submissions["notebook.ipynb"].read_text())
    notebook["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["numpy 2.0\n"]}]
    path = tmp_path / "run.ipynb"
    path.write_text(json.dumps(notebook))
    assert load_submission(path).digest == load_submission(correct_submissions["notebook.ipynb"]).digest


@pytest.mark.parametrize("make,fragment", [
    (lambda d: d / "missing.py", "no such file or directory"),
    (lambda d: (d / "broken.ipynb").write_text("{not json") and d / "broken.ipynb", "not a notebook: invalid JSON"),
    (lambda d: (d / "prose.ipynb").write_text('{"cells": [{"cell_type": "markdown", "source": "hi"}]}')
     and d / "prose.ipynb", "no code cells"),
    (lambda d: (d / "empty").mkdir() or d / "empty", "holds no .py file"),
    (lambda d: (d / "answer.txt").write_text("x") and d / "answer.txt", "not a .py file"),
    (lambda d: (d / "latin.py").write_bytes(b"# \xff\xfe") and d / "latin.py", "not UTF-8"),
])
def test_bad_input_is_one_line_naming_the_file(tmp_path, make, fragment):
    path = make(tmp_path)
    with pytest.raises(SubmissionError) as caught:
        load_submission(path)
    message = str(caught.value)
    assert fragment in message and path.name in message and "\n" not in message
