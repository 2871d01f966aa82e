"""The checker as students and instructors meet it: did-you-mean, --only, regrades, languages, the command."""
from __future__ import annotations

import io
import json

import jsonschema
import pytest

from backprop_lab.cli import main
from corpus import SUBMISSIONS, load_fixture
from graders.config import config_from_document
from graders.check_command import check_command
from graders.checker import build_suites, check_submission
from graders.report.json_report import schema
from graders.submission import load_submission

BASE = (SUBMISSIONS / "textbook.py").read_text()
mutants = load_fixture("mutants")


def _write(tmp_path, text, name="hw.py"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_misspelled_class_gets_did_you_mean_and_fails_only_that_component(tmp_path):
    path = _write(tmp_path, BASE.replace("class Sigmoid:", "class Sigmoyd:").replace("Sigmoid()", "Sigmoyd()"))
    report = check_submission(path)
    sigmoid = [c for c in report.checks if c.component == "Sigmoid"]
    assert all(c.status == "error" and c.bug == "wrong_name" and c.points == 0 for c in sigmoid)
    assert sigmoid[0].message == ("Sigmoid.forward: Sigmoid is not defined; did you mean 'Sigmoyd'? "
                                  "(the name must be exactly 'Sigmoid')")
    assert all(c.passed for c in report.checks if c.component != "Sigmoid")


def test_a_near_name_is_graded_as_the_book_name_with_a_note_unless_the_config_wants_exact_names(tmp_path):
    path = _write(tmp_path, BASE.replace("class Relu:", "class ReLU:").replace("Relu()", "ReLU()"))
    report = check_submission(path, only=["Relu"])
    assert report.score == report.max_score
    assert "graded: Relu hw.py:" in report.notes[1] and "(as ReLU; the book's name is Relu)" in report.notes[1]
    strict = check_submission(path, only=["Relu"], config=config_from_document({"exact_names": True}))
    assert {c.bug for c in strict.checks} == {"wrong_name"} and strict.score == 0
    assert "ReLU" in strict.checks[0].message and "'Relu'" in strict.checks[0].message


LOWER_CASE_GRADIENTS = BASE.replace(".dW", ".dw").replace(".db", ".grad_b")  # Affine's and the net's, alike


def test_gradients_kept_under_a_students_names_are_graded_with_a_warning_unless_names_must_be_exact(tmp_path):
    path = _write(tmp_path, LOWER_CASE_GRADIENTS)
    report = check_submission(path, only=["Affine", "TwoLayerNet"])
    assert report.score == report.max_score
    warned = {c.id: c.message for c in report.checks if c.status == "warning"}
    assert set(warned) == {"Affine.backward.dW", "Affine.backward.db", "Affine.4d_input", "Affine.float32"}
    assert warned["Affine.backward.db"] == ("Affine.backward: keeps db as self.grad_b (its values are right); the "
                                            "book's TwoLayerNet reads layer.db, so name it db")
    strict = check_submission(path, only=["Affine"], config=config_from_document({"exact_names": True}))
    wrong = {c.id: c.message for c in strict.checks if c.bug == "wrong_name"}
    assert set(wrong) == set(warned) and strict.score == strict.max_score - 4
    assert wrong["Affine.backward.dW"] == "Affine.backward: self.dw is not the book's name; the name must be exactly 'dW'"


def test_a_wrong_gradient_under_a_students_name_is_still_named(tmp_path):
    path = _write(tmp_path, LOWER_CASE_GRADIENTS.replace("self.dw = np.dot(self.x.T, dout)",
                                                         "self.dw = np.dot(self.x.T, dout) / dout.shape[0]"))
    dw = {c.id: c for c in check_submission(path, only=["Affine"]).checks}["Affine.backward.dW"]
    assert dw.status == "fail" and dw.bug == "affine.dw_averaged"


def test_the_second_books_grads_list_is_read_as_dw_and_db(tmp_path):
    second_book = BASE.replace("        self.dW = None\n        self.db = None\n",
                               "        self.grads = [np.zeros_like(W), np.zeros_like(b)]\n")
    second_book = second_book.replace("self.dW = np.dot(self.x.T, dout)", "self.grads[0][...] = np.dot(self.x.T, dout)")
    second_book = second_book.replace("self.db = np.sum(dout, axis=0)", "self.grads[1][...] = np.sum(dout, axis=0)")
    report = check_submission(_write(tmp_path, second_book), only=["Affine"])
    assert report.score == report.max_score
    assert "keeps dW as self.grads[0]" in {c.id: c.message for c in report.checks}["Affine.backward.dW"]


def test_did_you_mean_suggests_a_class_for_a_class(tmp_path):
    path = _write(tmp_path, BASE.replace("class Relu:", "class Rectifier:").replace("Relu()", "Rectifier()")
                  + "\ndef relu_(x):\n    return x\n")
    relu = check_submission(path, only=["Relu"]).checks[0]
    assert relu.bug == "wrong_name" and "relu_" not in relu.message


def test_misspelled_method_gets_did_you_mean(tmp_path):
    path = _write(tmp_path, BASE.replace("    def backward(self, dout):\n        dx = dout * self.y",
                                         "    def backwards(self, dout):\n        dx = dout * self.y"))
    report = check_submission(path, only=["MulLayer"])
    backward = next(c for c in report.checks if c.id == "MulLayer.backward")
    assert backward.message == "MulLayer.backward: MulLayer has no method 'backward'; did you mean 'backwards'?"


def test_only_grades_the_components_asked_for(tmp_path):
    report = check_submission(str(SUBMISSIONS / "textbook.py"), only=["Relu", "Affine"])
    assert {c.component for c in report.checks} == {"Relu", "Affine"}
    with pytest.raises(ValueError, match="unknown component 'ReLU'"):
        check_submission(str(SUBMISSIONS / "textbook.py"), only=["ReLU"])


def test_inputs_are_seeded_by_the_code_so_a_regrade_sees_the_same_inputs(tmp_path):
    def inputs(path):
        suites = build_suites(load_submission(path), ["Affine"])
        return [p.arrays["x"] for p in suites["Affine"].probes]

    same = inputs(_write(tmp_path, BASE, "copy.py"))
    assert all((a == b).all() for a, b in zip(same, inputs(str(SUBMISSIONS / "textbook.py"))))
    other = inputs(_write(tmp_path, BASE + "\n# edited\n", "edited.py"))
    assert not (same[0] == other[0]).all()


def test_korean_messages(tmp_path):
    mutant = next(m for m in mutants.MUTANTS if m.id == "affine_db_not_summed")
    report = check_submission(_write(tmp_path, mutant.source()), only=["Affine"], lang="ko")
    db = next(c for c in report.checks if c.id == "Affine.backward.db")
    assert db.message == ("Affine.backward: db의 형상이 (3, 5)입니다. (5,)이어야 합니다: 배치 축(axis=0)으로 합하세요.")


def test_failure_messages_name_layer_method_and_numbers(tmp_path):
    mutant = next(m for m in mutants.MUTANTS if m.id == "sigmoid_backward_sign")
    report = check_submission(_write(tmp_path, mutant.source()), only=["Sigmoid"])
    backward = next(c for c in report.checks if c.id == "Sigmoid.backward")
    assert backward.message.startswith("Sigmoid.backward: dx is wrong at (")
    assert "expected" in backward.message and "got" in backward.message and "tol" in backward.message


def test_partial_credit_follows_the_config(tmp_path):
    config = tmp_path / "grading.yaml"
    config.write_text("default_points: 0\npoints:\n  Affine.*: 1\n  Affine.backward.db: 6\n")
    mutant = next(m for m in mutants.MUTANTS if m.id == "affine_db_mean")
    out = io.StringIO()
    code = check_command(_write(tmp_path, mutant.source()), only=["Affine"], fmt="json", config_path=str(config),
                         out=out)
    document = json.loads(out.getvalue())
    jsonschema.validate(document, schema())
    assert code == 1
    # db is also part of the 4-D and float32 checks: forward, dx and dW pass (3 x 1), the rest earn nothing
    assert (document["score"], document["max_score"]) == (3, 1 + 1 + 1 + 6 + 1 + 1)


def test_command_exit_codes_and_formats(tmp_path, capsys):
    assert main(["check", str(SUBMISSIONS / "textbook.py"), "--only", "Relu"]) == 0
    assert "All checks passed." in capsys.readouterr().out
    assert main(["check", _write(tmp_path, BASE.replace("self.mask = (x <= 0)", "self.mask = (x < 0)")),
                 "--only", "Relu", "--format", "gradescope"]) == 1
    assert json.loads(capsys.readouterr().out)["tests"][1]["status"] == "failed"
    assert main(["check", str(tmp_path / "missing.py")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'missing.py'}: no such file or directory\n"
    (tmp_path / "bad.json").write_text('{"points": {"Relu.*": -2}}')
    assert main(["check", str(SUBMISSIONS / "textbook.py"), "--config", str(tmp_path / "bad.json")]) == 2
    assert capsys.readouterr().err.startswith("error: bad.json: points.Relu.*: -2 is less than the minimum of 0")
    with pytest.raises(SystemExit) as usage:
        main(["check", str(SUBMISSIONS / "textbook.py"), "--only", "Softmax"])
    assert usage.value.code == 2


def test_notebook_cells_after_a_failing_cell_still_count(tmp_path):
    """As nbgrader runs a notebook: a cell that raises is reported; the cells after it run."""
    relu = BASE[BASE.index("class Relu:"):BASE.index("class Sigmoid:")]
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}
             for source in ("import numpy as np\n", "raise NotImplementedError('Sigmoid: not done')\n", relu)]
    path = tmp_path / "half_done.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    report = check_submission(str(path), only=["Relu", "Sigmoid"])
    assert all(c.passed for c in report.checks if c.component == "Relu")
    assert all(c.bug == "wrong_name" for c in report.checks if c.component == "Sigmoid")
    assert any("NotImplementedError: Sigmoid: not done (half_done.ipynb cell 2, line 1)" in n for n in report.notes)


def test_did_you_mean_in_korean(tmp_path):
    path = _write(tmp_path, BASE.replace("class Sigmoid:", "class Sigmoyd:").replace("Sigmoid()", "Sigmoyd()")
                  .replace("    def backward(self, dout):\n        dx = dout * self.y", "    def backwards(self, dout):\n        dx = dout * self.y"))
    report = check_submission(path, only=["Sigmoid", "MulLayer"], lang="ko")
    sigmoid = next(c for c in report.checks if c.component == "Sigmoid")
    assert sigmoid.message == ("Sigmoid.forward: Sigmoid이(가) 정의되어 있지 않습니다: 'Sigmoyd'을(를) 말한 건가요? "
                               "(이름은 정확히 'Sigmoid'이어야 합니다)")
    backward = next(c for c in report.checks if c.id == "MulLayer.backward")
    assert "'backward' 메서드가 없습니다: 'backwards'을(를) 말한 건가요?" in backward.message
