"""Grading a class: the example class gets the diagnoses it should; runs resume, survive a kill, regrade what
changed; the same submission always gets the same result; a Dask LocalCluster grades like local processes."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from backprop_lab.cli import main
from graders.batch.discover import discover
from graders.batch.runner import grade_entries
from graders.batch.store import ResultStore
from graders.config import load_config

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples" / "class"
TEXTBOOK = REPO / "tests" / "fixtures" / "submissions" / "textbook.py"
SETTINGS = {"config": dict(load_config().raw), "lang": "en", "train": False, "data": None, "iters": None}


def _results(out: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}


def test_the_example_class(tmp_path, capsys):
    assert main(["grade", str(EXAMPLES), "--out", str(tmp_path)]) == 0
    expected = json.loads((EXAMPLES / "EXPECTED.json").read_text())
    results = _results(tmp_path)
    assert set(results) == set(expected) and len(results) == 12
    for student, bug in expected.items():
        report = results[student]["report"]
        if bug is None:
            assert report["score"] == report["max_score"], student
        else:
            assert any(c["component"] == bug["component"] and c["bug"] == bug["bug"] for c in report["checks"]), student
    out = capsys.readouterr().out
    assert "most common bugs" in out and "affine.db_averaged" in out
    assert len((tmp_path / "grades.csv").read_text().splitlines()) == 13
    assert len(list((tmp_path / "gradescope").glob("*.json"))) == 12
    assert (tmp_path / "scores.png").stat().st_size > 5_000


def _class(folder: Path, size: int) -> Path:
    folder.mkdir()
    source = TEXTBOOK.read_text()
    for i in range(size):  # each a little different, so each has its own digest
        (folder / f"student_{i:03d}.py").write_text(source + f"\n# student {i}\n")
    return folder


@pytest.mark.slow
def test_a_killed_run_loses_nothing_and_the_next_run_finishes_the_rest(tmp_path):
    submissions, out = _class(tmp_path / "class", 40), tmp_path / "out"
    command = [sys.executable, "-m", "backprop_lab", "grade", str(submissions), "--out", str(out), "--workers", "2"]
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(list((out / "results").glob("*.json"))) < 8 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)  # as a kill -9 or a power cut would
    first.wait()
    survivors = {p.name: p.stat().st_mtime_ns for p in (out / "results").glob("*.json")}
    assert 8 <= len(survivors) < 40
    assert all(json.loads((out / "results" / name).read_text())["report"] for name in survivors)  # none half-written

    second = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    finished = list((out / "results").glob("*.json"))
    assert sorted(p.stem for p in finished) == [f"student_{i:03d}" for i in range(40)]
    assert not list((out / "results").glob(".*"))  # no temporary files left
    assert all((out / "results" / name).stat().st_mtime_ns == mtime for name, mtime in survivors.items())
    assert f"already done {len(survivors)}" in second.stdout


def test_resume_skips_what_is_done_and_regrades_what_changed(tmp_path):
    submissions, out = _class(tmp_path / "class", 3), tmp_path / "out"
    entries, _ = discover(submissions)
    store = ResultStore(out, SETTINGS)
    assert len(grade_entries(entries, store, SETTINGS, workers=1).graded) == 3
    assert len(grade_entries(entries, store, SETTINGS, workers=1).graded) == 0
    (submissions / "student_001.py").write_text(TEXTBOOK.read_text().replace("np.sum(dout, axis=0)", "dout"))
    entries, _ = discover(submissions)
    progress = grade_entries(entries, store, SETTINGS, workers=1)
    assert (progress.graded, progress.skipped) == (["student_001"], 2)
    assert store.load("student_001")["report"]["score"] < store.load("student_000")["report"]["score"]
    assert len(grade_entries(entries, store, SETTINGS, workers=1, force=True).graded) == 3
    other_settings = {**SETTINGS, "lang": "ko"}  # another language is another grading: done again
    assert len(grade_entries(entries, ResultStore(out, other_settings), other_settings, workers=1).graded) == 3


def test_the_same_submission_gets_the_same_result(tmp_path):
    submissions = tmp_path / "class"
    submissions.mkdir()
    shutil.copy(EXAMPLES / "park_jiho.ipynb", submissions / "a.ipynb")
    shutil.copy(EXAMPLES / "park_jiho.ipynb", submissions / "b.ipynb")
    entries, _ = discover(submissions)
    store = ResultStore(tmp_path / "out", SETTINGS)
    grade_entries(entries, store, SETTINGS, workers=2)

    def stable(student):
        report = store.load(student)["report"]
        return report["score"], [(c["id"], c["status"], c["points"], c["bug"], c["message"]) for c in report["checks"]]

    assert stable("a") == stable("b")


@pytest.mark.slow
def test_a_dask_cluster_grades_like_local_processes(tmp_path):
    from distributed import LocalCluster

    submissions = _class(tmp_path / "class", 4)
    shutil.copy(EXAMPLES / "park_jiho.ipynb", submissions / "park_jiho.ipynb")
    entries, _ = discover(submissions)
    local, remote = ResultStore(tmp_path / "local", SETTINGS), ResultStore(tmp_path / "dask", SETTINGS)
    grade_entries(entries, local, SETTINGS, workers=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      processes=True) as cluster:
        progress = grade_entries(entries, remote, SETTINGS, scheduler=cluster.scheduler_address)
    assert len(progress.graded) == 5
    for entry in entries:
        assert remote.load(entry.student)["report"]["checks"] == local.load(entry.student)["report"]["checks"]


def test_bad_input_is_one_line(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "missing"), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'missing'}: not a folder of submissions\n"
    submissions = _class(tmp_path / "class", 1)
    (submissions / "broken.ipynb").write_text("{not json")
    assert main(["grade", str(submissions), "--out", str(tmp_path / "out")]) == 1  # graded what it could
    assert "skipped: " in capsys.readouterr().err
    assert set(_results(tmp_path / "out")) == {"student_000"}


def test_the_class_report_leads_with_root_causes(tmp_path):
    from graders.batch.summary import CONSEQUENCES, common_bugs
    assert main(["grade", str(EXAMPLES), "--out", str(tmp_path), "--lang", "ko"]) == 0
    page = (tmp_path / "report.html").read_text()
    assert page.startswith("<!doctype html>") and "구성 요소별 근본 원인" in page and "data:image/png;base64," in page
    assert page.index("relu.mask_at_zero") < page.index("affine.db_averaged")  # the chapter's order
    assert page.index("two_layer_net.layers_not_reversed") < page.index("gradient_mismatch")  # roots, then symptoms
    results = [json.loads(p.read_text()) for p in (tmp_path / "results").glob("*.json")]
    ranked = [bug for bug, _, _ in common_bugs(results)]
    roots = [bug for bug in ranked if bug not in CONSEQUENCES]
    assert ranked[:len(roots)] == roots  # what to teach again: the causes, not what they break downstream
