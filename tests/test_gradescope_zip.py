"""The Gradescope autograder zip as an instructor makes it and as Gradescope runs it.

Real processes throughout: the zip is built by the README's command line as typed, unpacked into a fake
``/autograder`` tree (``AUTOGRADER_ROOT``), and its ``run_autograder`` grades a file, a book-layout folder and a
broken notebook with this repository's virtualenv first on PATH (``setup.sh`` needs apt and the network: it is
only checked to be valid bash). When check itself fails, or there is no Python at all, results.json still holds.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin" if (ROOT / ".venv" / "bin" / "backprop-lab").exists() else Path(sys.executable).parent
README_COMMAND = "backprop-lab gradescope autograder.zip --lang ko"
TEXTBOOK = ROOT / "tests" / "fixtures" / "submissions" / "textbook.py"
SCRIPTS = ("run_autograder", "setup.sh")
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
EPOCH = (1980, 1, 1, 0, 0, 0)


def _env(**extra: str) -> dict[str, str]:
    """This environment without PYTHON* variables, the venv first on PATH, no installed checker venv in the way."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["BACKPROP_LAB_VENV"] = "/nonexistent/backprop-lab-venv"
    env.update(extra)
    return env


def _cli(command: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, shell=True, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """The README's command run as typed, in a folder of its own."""
    folder = tmp_path_factory.mktemp("instructor")
    result = _cli(README_COMMAND, folder)
    return folder / "autograder.zip", result


def _tree(archive: Path, root: Path) -> Path:
    """Gradescope's layout: the zip unpacked (modes kept) in root/source, run_autograder copied to root."""
    source = root / "source"
    with zipfile.ZipFile(archive) as z:
        for info in z.infolist():
            target = source / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(info))
            target.chmod((info.external_attr >> 16) & 0o777)
    shutil.copy2(source / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    return root


def _run(root: Path, **env: str) -> dict:
    """run_autograder as Gradescope runs it (working folder /autograder); the results.json it left."""
    result = subprocess.run([str(root / "run_autograder")], cwd=root, env=_env(AUTOGRADER_ROOT=str(root), **env),
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    _assert_gradescope(document)
    assert sorted(p.name for p in (root / "results").iterdir()) == ["results.json"]
    return document


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _assert_gradescope(doc: dict) -> None:
    """The fields Gradescope's autograder spec defines, with the types and values it accepts."""
    assert _number(doc["score"]) and doc["score"] >= 0
    assert isinstance(doc["output"], str)
    assert _number(doc["execution_time"]) and doc["execution_time"] >= 0
    assert doc["visibility"] in VISIBILITY and doc["stdout_visibility"] in VISIBILITY
    assert isinstance(doc["tests"], list)
    for test in doc["tests"]:
        assert isinstance(test["name"], str) and test["name"]
        assert _number(test["score"]) and _number(test["max_score"]) and 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed")
        assert isinstance(test["output"], str)
        assert test["visibility"] in VISIBILITY


def test_the_readme_gives_the_command():
    assert README_COMMAND in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_zip_holds_what_gradescope_runs_and_never_the_solution(built, tmp_path):
    archive, result = built
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(str(archive.name)) and result.stderr == ""
    with zipfile.ZipFile(archive) as z:
        infos = {info.filename: info for info in z.infolist()}
        [wheel] = [name for name in infos if name.endswith(".whl")]
        assert re.fullmatch(r"backprop_lab_checker-[0-9.]+-py3-none-any\.whl", wheel)
        assert sorted(infos) == sorted([*SCRIPTS, wheel])  # at the top: not under a folder
        for name, info in infos.items():
            assert info.date_time == EPOCH
            assert (info.external_attr >> 16) == (0o100755 if name in SCRIPTS else 0o100644), name
        wheel_path = tmp_path / wheel
        wheel_path.write_bytes(z.read(wheel))
        scripts = {name: z.read(name).decode() for name in SCRIPTS}
    with zipfile.ZipFile(wheel_path) as z:
        packaged = z.namelist()
    assert "graders/checker.py" in packaged and "backprop_lab/cli.py" in packaged
    for name in [*infos, *packaged]:
        assert not name.startswith(("reference/", "assignments/")), name
    for name, text in scripts.items():
        assert text.startswith("#!/usr/bin/env bash\n")
        (tmp_path / name).write_text(text)
        check = subprocess.run(["bash", "-n", str(tmp_path / name)], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
    assert re.search(r"apt-get install -y .*python3 python3-venv python3-pip bubblewrap", scripts["setup.sh"])
    assert f'pip install --no-cache-dir "$source_dir/{wheel}"' in scripts["setup.sh"]
    assert 'backprop-lab check "$root/submission" --format gradescope --lang ko >' in scripts["run_autograder"]


def test_the_same_inputs_give_the_same_bytes_and_a_config_goes_in(built, tmp_path):
    archive, _ = built
    again = _cli("backprop-lab gradescope again.zip --lang ko", tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again.zip").read_bytes() == archive.read_bytes()

    config = "default_points: 2\nexact_names: true\n"
    (tmp_path / "grading.yaml").write_text(config)
    result = _cli("backprop-lab gradescope out/relu.zip --config grading.yaml --only Relu,Affine", tmp_path)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "out" / "relu.zip") as z:
        assert z.read("grading-config.yaml").decode() == config
        assert (z.getinfo("grading-config.yaml").external_attr >> 16) == 0o100644
        run = z.read("run_autograder").decode()
    assert '--lang en --only Relu,Affine --config "$root/source/grading-config.yaml"' in run

    root = _tree(tmp_path / "out" / "relu.zip", tmp_path / "autograder")
    shutil.copy(TEXTBOOK, root / "submission" / "hw5.py")
    doc = _run(root)
    assert {t["name"].split(".")[0] for t in doc["tests"]} == {"Relu", "Affine"}
    assert {t["max_score"] for t in doc["tests"]} == {2.0}
    assert doc["score"] == sum(t["max_score"] for t in doc["tests"]) > 0


def test_a_bad_config_is_one_line_and_no_zip(tmp_path):
    (tmp_path / "grading.yaml").write_text("default_points: -1\n")
    result = _cli("backprop-lab gradescope autograder.zip --config grading.yaml", tmp_path)
    assert result.returncode == 2
    assert result.stdout == "" and result.stderr.startswith("error: grading.yaml") and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == [tmp_path / "grading.yaml"]


def _book_layout(folder: Path) -> None:
    """textbook.py split the book's way: common/functions.py, common/layers.py, ch05/two_layer_net.py."""
    text = TEXTBOOK.read_text(encoding="utf-8")
    layers_at, network_at = text.index("class MulLayer"), text.index("class TwoLayerNet")
    (folder / "common").mkdir(parents=True)
    (folder / "ch05").mkdir()
    (folder / "common" / "__init__.py").write_text("")
    (folder / "common" / "functions.py").write_text(text[:layers_at])
    (folder / "common" / "layers.py").write_text("import numpy as np\nfrom common.functions import *\n\n\n"
                                                 + text[layers_at:network_at])
    (folder / "ch05" / "two_layer_net.py").write_text(
        "import sys, os\nsys.path.append(os.pardir)\nimport numpy as np\nfrom collections import OrderedDict\n"
        "from common.functions import *\nfrom common.layers import *\n\n\n" + text[network_at:])


def _submit(kind: str, submission: Path) -> None:
    if kind == "file":
        shutil.copy(TEXTBOOK, submission / "textbook.py")
    elif kind == "folder":
        _book_layout(submission / "deep-learning-from-scratch")
    else:
        (submission / "hw5.ipynb").write_text('{"cells": [ not json')


@pytest.mark.parametrize("kind", ["file", "folder", "broken notebook"])
def test_run_autograder_leaves_a_valid_results_json(built, tmp_path, kind):
    archive, _ = built
    root = _tree(archive, tmp_path / "autograder")
    _submit(kind, root / "submission")
    doc = _run(root)
    assert len(doc["tests"]) > 30  # every component's checks
    if kind == "broken notebook":
        assert doc["score"] == 0
        assert "hw5.ipynb" in doc["output"]  # why: the notebook it could not read
        assert all(t["status"] == "failed" for t in doc["tests"])
    else:
        assert doc["score"] == sum(t["max_score"] for t in doc["tests"])
        assert all(t["status"] == "passed" for t in doc["tests"])
        assert "TwoLayerNet" in doc["output"]  # what was graded, and where
        if kind == "folder":
            assert "common/layers.py" in doc["output"] and "ch05/two_layer_net.py" in doc["output"]
    assert all(t["visibility"] == "visible" for t in doc["tests"]) and doc["stdout_visibility"] == "hidden"


def _fake_check(folder: Path, stderr: str, status: int) -> Path:
    """A backprop-lab that fails the way a bug of ours would: writes nothing on stdout (or half a document)."""
    folder.mkdir()
    script = folder / "backprop-lab"
    script.write_text(f"#!/bin/sh\nprintf '{{\"score\": 4'\nprintf '%s' '{stderr}' >&2\nexit {status}\n")
    script.chmod(0o755)
    return folder


@pytest.mark.parametrize("stderr, status, reason", [
    ("Traceback (most recent call last):\n  File x\nRuntimeError: boom\n", 1, "RuntimeError: boom"),
    ("error: could not grade: the sandbox died\nnoise after\n", 3, "could not grade: the sandbox died"),
    ("", 2, "backprop-lab check exited with status 2"),
])
def test_a_check_that_fails_without_results_still_leaves_score_zero_and_why(built, tmp_path, stderr, status, reason):
    archive, _ = built
    root = _tree(archive, tmp_path / "autograder")
    fake = _fake_check(tmp_path / "bin", stderr, status)
    doc = _run(root, PATH=f"{fake}{os.pathsep}{_env()['PATH']}")
    assert doc["score"] == 0 and doc["tests"] == []
    assert doc["output"] == f"자동 채점기가 이 제출물을 채점하지 못했습니다: {reason}"


def test_without_python_the_script_still_writes_results_json(built, tmp_path):
    archive, _ = built
    root = _tree(archive, tmp_path / "autograder")
    fake = _fake_check(tmp_path / "bin", 'error: 채점 불가 "quoted" \\\\ end\n', 3)
    for tool in ("bash", "mkdir", "mktemp", "rm", "cat", "date", "grep", "tail", "tr", "sed"):
        (fake / tool).symlink_to(shutil.which(tool))
    assert shutil.which("python3", path=str(fake)) is None
    doc = _run(root, PATH=str(fake))
    assert doc["score"] == 0 and doc["tests"] == []
    assert doc["output"] == 'the autograder could not grade this submission: "quoted" \\\\ end'
