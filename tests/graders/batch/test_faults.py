"""Faults while grading a class, with real processes: kill -9 at random moments, a lost worker, two runs on
one folder, a file changed mid-run, a full or read-only disk, damaged results. After each, the results
equal an undisturbed run's, byte for byte apart from timings, and every fault was said in one line."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus import load_fixture
from graders.batch.discover import discover
from graders.batch.runner import grade_entries
from graders.batch.store import ResultStore
from graders.config import load_config
from graders.sandbox import isolation

TEXTBOOK = Path(__file__).resolve().parents[2] / "fixtures" / "submissions" / "textbook.py"
SETTINGS = {"config": dict(load_config().raw), "lang": "en", "train": False, "data": None, "iters": None}
TIMINGS = {"seconds", "execution_time"}


def _class(root: Path, size: int) -> Path:
    """Correct submissions and mutants. Their TwoLayerNet draws its weights from the global np.random, unseeded,
    as the book's does: every run must still give the same bytes."""
    mutants = load_fixture("mutants").MUTANTS
    assert "np.random.randn" in TEXTBOOK.read_text()
    root.mkdir()
    for i in range(size):
        source = mutants[i % len(mutants)].source() if i % 2 else TEXTBOOK.read_text()
        (root / f"s{i:03d}.py").write_text(source + f"\n# {i}\n")
    return root


def _command(submissions: Path, out: Path, workers: int = 2) -> list[str]:
    return [sys.executable, "-m", "backprop_lab", "grade", str(submissions), "--out", str(out), "--workers",
            str(workers)]


def _results(out: Path) -> dict[str, object]:
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in TIMINGS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return {p.name: strip(json.loads(p.read_text())) for p in sorted((out / "results").glob("*.json"))}


