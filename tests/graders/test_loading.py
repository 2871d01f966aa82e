"""Loading as a person reads: any module of the standard library, syntax errors and missing modules as the
main finding, broken drafts as warnings, what was graded said first."""
from __future__ import annotations

from pathlib import Path

from corpus import TEXTBOOK
from graders.checker import check_submission


def test_a_correct_submission_importing_any_standard_module_keeps_full_marks(tmp_path):
    path = tmp_path / "hw5.py"
    path.write_text("import gzip\nimport urllib.request\nimport matplotlib.pylab as plt\nimport sqlite3, csv, "
                    "decimal, fractions, statistics, zipfile, xml.etree.ElementTree, unicodedata\n"
                    + TEXTBOOK.read_text() + "\nplt.plot([1, 2, 3])\nplt.show()\n")
    report = check_submission(str(path))
    assert report.score == report.max_score > 40, [c.message for c in report.checks if not c.passed]


def test_a_syntax_error_is_the_first_finding_and_fails_what_the_file_declares(tmp_path):
    (tmp_path / "hw").mkdir()
    source = TEXTBOOK.read_text()
    split = source.index("class Relu")
    (tmp_path / "hw" / "nodes.py").write_text(source[:split])
    (tmp_path / "hw" / "layers.py").write_text("import numpy as np\nfrom nodes import *\n\n"
                                              + source[split:].replace("def forward(self, x):", "def forward(self, x)", 1))
    report = check_submission(str(tmp_path / "hw"))
    assert report.notes[0].startswith("layers.py: SyntaxError: expected ':' (layers.py, line")
    relu = [c for c in report.checks if c.component == "Relu"]
    assert {c.bug for c in relu} == {"syntax_error"} and "layers.py" in relu[0].message
    assert all(c.passed for c in report.checks if c.component in ("MulLayer", "AddLayer", "softmax"))


def test_a_module_the_grader_lacks_is_named_with_its_file_and_line(tmp_path):
    path = tmp_path / "net.py"
    path.write_text(TEXTBOOK.read_text().replace("class TwoLayerNet", "import torch\n\n\nclass TwoLayerNet", 1))
    report = check_submission(str(path), only=["TwoLayerNet", "Relu"])
    net = next(c for c in report.checks if c.component == "TwoLayerNet")
    assert net.bug == "missing_module" and "imports torch" in net.message and "net.py, line" in net.message
    assert all(c.passed for c in report.checks if c.component == "Relu")


def test_a_broken_draft_beside_the_used_copy_is_a_warning(tmp_path):
    folder = tmp_path / "hw"
    folder.mkdir()
    (folder / "hw5.py").write_text(TEXTBOOK.read_text())
    (folder / "relu_draft.py").write_text("class Relu:\n    def forward(self, x)\n        pass\n")
    report = check_submission(str(folder))
    assert report.score == report.max_score
    assert any(n.startswith("warning: Relu in relu_draft.py does not run") for n in report.notes)


def test_the_report_says_what_was_graded_first(tmp_path):
    report = check_submission(str(TEXTBOOK), only=["Affine"], lang="ko")
    assert report.notes[0] == "읽은 파일: textbook.py"
    assert report.notes[1].startswith("채점한 정의: Affine textbook.py:")


def test_check_takes_a_zip_and_a_tarball_as_typed(tmp_path, capsys):
    import tarfile
    import zipfile

    from backprop_lab.cli import main
    from corpus import write_book_layout

    folder = write_book_layout(tmp_path / "hw5")
    with zipfile.ZipFile(tmp_path / "hw5.zip", "w") as archive:
        for path in folder.rglob("*.py"):
            archive.write(path, Path("hw5") / path.relative_to(folder))
    with tarfile.open(tmp_path / "hw5.tar.gz", "w:gz") as archive:
        archive.add(folder, arcname="hw5")
    for handed_in in ("hw5.zip", "hw5.tar.gz", "hw5"):
        assert main(["check", str(tmp_path / handed_in)]) == 0, handed_in
        assert "All checks passed." in capsys.readouterr().out


def test_an_unreadable_submission_still_gets_a_gradescope_result_saying_why(tmp_path, capsys):
    import json

    from backprop_lab.cli import main
    bad = tmp_path / "hw5.ipynb"
    bad.write_text("{not json")
    assert main(["check", str(bad), "--format", "gradescope", "--lang", "ko"]) == 2
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["score"] == 0 and "읽을 수 없어" in document["output"] and "JSON이 잘못되었습니다" in document["output"]
    assert captured.err.count("\n") == 1 and captured.err.startswith("오류: ")
