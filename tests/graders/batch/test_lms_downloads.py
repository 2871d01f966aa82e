"""A class as LMS downloads hand it over: Canvas file names (one student's several files become one
submission), Moodle folders, zips, nbgrader's submitted/ tree; ids keep Hangul and never collide."""
from __future__ import annotations

import zipfile
from pathlib import Path

from backprop_lab.cli import main
from corpus import write_book_layout
from graders.batch.discover import discover

TEXTBOOK = Path(__file__).resolve().parents[2] / "fixtures" / "submissions" / "textbook.py"


def _class(root: Path) -> Path:
    code = TEXTBOOK.read_text()
    layers, network = code[:code.index("class TwoLayerNet")], code[code.index("class TwoLayerNet"):]
    (root / "kimminsu_1234_5678_layers.py").write_text(layers)                      # Canvas, two files
    (root / "kimminsu_1234_5678_two_layer_net.py").write_text(
        "import numpy as np\nfrom collections import OrderedDict\nfrom layers import *\n\n" + network)
    (root / "leejieun_LATE_2222_3333_hw5.py").write_text(code)                       # Canvas, late
    moodle = root / "Park Seo-yeon_99881_assignsubmission_file_"                       # Moodle folder
    write_book_layout(moodle / "hw5")
    with zipfile.ZipFile(root / "최유진.zip", "w") as archive:                           # a Hangul zip
        archive.writestr("ch05/hw5.py", code)
    (root / "최유진.py").write_text(code)                                               # same name: no clash
    return root


def test_lms_names_become_students_and_everyone_is_graded(tmp_path):
    (tmp_path / "class").mkdir()
    entries, problems = discover(_class(tmp_path / "class"))
    assert problems == []
    ids = [e.student for e in entries]
    assert "kimminsu" in ids and "leejieun" in ids and "Park_Seo-yeon" in ids
    assert "최유진" in ids and len([i for i in ids if i.startswith("최유진")]) == 2 and len(set(ids)) == len(ids)
    kim = next(e for e in entries if e.student == "kimminsu")
    assert sorted(m.split("=")[0] for m in kim.group) == ["layers.py", "two_layer_net.py"]


def test_a_class_download_grades_with_full_marks(tmp_path):
    root = tmp_path / "class"
    root.mkdir()
    _class(root)
    out = tmp_path / "out"
    assert main(["grade", str(root), "--out", str(out)]) == 0
    grades = (out / "grades.csv").read_text(encoding="utf-8")
    for student in ("kimminsu", "leejieun", "Park_Seo-yeon", "최유진"):
        assert student in grades


def test_nbgrader_submitted_tree(tmp_path):
    course = tmp_path / "course"
    folder = course / "submitted" / "student-1" / "ch05"
    folder.mkdir(parents=True)
    (folder / "hw.py").write_text(TEXTBOOK.read_text())
    entries, problems = discover(course)
    assert [e.student for e in entries] == ["student-1"] and problems == []


def test_grade_speaks_korean_with_lang_ko(tmp_path, capsys):
    root = tmp_path / "class"
    root.mkdir()
    (root / "민수.py").write_text(TEXTBOOK.read_text().replace("np.sum(dout, axis=0)", "np.mean(dout, axis=0)"))
    (root / "bad.ipynb").write_text("{")
    assert main(["grade", str(root), "--out", str(tmp_path / "out"), "--lang", "ko"]) == 1
    captured = capsys.readouterr()
    out = " ".join(captured.out.split())
    for korean in ("제출물 1개", "가장 흔한 버그", "학생", "채점 1개, 이미 채점됨 0개", "성적:"):
        assert korean in out, korean
    for english in ("submissions", "most common bugs", "already done", "grades:"):
        assert english not in out, english
    assert captured.err.startswith("건너뜀: ")


def test_grades_csv_has_a_column_per_component_that_adds_up_to_the_score(tmp_path):
    import csv

    root = tmp_path / "class"
    root.mkdir()
    (root / "a.py").write_text(TEXTBOOK.read_text())
    (root / "b.py").write_text(TEXTBOOK.read_text().replace("np.sum(dout, axis=0)", "np.mean(dout, axis=0)"))
    assert main(["grade", str(root), "--out", str(tmp_path / "out")]) == 0
    rows = list(csv.DictReader((tmp_path / "out" / "grades.csv").open()))
    components = ["MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "softmax", "cross_entropy_error",
                  "SoftmaxWithLoss", "numerical_gradient", "TwoLayerNet"]
    assert list(rows[0])[5:] == components
    for row in rows:
        assert abs(sum(float(row[c]) for c in components) - float(row["score"])) < 1e-9
    b = next(r for r in rows if r["student_id"] == "b")
    assert float(b["Affine"]) < float(next(r for r in rows if r["student_id"] == "a")["Affine"])


def test_regrade_one_student(tmp_path, capsys):
    root = tmp_path / "class"
    root.mkdir()
    for name in ("a", "b", "c"):
        (root / f"{name}.py").write_text(TEXTBOOK.read_text())
    out = tmp_path / "out"
    assert main(["grade", str(root), "--out", str(out)]) == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "results").glob("*.json")}
    capsys.readouterr()
    assert main(["grade", str(root), "--out", str(out), "--student", "b"]) == 0
    assert "graded 1, already done 0" in " ".join(capsys.readouterr().out.split())
    after = {p.name: p.stat().st_mtime_ns for p in (out / "results").glob("*.json")}
    assert after["a.json"] == stamps["a.json"] and after["c.json"] == stamps["c.json"]
    assert after["b.json"] != stamps["b.json"]
    assert (out / "grades.csv").read_text().count("\n") == 4  # the whole class is still in the exports
    assert main(["grade", str(root), "--out", str(out), "--student", "bb"]) == 2
    assert capsys.readouterr().err == f"error: {root}: no student 'bb'; did you mean b?\n"
