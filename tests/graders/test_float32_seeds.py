"""A correct layer never loses a point to rounding: every check of every component, run in-process with
two correct implementations (the book's style and another) on many seeds, passes. The float32 checks
are the ones at risk: their tolerances must follow from float32 rounding, with a margin."""
from __future__ import annotations

import numpy as np
import pytest
from corpus import SUBMISSIONS

from graders import checks
from graders.probes.drivers import DRIVERS
from graders.probes.protocol import call_probe
from graders.sandbox.calls import ProbeResult
from graders.sandbox.records import probe_result

SEEDS = range(300)
COMPONENTS = ["Relu", "Sigmoid", "Affine", "softmax", "cross_entropy_error", "SoftmaxWithLoss"]


def _namespace(name: str) -> dict:
    namespace: dict = {"__name__": name}
    exec(compile((SUBMISSIONS / name).read_text(), name, "exec"), namespace)
    return namespace


def _run(namespace: dict, probe) -> ProbeResult:
    """The probe as the sandbox's child runs it and the parent reads it back, in this process."""
    arrays = {k: np.array(v, copy=True) for k, v in probe.arrays.items()}
    header, plain = call_probe(DRIVERS, {"id": probe.id, "driver": probe.driver, "params": dict(probe.params)},
                               arrays, namespace)
    return probe_result(probe.id, header, plain)


@pytest.mark.parametrize("submission", ["textbook.py", "alt_style.py"])
def test_correct_layers_pass_on_every_seed(submission):
    namespace = _namespace(submission)
    failures = []
    for seed in SEEDS:
        for component in COMPONENTS:
            suite = checks.suite(component, checks.generator(component, seed))
            results = {p.id: _run(namespace, p) for p in suite.probes}
            for check in suite.checks:
                verdict = check.judge(results[check.probe])
                if verdict.status not in ("pass", "warning"):
                    failures.append((seed, check.id, verdict.bug.id if verdict.bug else None, verdict.fields))
    assert failures == [], failures[:3]
