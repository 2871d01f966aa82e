"""One bad submission never stops the class: unreadable notebooks, odd cells and a hostile channel writer
each cost only their own student; the exports are written; a rerun retries only what could not be graded."""
from __future__ import annotations

import json
from pathlib import Path

from backprop_lab.cli import main

TEXTBOOK = Path(__file__).resolve().parents[2] / "fixtures" / "submissions" / "textbook.py"


def _class(root: Path) -> Path:
    root.mkdir()
    (root / "good.py").write_text(TEXTBOOK.read_text())
    (root / "deep.ipynb").write_text("[" * 200_000 + "]" * 200_000)
    cells = [{"cell_type": "code", "source": 42, "metadata": {}, "outputs": []},
             {"cell_type": "code", "source": ["import numpy as np\n", 7], "metadata": {}, "outputs": []},
             {"cell_type": "code", "source": TEXTBOOK.read_text(), "metadata": {}, "outputs": []}]
    (root / "odd_cells.ipynb").write_text(json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5,
                                                      "metadata": {}}))
    (root / "scribbler.py").write_text("import os\nfor _fd in range(3, 30):\n    try: os.write(_fd, b'\\xff' * 64)\n"
                                       "    except OSError: pass\n" + TEXTBOOK.read_text())
    return root


def test_a_class_with_broken_and_hostile_submissions_finishes(tmp_path, capsys):
    root = _class(tmp_path / "class")
    out = tmp_path / "out"
    code = main(["grade", str(root), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1  # deep.ipynb could not be read: said in one line, the rest graded
    assert "deep.ipynb: not a notebook" in captured.err and "Traceback" not in captured.err
    grades = (out / "grades.csv").read_text()
    for student in ("good", "odd_cells", "scribbler"):
        assert student in grades
    good = json.loads((out / "results" / "good.json").read_text())
    odd = json.loads((out / "results" / "odd_cells.json").read_text())
    assert good["report"]["score"] == good["report"]["max_score"] == odd["report"]["max_score"]
    assert odd["report"]["score"] == odd["report"]["max_score"]


def test_a_submission_that_could_not_be_graded_is_tried_again(tmp_path, capsys):
    root = tmp_path / "class"
    root.mkdir()
    (root / "good.py").write_text(TEXTBOOK.read_text())
    out = tmp_path / "out"
    assert main(["grade", str(root), "--out", str(out)]) == 0
    result = out / "results" / "good.json"
    document = json.loads(result.read_text())
    result.write_text(json.dumps({**document, "status": "error", "error": "could not grade: lost"}))
    capsys.readouterr()
    assert main(["grade", str(root), "--out", str(out)]) == 0
    assert "graded 1, already done 0" in capsys.readouterr().out
    assert json.loads(result.read_text())["status"] == "graded"
