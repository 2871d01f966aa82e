"""The student checker as students get it: built by the command README.md gives, installed offline into a
folder of its own, and run by an interpreter that sees neither this repository nor its editable install.

Real processes throughout. The wheel is built from a copy of the tree that holds ``reference/`` and
``assignments/`` (and planted caches), so leaving them out is tested, and nothing is written into the repository.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README_COMMAND = "python packaging/build_checker.py --out dist/"
COPIED = ("pyproject.toml", "packaging", "graders", "labdata", "backprop_lab", "reference", "assignments")
DEPENDENCIES = ("numpy", "yaml", "rich", "matplotlib", "fastjsonschema")
INSTRUCTOR_LINE = ("error: 'backprop-lab {}' is an instructor's command; this is the student checker "
                   "(pip install backprop-lab for the full toolkit)\n")


def _env() -> dict[str, str]:
    """This environment without PYTHON* variables, with the venv's ``python`` first on PATH (as after activating it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _build(source: Path) -> Path:
    """Run the README's command line as typed, in ``source``; the one wheel it wrote."""
    result = subprocess.run(README_COMMAND, shell=True, cwd=source, env=_env(), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    [wheel] = (source / "dist").glob("*.whl")
    return wheel


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("tree")
    for name in COPIED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, tree / name)
        else:
            shutil.copy2(ROOT / name, tree / name)
    (tree / "graders" / "__pycache__").mkdir(exist_ok=True)
    (tree / "graders" / "__pycache__" / "planted.cpython-311.pyc").write_bytes(b"cache")
    (tree / "labdata" / ".planted").write_text("hidden")
    return tree


@pytest.fixture(scope="module")
def wheel(source: Path) -> Path:
    return _build(source)


@pytest.fixture(scope="module")
def site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("install") / "site"
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target",
                             str(target), str(wheel)], capture_output=True, text=True, env=_env(), timeout=300)
    assert result.returncode == 0, result.stderr
    return target


