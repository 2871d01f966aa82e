"""The chapter's scripts are graded by what they print: the shopping graphs' values and gradient_check.py's
differences. A right folder passes them; a swapped MulLayer or a wrong Affine is caught there too."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graders.checker import check_submission

BOOK = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "book_layout_full" / "submission"


def _scripts(report) -> dict[str, tuple[str, str | None]]:
    return {c.id: (c.status, c.bug) for c in report.checks if c.component == "book_scripts"}


@pytest.fixture
def book(tmp_path) -> Path:
    return Path(shutil.copytree(BOOK, tmp_path / "book"))


def test_the_book_scripts_of_a_right_folder_pass(book):
    assert _scripts(check_submission(str(book), only=["book_scripts"])) == {
        "book_scripts.buy_apple": ("pass", None), "book_scripts.buy_apple_orange": ("pass", None),
        "book_scripts.gradient_check": ("pass", None)}


def test_a_swapped_mul_layer_fails_the_shopping_graphs(book):
    naive = book / "ch05" / "layer_naive.py"
    source = naive.read_text()
    assert "dx = dout * self.y" in source
    naive.write_text(source.replace("dx = dout * self.y", "dx = dout * self.x"))
    scripts = _scripts(check_submission(str(book), only=["book_scripts"]))
    assert scripts["book_scripts.buy_apple"] == ("fail", "book_scripts.wrong_value")
    assert scripts["book_scripts.buy_apple_orange"] == ("fail", "book_scripts.wrong_value")
    assert scripts["book_scripts.gradient_check"] == ("pass", None)


def test_a_wrong_bias_gradient_fails_gradient_check(book):
    layers = book / "common" / "layers.py"
    source = layers.read_text()
    assert "self.db = np.sum(dout, axis=0)" in source
    layers.write_text(source.replace("self.db = np.sum(dout, axis=0)", "self.db = np.mean(dout, axis=0)"))
    report = check_submission(str(book), only=["book_scripts"])
    check = next(c for c in report.checks if c.id == "book_scripts.gradient_check")
    assert (check.status, check.bug) == ("fail", "book_scripts.gradient_check_differs")
    assert "b1" in check.message or "b2" in check.message


@pytest.mark.slow
def test_the_book_folder_with_its_training_script_gets_full_marks_with_train(book, tmp_path, capsys):
    """As a student clones the chapter: `backprop-lab check FOLDER --train` grades train_neuralnet.py as the
    trainer, on the grader's data and the textbook schedule (10,000 steps)."""
    from backprop_lab.cli import main
    assert main(["check", str(book), "--train", "--out", str(tmp_path / "runs")]) == 0
    out = capsys.readouterr().out
    assert "All checks passed." in out and "train ch05/train_neuralnet.py (script)" in out
