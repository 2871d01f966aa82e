"""The training components as the checker sees them: suites of probes and checks, and what they attach."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from graders.checks import generator
from graders.checks.base import Suite
from graders.submission import Submission
from graders.training.accuracy import accuracy_suite
from graders.training.data import load_digits
from graders.training.replay import replay_suite
from graders.training.settings import TrainingSettings


def training_suites(submission: Submission, settings: TrainingSettings) -> dict[str, Suite]:
    """Replay and accuracy run, with the grader's loop ("training") and the student's train ("train")."""
    digits = load_digits(settings)
    suites = {}
    for component, loop in (("training", "grader"), ("train", "own")):
        rng = generator(component, submission.seed)
        replay = replay_suite(loop, digits, settings, rng)
        run = accuracy_suite(loop, digits, settings) if loop in settings.accuracy_loops else Suite()
        suites[component] = Suite(replay.probes + run.probes, replay.checks + run.checks, run.artifacts)
    return suites


def training_attachments(suites: dict[str, Suite], settings: TrainingSettings,
                         out_dir: str | Path | None) -> dict[str, Any]:
    """Each accuracy run's history for the report; with ``out_dir``, its JSON and learning curve written there."""
    from graders.training.curve import write_artifacts  # matplotlib: only when there is a curve to draw
    runs = {loop: run for suite in suites.values() for loop, run in suite.artifacts.items()}
    attachments: dict[str, Any] = {}
    for loop, run in runs.items():
        run["settings"]["threshold"] = settings.threshold
        files = write_artifacts(run, Path(out_dir), loop) if out_dir is not None else {}
        attachments[f"training.{loop}"] = {"history": run["history"], "files": files, "threshold": settings.threshold,
                                           "dataset": settings.dataset, "iters": settings.iters}
    return attachments
