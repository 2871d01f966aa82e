"""The warm sandbox (a zygote per grading process, a forked child per run) holds the walls the cold one
holds: nothing of one submission reaches the next (processes, files, System V IPC), the child cannot
touch the zygote, it runs with no capabilities and no way to gain any, the spool goes with the process,
and verdicts are the same warm or cold."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import SUBMISSIONS, load_fixture
from graders.checker import check_submission
from graders.sandbox import warm
from test_isolation import BASE, RELU, _grade, _relu, _relu_only_if, _softmax_passes

pytestmark = pytest.mark.skipif(not warm.usable(), reason="the warm sandbox needs bubblewrap and root")

LINGER = """
import os, time
if os.fork() == 0:                      # a daemon of its own: new session, out of the child's group
    os.setsid()
    if os.fork() == 0:
        open('left.txt', 'w').write('x')
        time.sleep(60)
    os._exit(0)
time.sleep(0.2)
"""
SEES_THE_LAST_ONE = ("any(int(line.split()[1]) == os.getuid() and pid != str(os.getpid()) "
                     "for pid in os.listdir('/proc') if pid.isdigit() "
                     "for line in open(f'/proc/{pid}/status').read().splitlines() if line.startswith('Uid:')) "
                     "or bool(__import__('glob').glob('/tmp/backprop-lab-spool-*/**/left.txt', recursive=True))")
SHARED_MEMORY = ("__import__('ctypes').CDLL(None).shmget(0x5eed, 4096, {flags})")


def test_nothing_of_one_submission_reaches_the_next(tmp_path):
    first = _grade(tmp_path, "import os\n" + LINGER + BASE)
    assert _softmax_passes(first)
    second = _grade(tmp_path, "import os\n" + _relu_only_if(SEES_THE_LAST_ONE))
    assert _relu(second) == {"wrong_name"} and _softmax_passes(second)


def test_ipc_left_behind_costs_the_zygote_not_the_next_student(tmp_path):
    zygote = warm.zygote()
    first = _grade(tmp_path, f"_ = {SHARED_MEMORY.format(flags=0o1666)}\n" + BASE)  # IPC_CREAT | 0666
    assert _softmax_passes(first)
    assert warm.zygote() is not zygote  # that one ended: its IPC namespace with it
    second = _grade(tmp_path, _relu_only_if(SHARED_MEMORY.format(flags=0) + " >= 0"))
    assert _relu(second) == {"wrong_name"} and _softmax_passes(second)


def test_a_run_that_leaves_ipc_and_needs_a_second_child_is_graded_to_the_end(tmp_path):
    """The zygote ends after the first child (IPC left behind) while the run still needs another (a probe
    killed its process): the run goes on in the same folder, cold or in a new zygote."""
    relu = RELU.replace("    def backward(self, dout):\n", "    def backward(self, dout):\n        import os; os._exit(3)\n")
    source = f"_ = {SHARED_MEMORY.format(flags=0o1666)}\n" + BASE.replace(RELU, relu)
    report = _grade(tmp_path, source)
    relu = [c for c in report.checks if c.component == "Relu"]  # each Relu probe calls backward: a child each
    assert len(relu) == 3 and all(c.bug == "crashed" for c in relu)
    assert _softmax_passes(report)  # graded after them, in the same folder


@pytest.mark.parametrize("attack", [
    "os.kill(os.getppid(), 9) is None",
    "bool(open(f'/proc/{os.getppid()}/environ', 'rb').read())",
    "'NoNewPrivs:\\t0' in open('/proc/self/status').read()",
    "'CapEff:\\t0000000000000000' not in open('/proc/self/status').read()",
    "os.getuid() == 0 or os.geteuid() == 0",
], ids=["kill the zygote", "read its environment", "may gain privileges", "has capabilities", "is root"])
def test_the_child_cannot_touch_the_zygote_nor_gain_privileges(tmp_path, attack):
    zygote = warm.zygote()
    report = _grade(tmp_path, "import os\n" + _relu_only_if(attack))
    assert _relu(report) == {"wrong_name"} and _softmax_passes(report)
    assert warm.zygote() is zygote and zygote.alive()


def test_the_spool_goes_with_the_process():
    done = subprocess.run([sys.executable, "-c", "import os; from graders.sandbox import warm; "
                           "z = warm.zygote(); z.wait_ready(); print(os.getpid(), z.spool)"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    pid, spool = done.stdout.split()
    assert Path(spool).name.startswith(f"backprop-lab-spool-{pid}-") and not Path(spool).exists()


def test_warm_and_cold_give_the_same_verdicts(tmp_path, monkeypatch):
    """On the correct submissions and a sample of the mutant corpus (a bug of every component)."""
    mutants = load_fixture("mutants").MUTANTS
    sample = {m.component: m for m in mutants}.values()
    paths = [SUBMISSIONS / "textbook.py", SUBMISSIONS / "alt_style.py"]
    for mutant in sample:
        paths.append(tmp_path / f"{mutant.id}.py")
        paths[-1].write_text(mutant.source())
    warm_reports = [check_submission(str(p)) for p in paths]
    monkeypatch.setenv("BACKPROP_LAB_WARM", "off")
    cold_reports = [check_submission(str(p)) for p in paths]
    assert [dataclasses.replace(r, seconds=0.0) for r in warm_reports] == \
        [dataclasses.replace(r, seconds=0.0) for r in cold_reports]
