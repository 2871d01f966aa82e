"""Hostile submissions: whatever the code does to its own process, the grader finishes, gives zero
for what the misbehaviour touches, says why in one line, and grades everything else normally."""
from __future__ import annotations

import dataclasses

import pytest

from corpus import SUBMISSIONS
from graders.checker import check_submission
from graders.config import load_config

BASE = (SUBMISSIONS / "textbook.py").read_text()
FAST = dataclasses.replace(load_config(), limits=dataclasses.replace(load_config().limits, probe_seconds=2.0))


def _grade(tmp_path, source: str, **kwargs):
    path = tmp_path / "hostile.py"
    path.write_text(source)
    return check_submission(str(path), config=FAST, **kwargs)


def _inject(anchor: str, code: str) -> str:
    """Put ``code`` first in the body of the method whose def line and first line are ``anchor``."""
    assert BASE.count(anchor) == 1
    definition, _, first_line = anchor.partition("\n")
    return BASE.replace(anchor, f"{definition}\n        {code}\n{first_line}")


# (what it does, the method's def line and first line, the code put first in it, component, expected bug)
IN_METHOD = [
    ("loops forever", "    def backward(self, dout):\n        dx = dout * self.y", "while True: pass",
     "MulLayer", "timeout"),
    ("calls os._exit", "    def backward(self, dout):\n        dx = dout * (1.0 - self.out)", "import os; os._exit(0)",
     "Sigmoid", "crashed"),
    ("allocates 50 GB", "    def forward(self, x):\n        self.original_x_shape", "np.ones(50 * 2**30 // 8)",
     "Affine", "out_of_memory"),
    ("forks repeatedly", "    def forward(self, x, y):\n        out = x + y",
     "import os\n        while True:\n            try: os.fork()\n            except OSError: pass", "AddLayer", "timeout"),
    ("prints 100 MB", "    def forward(self, x):\n        self.mask", "print('x' * 100_000_000)", "Relu", "output_flood"),
]


@pytest.mark.parametrize("what,anchor,code,component,bug", IN_METHOD, ids=[t[0] for t in IN_METHOD])
def test_misbehaving_method_costs_only_its_own_checks(tmp_path, what, anchor, code, component, bug):
    report = _grade(tmp_path, _inject(anchor, code), only=[component, "softmax"])
    own = [c for c in report.checks if c.component == component]
    hit = [c for c in own if c.bug == bug]
    assert hit and all(c.points == 0 and c.status == "error" for c in hit), [(c.id, c.bug) for c in own]
    assert all("\n" not in c.message and c.message for c in hit)
    assert all(c.passed for c in report.checks if c.component == "softmax")  # the run went on


def test_always_equal_object_is_refused(tmp_path):
    source = BASE.replace("class Relu:", "class AlwaysEqual:\n    def __eq__(self, other):\n        return True\n"
                          "    __hash__ = None\n\n\nclass Relu:").replace(
        "        out = x.copy()\n        out[self.mask] = 0\n        return out\n", "        return AlwaysEqual()\n")
    report = _grade(tmp_path, source, only=["Relu"])
    forward = next(c for c in report.checks if c.id == "Relu.forward")
    assert (forward.status, forward.bug, forward.points) == ("error", "invalid_output", 0)
    assert "AlwaysEqual" in forward.message


def test_ndarray_subclass_that_claims_equality_is_refused(tmp_path):
    source = BASE.replace("class Relu:", "class Liar(np.ndarray):\n    def __eq__(self, other):\n"
                          "        return np.ones(np.shape(self), dtype=bool)\n\n\nclass Relu:").replace(
        "        dx = dout.copy()\n        dx[self.mask] = 0\n        return dx\n",
        "        return np.zeros_like(dout).view(Liar)\n")
    report = _grade(tmp_path, source, only=["Relu"])
    backward = next(c for c in report.checks if c.id == "Relu.backward")
    assert (backward.status, backward.bug, backward.points) == ("error", "invalid_output", 0)


PATCHES = {
    "numpy.testing": "import numpy.testing\nnumpy.testing.assert_allclose = lambda *a, **k: None\n"
                     "numpy.testing.assert_array_equal = lambda *a, **k: None\n",
    "np.allclose": "np.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True\n"
                   "np.isclose = lambda a, b, **k: np.ones(np.broadcast(a, b).shape, dtype=bool)\n",
    "builtins": "import builtins\nbuiltins.abs = lambda x: 0\nbuiltins.isinstance = lambda *a: True\n"
                "builtins.all = lambda *a: True\n",
}


@pytest.mark.parametrize("target", list(PATCHES))
def test_patching_the_comparison_helpers_does_not_help_a_wrong_layer(tmp_path, target):
    wrong = BASE.replace("self.db = np.sum(dout, axis=0)", "self.db = np.mean(dout, axis=0)")
    report = _grade(tmp_path, wrong + "\n" + PATCHES[target], only=["Affine", "Relu"])
    db = next(c for c in report.checks if c.id == "Affine.backward.db")
    assert (db.status, db.bug, db.points) == ("fail", "affine.db_averaged", 0)
    assert all(c.passed for c in report.checks if c.component == "Relu")


def test_exit_in_demo_code_costs_the_demo_code_only(tmp_path):
    report = _grade(tmp_path, "import os\nos._exit(3)\n" + BASE, only=["Relu", "Affine"])
    assert report.score == report.max_score
    assert any("demo code" in n and "exited with code 3" in n for n in report.notes)


def test_exit_inside_a_definition_while_loading_fails_everything_with_one_message(tmp_path):
    report = _grade(tmp_path, "class Sneaky:\n    import os\n    os._exit(3)\n" + BASE, only=["Relu", "Affine"])
    assert report.score == 0
    assert all(c.status == "error" and "while loading" in c.message for c in report.checks)


def test_sys_exit_while_loading_keeps_the_names_defined_before(tmp_path):
    report = _grade(tmp_path, BASE + "\nimport sys\nsys.exit(1)\n", only=["Relu"])
    assert report.score == report.max_score
    assert any("SystemExit" in note for note in report.notes)
