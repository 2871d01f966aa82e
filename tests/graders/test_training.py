"""Trainer grading: lockstep replay names the bug of every trainer mutant; the accuracy run passes a
correct trainer on the textbook schedule and explains a failed one; the command writes its files."""
from __future__ import annotations

import json

import pytest

from backprop_lab.cli import main
from corpus import TEXTBOOK, load_fixture
from graders.checker import check_submission
from graders.training.settings import SettingsError, settings_from

mutants = load_fixture("mutants")
QUICK = {"training": {"thresholds": {"mnist-10k": {"100": 0.0}}}}  # replay matters here, not accuracy


@pytest.mark.parametrize("mutant", [m for m in mutants.TRAINING_MUTANTS if not m.long], ids=lambda m: m.id)
def test_replay_names_the_bug(mutant, tmp_path):
    path = tmp_path / f"{mutant.id}.py"
    path.write_text(mutant.source())
    report = check_submission(str(path), only=["Relu"], training=settings_from(QUICK, iters=100))
    replay = next(c for c in report.checks if c.id == f"{mutant.component}.replay")
    assert (replay.status, replay.bug, replay.points) in {("fail", mutant.bug, 0), ("error", mutant.bug, 0)}, \
        replay.message
    own_loop = TEXTBOOK.read_text().split("def train(")[1]
    if all(old in own_loop for old, _ in mutant.replacements):  # only their loop is wrong: the grader's loop passes
        assert next(c for c in report.checks if c.id == "training.replay").passed


@pytest.mark.parametrize("mutant", [m for m in mutants.TRAINING_MUTANTS if m.long], ids=lambda m: m.id)
def test_accuracy_run_explains_a_failed_training(mutant, tmp_path):
    path = tmp_path / f"{mutant.id}.py"
    path.write_text(mutant.source())
    report = check_submission(str(path), only=["Relu"], training=settings_from({}, iters=1000))
    run = next(c for c in report.checks if c.id == f"{mutant.component}.accuracy")
    assert (run.status, run.bug, run.points) == ("fail", mutant.bug, 0), run.message
    assert next(c for c in report.checks if c.id == "training.accuracy").passed


def test_correct_trainer_passes_replay_and_a_short_run(tmp_path):
    report = check_submission(str(TEXTBOOK), only=["Relu"], training=settings_from({}, iters=1000), out_dir=tmp_path)
    assert [c.id for c in report.checks if not c.passed] == []
    for loop in ("grader", "own"):
        history = report.attachments[f"training.{loop}"]["history"]
        assert history[0]["iteration"] == 0 and history[-1]["iteration"] == 1000
        assert history[-1]["test_acc"] >= 0.88 > history[0]["test_acc"]
        assert (tmp_path / f"learning_curve-{loop}.png").stat().st_size > 10_000
        assert json.loads((tmp_path / f"history-{loop}.json").read_text())["history"] == history


@pytest.mark.slow
def test_correct_trainer_reaches_the_textbook_accuracy_on_the_embedded_digits(tmp_path):
    report = check_submission(str(TEXTBOOK), only=["Relu"], training=settings_from({}), out_dir=tmp_path)
    assert [c.id for c in report.checks if not c.passed] == []
    assert all(report.attachments[f"training.{loop}"]["history"][-1]["test_acc"] >= 0.93 for loop in ("grader", "own"))


def test_a_stuck_training_loop_is_cut_off_with_the_step_it_reached(tmp_path):
    stuck = TEXTBOOK.read_text().replace("        grad = network.gradient(x_batch, t_batch)\n",
                                         "        grad = network.gradient(x_batch, t_batch)\n"
                                         "        if i == 30:\n            while True:\n                pass\n")
    path = tmp_path / "stuck.py"
    path.write_text(stuck)
    config = {"training": {"thresholds": {"mnist-10k": {"100": 0.0}}}}
    from graders.config import GradingConfig
    from graders.sandbox import Limits
    report = check_submission(str(path), only=["Relu"], training=settings_from(config, iters=100),
                              config=GradingConfig(limits=Limits(probe_seconds=2.0)))
    run = next(c for c in report.checks if c.id == "train.accuracy")
    assert (run.status, run.bug) == ("error", "timeout")
    assert "made no progress for 2 s after step 31" in run.message


def test_missing_train_function_fails_only_the_own_loop_checks(tmp_path):
    path = tmp_path / "no_train.py"
    path.write_text(TEXTBOOK.read_text().replace("def train(", "def fit("))
    report = check_submission(str(path), only=["Relu"], training=settings_from(QUICK, iters=100))
    own = [c for c in report.checks if c.component == "train"]
    assert own and all(c.bug == "wrong_name" and "train is not defined" in c.message for c in own)
    assert all(c.passed for c in report.checks if c.component != "train")


def test_a_schedule_without_a_threshold_is_refused():
    with pytest.raises(SettingsError, match="no accuracy threshold for 123 steps on mnist-10k"):
        settings_from({}, iters=123)


def test_command_line(tmp_path, capsys):
    config = tmp_path / "grading.yaml"
    config.write_text("training:\n  thresholds:\n    mnist-10k:\n      100: 0.2\n")
    code = main(["check", str(TEXTBOOK), "--only", "Relu", "--train", "--iters", "100", "--config", str(config),
                 "--out", str(tmp_path / "out"), "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0, document
    assert document["attachments"]["training.own"]["files"]["learning_curve"].endswith("learning_curve-own.png")
    assert main(["check", str(TEXTBOOK), "--train", "--iters", "123"]) == 2
    assert capsys.readouterr().err.startswith("error: no accuracy threshold for 123 steps on mnist-10k")
    assert main(["check", str(TEXTBOOK), "--train", "--data", "mnist", "--data-dir", str(tmp_path)]) == 2
    assert "not found" in capsys.readouterr().err


def test_the_reference_loop_passes_the_trainer_checks(tmp_path):
    import shutil
    from pathlib import Path
    repo = Path(__file__).resolve().parents[2]
    shutil.copytree(repo / "reference", tmp_path / "reference", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(repo / "labdata", tmp_path / "labdata", ignore=shutil.ignore_patterns("__pycache__", "mnist_10k"))
    (tmp_path / "solution.py").write_text("from reference import *\nfrom reference.loop import train\n")
    report = check_submission(str(tmp_path), only=["Relu"], training=settings_from({}, iters=1000))
    assert [(c.id, c.message) for c in report.checks if not c.passed] == []