@pytest.fixture(scope="module")
def undisturbed(tmp_path_factory) -> tuple[Path, dict]:
    top = tmp_path_factory.mktemp("faults")
    submissions = _class(top / "class", 24)
    done = subprocess.run(_command(submissions, top / "calm"), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return submissions, _results(top / "calm")


@pytest.mark.slow
def test_kill_9_at_random_moments_then_the_same_results(undisturbed, tmp_path):
    submissions, calm = undisturbed
    out, chance = tmp_path / "out", random.Random(14)
    for _ in range(3):
        run = subprocess.Popen(_command(submissions, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
        time.sleep(chance.uniform(0.5, 3.0))
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    done = subprocess.run(_command(submissions, out), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert _results(out) == calm
    assert not list((out / "results").glob(".*.tmp"))


@pytest.mark.slow
def test_a_lost_worker_costs_only_its_submission(undisturbed, tmp_path):
    submissions, calm = undisturbed
    out = tmp_path / "out"
    run = subprocess.Popen(_command(submissions, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((out / "results").glob("*.json"))) < 3:
        time.sleep(0.05)
    workers = _children(run.pid)
    assert workers, "no worker process found"
    os.kill(workers[0], signal.SIGKILL)
    stdout, stderr = run.communicate(timeout=600)
    assert run.returncode == 0, stderr
    assert "1 lost and replaced" in " ".join(stdout.split())  # rich wraps at 80 columns
    assert _results(out) == calm


def _children(pid: int) -> list[int]:
    """The pool's worker processes of ``pid`` (not multiprocessing's resource tracker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == pid and b"spawn_main" in command and b"resource_tracker" not in command:
            found.append(int(stat.parent.name))
    return sorted(found)


def test_two_runs_on_one_folder(undisturbed, tmp_path):
    submissions, calm = undisturbed
    out = tmp_path / "out"
    first = subprocess.Popen(_command(submissions, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out / ".lock").exists():
        time.sleep(0.02)
    time.sleep(0.3)
    second = subprocess.run(_command(submissions, out), capture_output=True, text=True, timeout=600)
    assert first.wait(timeout=600) == 0, first.stderr.read()
    assert second.returncode == 2
    assert second.stderr.startswith(f"error: {out}: another run is grading into it (pid {first.pid} on ")
    assert second.stderr.count("\n") == 1
    assert _results(out) == calm


def test_a_file_changed_mid_run_is_graded_as_it_is_now(tmp_path):
    submissions = _class(tmp_path / "class", 3)
    entries, _ = discover(submissions)
    store = ResultStore(tmp_path / "out", SETTINGS)
    (submissions / "s000.py").write_text(TEXTBOOK.read_text().replace("np.sum(dout, axis=0)", "dout"))
    progress = grade_entries(entries, store, SETTINGS, workers=1)
    assert progress.errors == ["s000"] and "changed since it was found" in store.load("s000")["error"]
    entries, _ = discover(submissions)
    progress = grade_entries(entries, store, SETTINGS, workers=1)
    assert progress.graded == ["s000"]
    result = store.load("s000")
    assert result["digest"] == next(e.digest for e in entries if e.student == "s000")
    assert result["report"]["score"] < result["report"]["max_score"]


def test_damaged_results_are_graded_again(undisturbed, tmp_path):
    submissions, calm = undisturbed
    out = tmp_path / "out"
    assert subprocess.run(_command(submissions, out), capture_output=True, timeout=600).returncode == 0
    results = sorted((out / "results").glob("*.json"))
    results[0].write_text("[]")
    results[1].write_text(results[1].read_text()[:100])
    results[2].write_text('{"status": "graded"}')
    results[3].write_bytes(b"\xff\xfe garbage")
    done = subprocess.run(_command(submissions, out), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "graded 4, already done 20" in done.stdout
    assert _results(out) == calm


@pytest.mark.skipif(bool(isolation.available()), reason="needs bubblewrap for a small private tmpfs")
@pytest.mark.parametrize("disk,words", [
    (["--size", "40000", "--tmpfs"], "No space left on device"),
    (["--ro-bind"], "Read-only file system"),
], ids=["full", "read-only"])
def test_a_full_or_read_only_disk_is_one_line_and_keeps_what_was_saved(undisturbed, tmp_path, disk, words):
    submissions, calm = undisturbed
    out = tmp_path / "out"
    (out / "results").mkdir(parents=True)
    mount = [*disk, str(out)] if disk[-1] == "--tmpfs" else [*disk, str(out), str(out)]
    check = ("import json, pathlib, sys; r = list(pathlib.Path(sys.argv[1]).glob('results/*.json')); "
             "[json.loads(p.read_text()) for p in r]; print('whole', len(r))")
    err = tmp_path / "stderr"
    script = (f'{" ".join(_command(submissions, out))} 2>{err}; echo "exit $?"; cat {err}; '
              f'{sys.executable} -c "{check}" {out}')
    done = subprocess.run(["bwrap", "--dev-bind", "/", "/", *mount, "sh", "-c", script], capture_output=True,
                          text=True, timeout=600)
    lines = done.stdout.splitlines()
    assert lines[0] == "exit 3", done.stdout + done.stderr
    assert lines[1].startswith(f"error: cannot write the results in {out}: {words}") and "Traceback" not in done.stdout
    assert lines[-1].startswith("whole ")  # every result that was saved is whole JSON


@pytest.mark.slow
def test_a_lost_dask_worker_costs_nothing_already_saved(undisturbed, tmp_path):
    from distributed import Client, LocalCluster

    submissions, calm = undisturbed
    entries, _ = discover(submissions)
    store = ResultStore(tmp_path / "out", SETTINGS)
    killed: list[int] = []
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      processes=True) as cluster, Client(cluster.scheduler_address) as client:
        pids = sorted(client.run(os.getpid).values())

        def kill_once(entry, result) -> None:
            if len(store.all()) == 3 and not killed:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        progress = grade_entries(entries, store, SETTINGS, scheduler=cluster.scheduler_address, on_result=kill_once)
    assert killed and progress.lost_workers == 1 and not progress.errors
    assert len(progress.graded) == len(entries)  # each saved once: nothing graded twice
    assert _results(tmp_path / "out") == {k: {**v, "submission": v["submission"]} for k, v in calm.items()}
