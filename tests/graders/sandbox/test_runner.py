"""The sandbox with real processes: statuses, isolation between probes, limits, the channel back."""
from __future__ import annotations

import io
import json
import os
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest

from graders.sandbox import Limits, Probe, run_probes
from graders.sandbox.transport import InvalidOutput, decode, encode, encode_arrays, load_arrays, to_plain_array
from graders.sandbox import isolation
from graders.submission import load_submission

DRIVERS = str(Path(__file__).with_name("stand_in_drivers.py"))
QUICK = Limits(probe_seconds=2.0, load_seconds=10.0)

STUDENT = """
import os, sys
import numpy as np

def double(x):
    return 2 * x

def nothing(x):
    pass

def divide(x):
    return 1 / 0

def leave(x):
    os._exit(0)

def spin(x):
    while True:
        pass

class Always:
    def __eq__(self, other):
        return True

def always(x):
    return Always()

def strings(x):
    return np.array(["a", "b"])

def objects(x):
    return np.array([Always()], dtype=object)

def whoami(x):
    return np.array([os.getuid(), len(os.listdir("."))])

def background(x):
    import subprocess
    subprocess.Popen(["sleep", "300"], start_new_session=False)
    return x

def write_results_channel(x):
    for fd in range(3, 20):
        try:
            os.write(fd, b"garbage")
        except OSError:
            pass
    return x

print("loaded")
"""


@pytest.fixture()
def student(tmp_path):
    path = tmp_path / "student.py"
    path.write_text(STUDENT)
    return load_submission(path)


def _run(student, *names, limits=QUICK):
    probes = [Probe(f"{i}:{n}", "call", {"x": np.arange(3.0)}, {"name": n}) for i, n in enumerate(names)]
    return run_probes(student, probes, limits, drivers=DRIVERS)


def test_one_child_runs_every_probe_and_arrays_come_back(student):
    run = _run(student, "double", "double")
    assert run.children == 1
    assert [r.status for r in run.results.values()] == ["ok", "ok"]
    np.testing.assert_array_equal(run.results["0:double"].arrays["out"], [0.0, 2.0, 4.0])
    assert run.stdout == "loaded\n"
    assert "double" in run.names and run.load_error == ""


def test_a_raising_probe_reports_one_line_with_the_students_line_and_the_rest_go_on(student):
    run = _run(student, "divide", "nothing", "double")
    divide, nothing, double = run.results.values()
    assert divide.status == "raised"
    assert divide.error == "ZeroDivisionError: division by zero (student.py, line 12)"
    assert nothing.status == "ok" and nothing.nones == ("out",)
    assert double.status == "ok" and run.children == 1


def test_a_probe_that_kills_its_process_costs_only_itself(student):
    run = _run(student, "double", "leave", "double", "spin", "double")
    statuses = [r.status for r in run.results.values()]
    assert statuses == ["ok", "crashed", "ok", "timeout", "ok"]
    assert run.results["3:spin"].error == "timed out after 2 s"
    assert run.children == 3


@pytest.mark.parametrize("name,fragment", [("always", "Always object, not a numpy array"),
                                           ("strings", "dtype <U1"), ("objects", "dtype object")])
def test_only_plain_numeric_arrays_leave_the_child(student, name, fragment):
    result = _run(student, name).results[f"0:{name}"]
    assert result.status == "invalid" and fragment in result.error and result.arrays == {}


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping privileges needs root")
def test_student_code_runs_as_a_user_of_its_own_in_a_directory_of_its_own(student):
    uid, entries = _run(student, "whoami").results["0:whoami"].arrays["out"]
    assert uid == (isolation.sandbox_uid() if not isolation.available() else 65534)
    assert entries == 1  # its working directory is its own folder: its file and nothing of the grader's


def test_processes_the_student_started_do_not_outlive_grading(tmp_path):
    """The sleep's argument is this run's own, so another test run on the machine cannot be mistaken for it."""
    seconds = f"300.{os.getpid()}"
    path = tmp_path / "student.py"
    path.write_text(STUDENT.replace('["sleep", "300"]', f'["sleep", "{seconds}"]'))
    assert _run(load_submission(path), "background").results["0:background"].status == "ok"  # it did start
    alive = subprocess.run(["pgrep", "-f", "-x", f"sleep {seconds}"], capture_output=True, text=True).stdout.split()
    assert alive == []


def test_garbage_written_to_inherited_descriptors_cannot_forge_results(student):
    run = _run(student, "write_results_channel", "double")
    assert run.results["1:double"].status in ("ok", "crashed")
    if run.results["1:double"].status == "ok":
        np.testing.assert_array_equal(run.results["1:double"].arrays["out"], [0.0, 2.0, 4.0])