def _members(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_readme_gives_the_command_the_tests_run():
    lines = [line.split("#")[0].strip() for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()]
    assert README_COMMAND in lines


def test_wheel_holds_the_checker_and_never_the_solution(wheel: Path, source: Path):
    version = (source / "pyproject.toml").read_text().split('version = "')[1].split('"')[0]
    assert wheel.name == f"backprop_lab_checker-{version}-py3-none-any.whl"
    names = list(_members(wheel))
    assert names == sorted(names[:-4]) + names[-4:]  # the packages in order, then dist-info with RECORD last
    assert not [n for n in names if n.startswith(("reference/", "assignments/"))]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc") or "/." in n]
    for package in ("graders", "labdata", "backprop_lab"):
        expected = {p.relative_to(source).as_posix() for p in (source / package).rglob("*")
                    if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")}
        assert expected == {n for n in names if n.startswith(package + "/")}
    assert {"graders/schemas/grading-config.schema.json", "graders/schemas/report.schema.json",
            "graders/oracles/_generated/affine.py", "labdata/mnist_10k/images-idx3-ubyte.gz",
            "labdata/mnist_10k/labels-idx1-ubyte.gz", "labdata/mnist_10k/README.md"} <= set(names)


def test_metadata_names_the_checker_and_only_its_dependencies(wheel: Path):
    members = _members(wheel)
    info = next(n.split("/")[0] for n in members if n.endswith(".dist-info/METADATA"))
    metadata = members[f"{info}/METADATA"].decode().splitlines()
    assert metadata[:2] == ["Metadata-Version: 2.1", "Name: backprop-lab-checker"]
    assert "Requires-Python: >=3.10" in metadata
    requires = [line.split(": ")[1] for line in metadata if line.startswith("Requires-Dist: ")]
    assert requires == ["numpy>=1.24", "PyYAML>=6", "rich>=13", "matplotlib>=3.7", "fastjsonschema>=2.18"]
    wheel_file = members[f"{info}/WHEEL"].decode()
    assert "Wheel-Version: 1.0\n" in wheel_file and "Root-Is-Purelib: true\n" in wheel_file
    assert "Tag: py3-none-any\n" in wheel_file and "Generator: " in wheel_file
    assert members[f"{info}/entry_points.txt"].decode() == "[console_scripts]\nbackprop-lab = backprop_lab.cli:entry\n"


def test_record_lists_every_file_with_its_hash_and_size(wheel: Path):
    members = _members(wheel)
    record_name = next(n for n in members if n.endswith(".dist-info/RECORD"))
    rows = list(csv.reader(io.StringIO(members.pop(record_name).decode())))
    assert rows[-1] == [record_name, "", ""]
    recorded = {name: (digest, size) for name, digest, size in rows[:-1]}
    assert set(recorded) == set(members)
    for name, data in members.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert recorded[name] == (f"sha256={digest}", str(len(data))), name


def test_the_same_tree_gives_the_same_bytes(wheel: Path, source: Path):
    first = wheel.read_bytes()
    for path in source.rglob("*"):  # new timestamps, as in a fresh clone: they must not reach the wheel
        os.utime(path, (1_700_000_000, 1_700_000_000))
    wheel.unlink()
    assert _build(source).read_bytes() == first


def _run_installed(site: Path, cwd: Path, code: str) -> subprocess.CompletedProcess:
    """``code`` in an interpreter that imports the checker from ``site`` and only its dependencies besides.

    ``-S`` keeps the venv's .pth files (the editable install of this repository) from running; the prelude then
    does the rest of what ``site.venv()`` does, sys.prefix and the dependencies' folders, so the sandbox child
    is started from this venv as a student's installed checker would start it."""
    import importlib.util
    folders = sorted({str(Path(importlib.util.find_spec(m).origin).parents[1]) for m in DEPENDENCIES})
    prelude = (f"import sys; sys.path[:0] = {[str(site), *folders]!r}; "
               f"sys.prefix = sys.exec_prefix = {sys.prefix!r}\n")
    return subprocess.run([sys.executable, "-S", "-c", prelude + code], cwd=cwd, capture_output=True, text=True,
                          env=_env(), timeout=300)


def test_installed_checker_grades_a_submission_without_the_repository(site: Path, tmp_path: Path):
    shutil.copy(ROOT / "tests/fixtures/submissions/textbook.py", tmp_path / "hw5.py")
    assert (site / "bin" / "backprop-lab").is_file()  # pip made the command from entry_points.txt
    code = (
        "import importlib.util, json\n"
        "for name in ('reference', 'assignments'):\n"
        "    try:\n"
        "        __import__(name)\n"
        "    except ImportError:\n"
        "        pass\n"
        "    else:\n"
        "        raise SystemExit(f'{name} is importable')\n"
        "import graders, labdata, backprop_lab.cli\n"
        "from graders.sandbox import isolation, process\n"
        "code = backprop_lab.cli.main(['check', 'hw5.py'])\n"
        "print(json.dumps({'code': code, 'files': [m.__file__ for m in (graders, labdata, backprop_lab.cli)],\n"
        "                  'root': process.GRADERS_ROOT, 'readable': isolation._readable_paths(),\n"
        "                  'isolation': isolation.available()}))\n"
    )
    result = _run_installed(site, tmp_path, code)
    assert result.returncode == 0, result.stderr
    report, state = result.stdout.rstrip("\n").rsplit("\n", 1)
    state = json.loads(state)
    assert state["code"] == 0, result.stdout + result.stderr
    assert "All checks passed" in report
    assert all(f.startswith(str(site) + "/") for f in state["files"])
    assert state["root"] == str(site)  # the child imports graders from the installed copy
    child_side = {p for p in state["readable"] if p.startswith(str(site))}
    assert child_side == {str(site / "graders" / n)
                          for n in ("__init__.py", "components.py", "textbook.py", "notebooks.py", "sandbox", "probes")}
    assert not [p for p in state["readable"] if p.startswith(str(ROOT) + "/") and not p.startswith(sys.prefix)]


def test_instructor_commands_say_so_in_one_line(site: Path, tmp_path: Path):
    code = (
        "import sys\n"
        "sys.modules['sympy'] = None  # as where SymPy is not installed: it is not the checker's dependency\n"
        "from backprop_lab.cli import main\n"
        "codes = [main(a) for a in (['train'], ['graph'], ['derive', '--check'],\n"
        "                           ['assignment', 'create', 'course', '--parts', 'graph'], ['autograde', 'course'])]\n"
        "print(codes)\n"
    )
    result = _run_installed(site, tmp_path, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[2, 2, 2, 2, 2]\n"
    assert result.stderr == "".join(INSTRUCTOR_LINE.format(c) for c in
                                    ("train", "graph", "derive", "assignment", "autograde"))
    assert not list(tmp_path.iterdir())  # nothing was started
