"""Hostile students against the sandbox's walls (issue 13): the solution out of reach, classmates and
the host out of reach, a channel that cannot be forged or flooded, a budget per submission, nothing
left behind. Each attack earns nothing for what it touched, the rest is graded as usual, and the
grader finishes with a clear message."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from corpus import SUBMISSIONS
from graders.checker import check_submission
from graders.config import load_config
from graders.sandbox import isolation

REPO = Path(__file__).resolve().parents[2]
BASE = (SUBMISSIONS / "textbook.py").read_text()
RELU = BASE[BASE.index("class Relu:"):BASE.index("class Sigmoid:")]
CONFIG = load_config()

pytestmark = pytest.mark.skipif(bool(isolation.available()), reason=f"no bubblewrap here: {isolation.available()}")


def _grade(tmp_path: Path, source: str, only=("Relu", "softmax"), **limits) -> object:
    path = tmp_path / "hostile.py"
    path.write_text(source)
    config = dataclasses.replace(CONFIG, limits=dataclasses.replace(CONFIG.limits, probe_seconds=3.0, **limits))
    return check_submission(str(path), only=list(only), config=config)


def _relu_only_if(condition: str) -> str:
    """The base without Relu, which is defined only when ``condition`` holds inside the sandbox: a Relu that is
    graded proves the attack worked."""
    return BASE.replace(RELU, "") + f"\ntry:\n    _won = bool({condition})\nexcept Exception:\n    _won = False\n" \
        "if _won:\n" + "".join(f"    {line}\n" for line in RELU.splitlines())


def _relu(report) -> set[str | None]:
    return {c.bug for c in report.checks if c.component == "Relu"}


def _softmax_passes(report) -> bool:
    return all(c.passed for c in report.checks if c.component == "softmax")


@pytest.mark.parametrize("attack", [
    "__import__('reference.layers').layers.Relu",
    f"exec(open({str(REPO / 'reference' / 'layers.py')!r}).read(), globals())",
    "__import__('graders.oracles').oracles",
    f"open({str(REPO / 'graders' / 'bugs.py')!r}).read()",
    "__import__('assignments.solutions')",
], ids=["import reference", "exec its source", "import the oracles", "read the bug catalog", "import assignments"])
def test_the_solution_and_the_graders_judging_code_are_out_of_reach(tmp_path, attack):
    report = _grade(tmp_path, _relu_only_if(attack))
    assert _relu(report) == {"wrong_name"} and _softmax_passes(report)


def test_a_classmate_and_the_class_folder_are_out_of_reach(tmp_path):
    classmate = tmp_path / "class" / "classmate.py"
    classmate.parent.mkdir()
    classmate.write_text(BASE)
    for attack in (f"open({str(classmate)!r}).read()", f"os.listdir({str(classmate.parent)!r})",
                   "os.listdir('/proc/1/cwd')", "open('/etc/shadow').read()"):
        report = _grade(tmp_path, "import os\n" + _relu_only_if(attack))
        assert _relu(report) == {"wrong_name"}, attack


def test_other_processes_are_invisible(tmp_path):
    report = _grade(tmp_path, "import os\n" + _relu_only_if("len([p for p in os.listdir('/proc') if p.isdigit()]) > 6"))
    assert _relu(report) == {"wrong_name"}


def test_a_daemon_dies_with_its_sandbox_and_leaves_nothing(tmp_path):
    marker = tmp_path / "daemon-wrote-this"
    tag = f"daemon-{os.getpid()}-{time.time_ns()}"
    daemon = (f"import os, time, sys\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
              f"        try:\n            sys.argv[0] = {tag!r}\n            open('/dev/shm/{tag}', 'w').write('x')\n"
              f"            time.sleep(2)\n            open({str(marker)!r}, 'w').write('x')\n"
              f"        finally:\n            os._exit(0)\n    os._exit(0)\n")
    report = _grade(tmp_path, daemon + BASE)
    assert report.score == report.max_score
    time.sleep(3)
    assert not marker.exists() and not Path(f"/dev/shm/{tag}").exists()
    assert subprocess.run(["pgrep", "-f", tag], capture_output=True).stdout == b""


def test_forged_records_on_every_descriptor_earn_nothing(tmp_path):
    forge = ("import os, json, numpy as np\n"
             "from graders.sandbox.transport import encode  # the child side's own code is in reach: forge with it\n"
             "_ids = [p['id'] for p in json.load(open('../manifest.json'))]\n"
             "def _record(header):\n"
             "    return encode(header, {'out': np.zeros(3)})\n"
             "for _fd in range(3, 40):\n"
             "    for _id in _ids:\n"
             "        for _status in ('ok', 'pwned'):\n"
             "            try: os.write(_fd, _record({'kind': 'probe', 'id': _id, 'status': _status}))\n"
             "            except OSError: pass\n"
             "    try: os.write(_fd, b'done 0\\nstart 99\\ntick x\\n' * 100)\n"
             "    except OSError: pass\n")
    report = _grade(tmp_path, forge + BASE)
    assert report.score == 0 and all(c.status == "error" for c in report.checks)
    assert any("wrote to the grader's channel" in c.message for c in report.checks)


def test_a_compressed_bomb_on_the_channel_is_not_inflated(tmp_path):
    bomb = ("import os, json, struct, io, zipfile\n"
            "_z = io.BytesIO()\n"
            "with zipfile.ZipFile(_z, 'w', zipfile.ZIP_DEFLATED) as _a:\n"
            "    _a.writestr('out.npy', b'\\x93NUMPY\\x01\\x00v\\x00' + b' ' * 118 + b'\\n' + bytes(1 << 30))\n"
            "_head = json.dumps({'kind': 'probe', 'id': 'x', 'status': 'ok'}).encode()\n"
            "for _fd in range(3, 20):\n"
            "    try: os.write(_fd, struct.pack('>Q', len(_head)) + _head + struct.pack('>Q', len(_z.getvalue())) + _z.getvalue())\n"
            "    except OSError: pass\n"
            "del _z\n")
    import resource
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = _grade(tmp_path, bomb + BASE)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 300_000  # KiB: no gigabyte in the parent
    assert report.score == report.max_score  # the bomb touched nothing graded: it was skipped


def test_an_endless_stream_of_progress_lines_is_cut_at_the_budget(tmp_path):
    flood = ("import os, threading\n"
             "def _flood():\n"
             "    while True:\n"
             "        for _fd in range(3, 20):\n"
             "            try: os.write(_fd, b'tick 1\\nstart 0\\ndone 0\\n')\n"
             "            except OSError: pass\n"
             "threading.Thread(target=_flood, daemon=True).start()\n")
    started = time.monotonic()
    report = _grade(tmp_path, flood + BASE, submission_seconds=4.0)
    assert time.monotonic() - started < 30
    assert all(c.points == 0 for c in report.checks if c.status == "error")


def test_sleeping_just_under_the_call_limit_everywhere_is_cut_by_the_submission_budget(tmp_path):
    slow = BASE.replace("    def forward(self, x):", "    def forward(self, x):\n        import time; time.sleep(2.5)")
    started = time.monotonic()
    report = _grade(tmp_path, slow, only=("Relu", "Sigmoid", "Affine", "softmax"), submission_seconds=6.0)
    assert time.monotonic() - started < 20
    assert any("used up its time budget of 6 s" in c.message for c in report.checks)


def test_links_out_of_a_folder_submission_are_never_followed(tmp_path):
    classmate = tmp_path / "classmate"
    classmate.mkdir()
    (classmate / "hw5.py").write_text(BASE)
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "mine.py").write_text(BASE.replace(RELU, ""))
    (folder / "layers.py").symlink_to(classmate / "hw5.py")        # a classmate's marks
    (folder / "shadow.py").symlink_to("/etc/shadow")                # a secret into the report
    (folder / "loop").symlink_to(folder / "loop")                   # a loop
    (folder / "dangling.py").symlink_to(tmp_path / "nowhere.py")    # a dangling link
    (folder / "up").symlink_to(tmp_path)                             # a way up and round again
    report = check_submission(str(folder), only=["Relu", "softmax"])
    assert _relu(report) == {"wrong_name"} and _softmax_passes(report)
    text = json.dumps([report.notes, [c.message for c in report.checks]])
    assert "root:" not in text and text.count("a symbolic link, not followed") == 5


def test_nothing_is_left_behind(tmp_path):
    """Of this grading process's own: other runs on the host (a class being graded beside) may come and go. The
    warm sandbox's spool stays while the process lives (tests/graders/sandbox/test_warm.py: not after), empty."""
    _grade(tmp_path, "open('/dev/shm/left-behind', 'w').write('x')\nopen('/tmp/left-behind', 'w').write('x')\n" + BASE)
    assert not Path("/dev/shm/left-behind").exists() and not Path("/tmp/left-behind").exists()
    left = list(Path("/tmp").glob(f"backprop-lab-*{os.getpid()}-*"))
    assert all(p.name.startswith(f"backprop-lab-spool-{os.getpid()}-") and not any(p.iterdir()) for p in left), left
    owned = subprocess.run(["ps", "-eo", "uid="], capture_output=True, text=True).stdout.split()
    assert str(isolation.sandbox_uid()) not in owned


def test_patching_the_driver_table_changes_nothing(tmp_path):
    patch = ("import sys\n_drivers = sys.modules.get('graders.probes.drivers')\n"  # a table that forges right answers
             "if _drivers is not None:\n"
             "    _drivers.DRIVERS['layer'] = lambda ns, a, p: {'out': np.maximum(a['x'], 0),\n"
             "                                                'dx': a['dout'] * (a['x'] > 0), 'after_x': a['x'],\n"
             "                                                'after_dout': a['dout']}\n")
    wrong = BASE.replace("out[self.mask] = 0\n        return out", "return out")  # Relu forward that does nothing
    report = _grade(tmp_path, wrong + "\n" + patch)
    assert {c.bug for c in report.checks if c.component == "Relu" and not c.passed} - {None}
    assert _softmax_passes(report)
