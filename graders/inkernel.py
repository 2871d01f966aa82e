"""The checks run inside a notebook's own kernel: immediate feedback for a student, and the test
cells of the nbgrader assignment.

This is the same suite of checks as the sandboxed checker, called in-process on the notebook's
live namespace. It gives the same diagnoses, but it is not trustworthy (the student's code can
patch anything in its own kernel), which is why the autograder regrades every submission out
of the kernel, in the sandbox. A failing component raises AssertionError with the diagnoses; a
passing one prints one line. Names are exact here, as the notebook's own TwoLayerNet needs them:
``self.dw`` for ``dW`` fails in the kernel, while the regrade only warns unless ``exact_names``
(so the kernel never scores above the regrade for a name, which would read as tampering). Warnings are silenced here: nbgrader scores a test cell that
writes to stderr as 0, and a RuntimeWarning of a correct answer is no reason to fail it.
"""
from __future__ import annotations

import os
import warnings
from typing import Any, Mapping

import numpy as np

from graders import checks
from graders.checks.base import Suite, Verdict
from graders.messages import say
from graders.names import attribute_named
from graders.probes.drivers import DRIVERS
from graders.probes.namespace import lookup
from graders.probes.protocol import call_probe
from graders.sandbox import Probe, ProbeResult
from graders.sandbox.records import probe_result


def check_component(name: str, namespace: Mapping[str, Any], *, seed: int | None = 0, lang: str | None = None) -> None:
    """Run ``name``'s checks on ``namespace`` (a notebook's ``globals()``); fresh random inputs when ``seed`` is None.

    Raises AssertionError listing what failed, with the bug and the hint, in ``lang``
    (default: $BACKPROP_LAB_LANG, else English).
    """
    lang = lang or os.environ.get("BACKPROP_LAB_LANG", "en")
    suite = _suite(name, seed)
    namespace = dict(namespace)
    lookup(namespace, "train" if name == "train" else name)  # a missing name fails here, plainly
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        results = {probe.id: _run(probe, namespace) for probe in suite.probes}
    failures = []
    for check in suite.checks:
        verdict: Verdict = attribute_named(check.judge(results[check.probe]), exact_names=True)
        if verdict.status in ("fail", "error"):
            failures.append(f"{check.id}: {verdict.message(lang)}")
    if failures:
        raise AssertionError("\n".join(failures))
    print(say(lang, "kernel_passed", name=name, n=len(suite.checks)))


def _suite(name: str, seed: int | None) -> Suite:
    rng = checks.generator(name, seed)
    if name == "train":
        from graders.training.data import load_digits
        from graders.training.replay import replay_suite
        from graders.training.settings import TrainingSettings
        settings = TrainingSettings(iters=100, replay_steps=3)
        return replay_suite("own", load_digits(settings), settings, rng)
    return checks.suite(name, rng)


def _run(probe: Probe, namespace: dict[str, Any]) -> ProbeResult:
    """What the sandbox's child does for one probe (the same protocol), in this process."""
    arrays = {k: np.array(v, copy=True) for k, v in probe.arrays.items()}
    header, plain = call_probe(DRIVERS, {"id": probe.id, "driver": probe.driver, "params": dict(probe.params)},
                               arrays, namespace, catch=Exception)
    return probe_result(probe.id, header, plain)
