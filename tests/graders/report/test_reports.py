"""Reports: exact text for a small report, Korean headings, JSON against its published schema, Gradescope."""
from __future__ import annotations

import jsonschema
import pytest

from graders.report.gradescope import to_gradescope
from graders.report.json_report import schema, to_json
from graders.report.text import render_text
from graders.results import CheckResult, Report

CHECKS = (
    CheckResult("Relu.forward", "Relu", "forward", "pass", 1.0, 1.0),
    CheckResult("Affine.backward.db", "Affine", "backward", "fail", 0.0, 1.0,
                "Affine.backward: db has shape (3, 5); it should be (5,): sum over the batch axis (axis=0)",
                "affine.db_not_summed", {"got_shape": "(3, 5)"}),
    CheckResult("SoftmaxWithLoss.backward_dout", "SoftmaxWithLoss", "backward", "warning", 1.0, 1.0,
                "SoftmaxWithLoss.backward: backward ignores dout (the book does too): harmless as the last layer",
                "softmax_with_loss.ignores_dout"),
)
REPORT = Report("hw5.py", CHECKS, "en", 0.4, ("the submission printed 2 line(s).",))


def test_text_report_exactly():
    assert render_text(REPORT, color=False) == (
        "hw5.py\n"
        "score: 2 / 3   passed 1, failed 1, errors 0, warnings 1\n"
        "  ✓ Relu.forward                             1/1\n"
        "  ✗ Affine.backward.db                       0/1\n"
        "      Affine.backward: db has shape (3, 5); it should be (5,): sum over the batch axis (axis=0)\n"
        "  ! SoftmaxWithLoss.backward_dout            1/1\n"
        "      SoftmaxWithLoss.backward: backward ignores dout (the book does too): harmless as the last layer\n"
        "notes: the submission printed 2 line(s).\n")


def test_text_report_in_korean_and_in_colour():
    korean = Report("hw5.py", CHECKS[:1], "ko")
    text = render_text(korean, color=False)
    assert "점수: 1 / 1   통과 1, 실패 0, 오류 0, 경고 0" in text and "모든 검사를 통과했습니다." in text
    assert "\x1b[" in render_text(korean, color=True) and "\x1b[" not in text


def test_json_report_follows_the_schema():
    document = to_json(REPORT)
    assert (document["score"], document["max_score"], document["all_passed"]) == (2.0, 3.0, False)
    assert document["checks"][1] | {} == {
        "id": "Affine.backward.db", "component": "Affine", "method": "backward", "status": "fail", "points": 0.0,
        "max_points": 1.0, "bug": "affine.db_not_summed", "message": CHECKS[1].message,
        "details": {"got_shape": "(3, 5)"}}
    assert document["checks"][0]["bug"] is None


@pytest.mark.parametrize("corrupt", [
    lambda d: d["checks"][0].update(status="passed"),
    lambda d: d["checks"][0].pop("bug"),
    lambda d: d.update(score=-1),
])
def test_schema_rejects_what_it_should(corrupt):
    document = to_json(REPORT)
    corrupt(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema(), cls=jsonschema.Draft202012Validator)


def test_gradescope_results():
    results = to_gradescope(REPORT)
    assert results["score"] == 2.0 and results["output_format"] == "text"
    assert [(t["name"], t["score"], t["max_score"], t["status"]) for t in results["tests"]] == [
        ("Relu.forward", 1.0, 1.0, "passed"), ("Affine.backward.db", 0.0, 1.0, "failed"),
        ("SoftmaxWithLoss.backward_dout", 1.0, 1.0, "passed")]
    assert results["tests"][1]["output"].startswith("Affine.backward: db has shape")
