"""One probe protocol for the sandbox's child and a notebook's kernel: a failure crosses as a fault (kind, message,
file, line; for an AttributeError the missing name and whose), is checked on arrival, and reads the same in both."""
from __future__ import annotations

import numpy as np
import pytest

from graders import inkernel
from graders.checker import check_submission
from graders.probes.protocol import fault
from graders.sandbox import Probe
from graders.sandbox.records import probe_results

RELU_TYPO = '''import numpy as np


class Relu:
    def __init__(self):
        self.mask = None

    def foward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        return dout / 0.0 if False else 1 // 0
'''


def _raised(make) -> BaseException:
    try:
        make()
    except BaseException as exc:  # noqa: B902 - whatever the student's code raises
        return exc
    raise AssertionError("did not raise")


def test_an_attribute_error_says_which_name_is_missing_and_on_what():
    class Relu:
        pass

    found = fault(_raised(lambda: Relu().forward))
    assert found["kind"] == "AttributeError" and found["attribute"] == "forward" and found["owner"] == "Relu"
    assert found["file"] == "test_protocol.py" and found["line"] > 0


def test_an_exception_whose_message_cannot_be_written_is_still_a_fault():
    class Odd(Exception):
        def __str__(self):
            raise RuntimeError("no")

    assert fault(Odd()) == {"kind": "Odd", "message": "", "file": "", "line": 0}


@pytest.mark.parametrize("forged", [
    {"kind": "probe", "id": "p", "status": "raised", "fault": "ZeroDivisionError"},
    {"kind": "probe", "id": "p", "status": "raised", "fault": {"kind": "X", "line": "12"}},
    {"kind": "probe", "id": "p", "status": "raised"},
    {"kind": "probe", "id": "p", "status": "ok", "errors": {"out": {"message": "no kind"}}},
    {"kind": "probe", "id": "p", "status": "ok", "spelled": {"dW": ["dw"]}},
    {"kind": "probe", "id": "p", "status": "ok", "spelled": "dw"},
    {"kind": "probe", "id": "p", "status": "ok", "spelled": {"dW": "dw</code><script>"}},
])
def test_a_malformed_fault_makes_its_call_invalid(forged):
    assert probe_results([(forged, {})], {"p"})["p"].status == "invalid"


def test_a_fault_is_cut_to_size_on_arrival():
    header = {"kind": "probe", "id": "p", "status": "raised", "fault": {"kind": "E" * 500, "message": "m" * 900,
                                                                       "file": "f.py", "line": 3}}
    result = probe_results([(header, {})], {"p"})["p"]
    assert len(result.fault.kind) == 100 and len(result.fault.message) == 300 and len(result.error) == 300


RELU_PROBE = Probe("Relu.float64", "layer", {"x": np.array([[1.0, -1.0]]), "dout": np.array([[1.0, 1.0]])},
                   {"cls": "Relu", "init": [], "calls": [["forward", ["x"], ["out"]], ["backward", ["dout"], ["dx"]]],
                    "attrs": [], "scalars": []})


def _in_kernel(source: str, path) -> object:
    namespace: dict = {}
    exec(compile(source, str(path), "exec"), namespace)
    return inkernel._run(RELU_PROBE, namespace)


def test_the_kernel_and_the_sandbox_say_the_same_of_the_same_failure(tmp_path):
    path = tmp_path / "relu.py"
    path.write_text(RELU_TYPO.replace("def foward", "def forward"))
    in_kernel = _in_kernel(path.read_text(), path)
    assert in_kernel.status == "raised"
    assert in_kernel.error == "ZeroDivisionError: integer division or modulo by zero (relu.py, line 15)"
    sandboxed = check_submission(str(path), only=["Relu"])
    assert f"Relu.backward: raised {in_kernel.error}" in {c.message for c in sandboxed.checks}


def test_a_misspelt_method_is_found_from_the_fault_not_from_its_wording(tmp_path):
    path = tmp_path / "relu.py"
    path.write_text(RELU_TYPO)
    in_kernel = _in_kernel(RELU_TYPO, path)
    assert (in_kernel.fault.kind, in_kernel.fault.attribute, in_kernel.fault.owner) == ("AttributeError", "forward",
                                                                                          "Relu")
    sandboxed = check_submission(str(path), only=["Relu"])
    assert "Relu.forward: Relu has no method 'forward'; did you mean 'foward'?" in {c.message for c in sandboxed.checks}


def test_in_a_kernel_an_interrupt_still_ends_the_cell_while_the_sandbox_counts_it_against_the_call():
    """nbgrader stops a cell that runs too long by interrupting the kernel: the checks must not swallow that, or
    every further probe of a looping layer would run until the kernel is killed."""
    from graders.probes.drivers import DRIVERS
    from graders.probes.protocol import call_probe
    source = RELU_TYPO.replace("def foward", "def forward").replace("out = x.copy()", "raise KeyboardInterrupt")
    namespace: dict = {}
    exec(compile(source, "relu.py", "exec"), namespace)
    with pytest.raises(KeyboardInterrupt):
        inkernel._run(RELU_PROBE, namespace)
    header, _ = call_probe(DRIVERS, {"id": "p", "driver": RELU_PROBE.driver, "params": dict(RELU_PROBE.params)},
                           {k: v.copy() for k, v in RELU_PROBE.arrays.items()}, namespace)
    assert header["status"] == "raised" and header["fault"]["kind"] == "KeyboardInterrupt"


def test_in_a_kernel_a_gradient_under_another_name_fails_as_the_notebooks_twolayernet_would(tmp_path):
    """The regrade warns (or, with exact_names, fails): the kernel must never score above it for a name."""
    from corpus import SUBMISSIONS
    source = (SUBMISSIONS / "textbook.py").read_text().replace("self.dW = np.dot", "self.dw = np.dot")
    namespace: dict = {}
    exec(compile(source, "hw.py", "exec"), namespace)
    with pytest.raises(AssertionError, match="Affine.backward.dW: self.dw is not the book's name; the name must be "
                                             "exactly 'dW'"):
        inkernel.check_component("Affine", namespace, lang="en")
    inkernel.check_component("Relu", namespace, lang="en")  # the other components are unaffected