def test_a_load_that_hangs_is_cut_off_and_its_demo_code_left_out(tmp_path):
    path = tmp_path / "hangs.py"
    path.write_text("def double(x):\n    return 2 * x\n\nwhile True:\n    pass\n")
    run = _run(load_submission(path), "double", limits=Limits(load_seconds=1.0))
    assert run.results["0:double"].status == "ok" and run.children == 2
    assert [(f["kind"], f["file"], f["error"]) for f in run.findings] == [("stripped", "hangs.py", "timed out after 1 s")]


def test_a_load_that_hangs_in_its_definitions_is_cut_off(tmp_path):
    path = tmp_path / "hangs.py"
    path.write_text("class Hangs:\n    while True:\n        pass\n")
    run = _run(load_submission(path), "double", limits=Limits(load_seconds=1.0))
    assert run.results["0:double"].status == "timeout"
    assert not run.loaded and "while loading" in run.load_error


def test_output_is_capped(tmp_path):
    path = tmp_path / "chatty.py"
    path.write_text("for i in range(100000):\n    print('line', i)\ndef double(x):\n    return 2 * x\n")
    run = _run(load_submission(path), "double", limits=Limits(output_bytes=4096))
    assert run.results["0:double"].status == "ok"
    assert len(run.stdout) < 4200 and run.stdout.endswith("[... output cut]\n")


def test_transport_refuses_pickles_and_lying_types():
    npz = io.BytesIO()
    np.savez(npz, evil=np.array([{"a": 1}], dtype=object))
    with pytest.raises(InvalidOutput):
        load_arrays(npz.getvalue())  # not our format at all
    table = json.dumps([["evil", "|O", [1]]]).encode()
    with pytest.raises(InvalidOutput):
        load_arrays(struct.pack(">Q", len(table)) + table + bytes(8))  # objects: never
    table = json.dumps([["huge", "<f8", [1 << 20, 1 << 20]]]).encode()
    with pytest.raises(InvalidOutput):
        load_arrays(struct.pack(">Q", len(table)) + table + bytes(64))  # more than the record holds
    round_trip = load_arrays(encode_arrays({"a": np.arange(6.0).reshape(2, 3).T, "b": np.array(True)}))
    assert round_trip["a"].tolist() == [[0, 3], [1, 4], [2, 5]] and round_trip["b"].shape == ()

    class Sub(np.ndarray):
        pass

    with pytest.raises(InvalidOutput):
        to_plain_array("dx", np.zeros(2).view(Sub))
    assert to_plain_array("n", np.float32(2)).dtype == np.float32
    assert to_plain_array("l", [1.0, 2.0]).tolist() == [1.0, 2.0]


def test_transport_drops_a_torn_last_record():
    records = encode({"kind": "probe", "id": "a"}, {"x": np.ones(2)}) + encode({"kind": "probe", "id": "b"})
    assert [h["id"] for h, _ in decode(records)] == ["a", "b"]
    assert [h["id"] for h, _ in decode(records[:-5])] == ["a"]


def _ticking(student, budget, **params):
    probe = Probe("long", "ticking", {}, {"steps": 6, "sleep": 0.25, **params}, seconds=budget)
    return run_probes(student, [probe], Limits(probe_seconds=1.0), drivers=DRIVERS).results["long"]


def test_a_long_probe_that_reports_progress_may_outlast_the_probe_limit(student):
    result = _ticking(student, budget=20)
    assert result.status == "ok" and result.arrays["out"] == 6


def test_a_long_probe_that_goes_silent_is_cut_off_as_stuck(student):
    result = _ticking(student, budget=20, stall_after=2)
    assert result.status == "timeout"
    assert result.error == "made no progress for 1 s after step 1"


def test_a_long_probe_that_is_too_slow_is_cut_off_at_its_budget(student):
    result = _ticking(student, budget=0.8)
    assert result.status == "timeout" and result.error.startswith("ran past its budget of 0.8 s at step ")


def test_leftovers_of_killed_runs_are_swept(tmp_path):
    from graders.sandbox import leftovers
    dead = 2
    while True:  # a pid no process has now
        dead += 7919
        try:
            os.kill(dead, 0)
        except ProcessLookupError:
            break
        except PermissionError:
            continue
    for name in (f"backprop-lab-{dead}-abc", f"backprop-lab-work-{dead}-abc", f"backprop-lab-kernels-{dead}-x",
                 f"backprop-lab-{os.getpid()}-mine", "backprop-lab-not-ours", "someone-else"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "file").write_text("x")
    assert leftovers.sweep(str(tmp_path)) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"backprop-lab-{os.getpid()}-mine", "backprop-lab-not-ours", "someone-else"])
