"""Every command and option README.md shows is exercised by the test suite as the user types it.

README.md is read for what it shows a user: each command line of its ``sh`` blocks (and the alternatives their
trailing comments offer, "# or --parts ..."), each command it names inline in backticks, and each command and
option of the table under "The command line". ``REGISTRY`` says, for each, how the suite exercises it; the two must
hold the same entries, so a command added to the README without a test fails here, and so does an entry for one
the README no longer shows. Each entry is checked too: a test of this module runs it, or the test of the suite
named runs it (that test must exist and hold the command's arguments), or, for a table entry, a command line
that uses it is run. The table is held against the parser ``backprop_lab.parser.build_parser()`` builds: no option the
command lacks, the same choices, and every option the parser has.

The commands are run for real, with the console script beside this interpreter, in a folder laid out as the user's
(``hw5.py``, ``hw5.ipynb``, ``hw5.zip``, ``hw5/``, ``grading.yaml``, ``points.json``, ``submissions/``). What the
test changes is said in the registry, and only what cannot work in a test: the Dask scheduler's address (a
LocalCluster started here), the data sets that would have to be downloaded (small IDX sets written here, their
checksums given to labdata by ``tests/readme/sitecustomize.py``), and where a command writes into this checkout.
"""
from __future__ import annotations

import argparse
import ast
import csv
import functools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
COMMAND = Path(sys.executable).with_name("backprop-lab")  # the console script, as `make` installs it
HELPERS = ROOT / "tests" / "readme"  # sitecustomize.py: the stand-in data sets' checksums
FIXTURES = ROOT / "tests" / "fixtures"
THIS = Path(__file__).resolve()


# ---------------------------------------------------------------------------------------------------------------
# What the README shows


@functools.lru_cache(maxsize=None)
def _readme() -> str:
    return README.read_text(encoding="utf-8")


def _words_before_options(command: str) -> list[str]:
    words = command.split()
    return words[:next((i for i, w in enumerate(words) if w.startswith("-")), len(words))]


def shell_commands(text: str) -> set[str]:
    """Each command line of the ```sh blocks, and each alternative a trailing "# or ..." comment gives: the
    command's words before its options, then the comment's options."""
    found = set()
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M):
        for line in block.splitlines():
            command, _, comment = (part.strip() for part in line.partition(" #"))
            if not command or command.startswith("#"):
                continue
            found.add(" ".join(command.split()))
            if comment.startswith("or "):
                found.add(" ".join(_words_before_options(command) + comment[3:].split()))
    return found


TABLE_ROW = re.compile(r"^\| `(backprop-lab [^`]+)` \|", flags=re.M)
INLINE = re.compile(r"(\.venv/bin/)?backprop-lab\b|python (benchmarks|packaging)/|make\b|pip install\b")


def inline_commands(text: str) -> set[str]:
    """Each command named in backticks outside the sh blocks and the command table (fenced text blocks included:
    the layout names `backprop-lab derive --write`); an optional ``[--option ...]`` gives both forms."""
    text = re.sub(r"^```sh\n.*?^```$", "", text, flags=re.S | re.M)
    text = re.sub(r"^```.*$", "", text, flags=re.M)  # the fences of other blocks, not their text
    text = TABLE_ROW.sub("", text)
    found = set()
    for span in re.findall(r"`([^`]+)`", text):
        span = " ".join(span.split())
        if not INLINE.match(span):
            continue
        optional = re.compile(r"\s*\[(--[^\]]*)\]")
        found.add(optional.sub("", span))
        if optional.search(span):
            found.add(optional.sub(lambda m: " " + m.group(1), span))
    return found


def table(text: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """The command table: command ("train", "assignment create") -> option -> the choices it shows (a|b|c)."""
    rows: dict[str, dict[str, tuple[str, ...]]] = {}
    for row in TABLE_ROW.findall(text):
        row = row.replace("\\|", "|")
        words = row.split()[1:]
        name = " ".join(words[:next((i for i, w in enumerate(words) if not re.fullmatch(r"[a-z][a-z-]*", w)),
                                    len(words))])
        rows[name] = {option: tuple(value.split("|")) if "|" in value else ()
                      for option, value in re.findall(r"(--[a-z][a-z-]*)(?: (?!-)([^\s\[\]]+))?", row)}
    return rows


def table_entries(text: str) -> set[str]:
    """Each command of the table, and each of its options (an option with choices: each choice)."""
    found = set()
    for name, options in table(text).items():
        found.add(f"backprop-lab {name}")
        for option, choices in options.items():
            found |= {f"backprop-lab {name} {option} {choice}" for choice in choices} if choices else \
                {f"backprop-lab {name} {option}"}
    return found


def readme_entries() -> set[str]:
    text = _readme()
    return shell_commands(text) | inline_commands(text) | table_entries(text)


# ---------------------------------------------------------------------------------------------------------------
# The parser the console script runs


@functools.lru_cache(maxsize=None)
def parser_commands() -> dict[str, argparse.ArgumentParser]:
    """Each (sub)command of `backprop-lab` ("train", "assignment create") and its parser."""
    from backprop_lab.parser import build_parser as _parser
    found: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    if any(isinstance(a, argparse._SubParsersAction) for a in sub._actions):
                        walk(sub, f"{prefix}{name} ")
                    else:
                        found[prefix + name] = sub

    walk(_parser(), "")
    return found


def parser_options(command: str) -> dict[str, argparse.Action]:
    return {option: action for action in parser_commands()[command]._actions for option in action.option_strings
            if option not in ("-h", "--help")}


# ---------------------------------------------------------------------------------------------------------------
# The registry: each README entry -> how the suite exercises it


@dataclass(frozen=True)
class Ran:
    """Run for real by ``test`` in this module, as typed: the test's source (with the fixtures and helpers of this
    module it names) holds the command line. ``changed``: what the run changes, and why."""
    test: str
    changed: str = ""


@dataclass(frozen=True)
class Via:
    """A command or option of the table, exercised by ``command``: a README command the registry runs, or a command
    line a test of this module runs. An option's choice that is the parser's default may be shown by leaving the
    option out."""
    command: str


@dataclass(frozen=True)
class Covered:
    """Run by other tests of the suite: each ``tests/PATH.py::NAME`` must exist and the source it runs (the function
    with its decorators, and the functions of its module it names, transitively) must hold each piece of evidence;
    ``constants``: module-level names of that file and the values they must have."""
    links: tuple[tuple[str, tuple[str, ...]], ...]
    constants: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Checked:
    """Not a process a test runs here (it installs from the network, or it is this test suite): ``test`` in this
    module checks what the README says of it."""
    test: str


@dataclass(frozen=True)
class Missing:
    """Not exercised by any test: an expected failure until it is."""
    reason: str


def covered(test: str, *evidence: str, **constants: str) -> Covered:
    return Covered(((test, evidence),), constants)


SMALL_DATA = ("the real data set would be downloaded: $BACKPROP_LAB_FASHION_MNIST_DIR names 2,000 + 500 of the "
              "embedded digits written as IDX files, their checksums given to labdata (tests/readme/sitecustomize.py)")
BENCHMARKS_RUN = "tests/test_benchmarks_run.py::test_benchmark_runs_and_prints_its_figures"
BENCHMARKS_COMMAND = '[sys.executable, str(ROOT / "benchmarks" / script), *args]'

# README command lines that exercise the table's entries (the registry's keys spell them out).
CHECK_PY = "backprop-lab check hw5.py"
CHECK_FOLDER_JSON = "backprop-lab check hw5/ --only Affine,Relu --format json --config grading.yaml"
CHECK_FASHION = "backprop-lab check hw5.py --train --data fashion-mnist --iters 2000 --out runs/hw5"
GRADE = "backprop-lab grade submissions/ --out results/"
GRADE_TRAIN = "backprop-lab grade submissions/ --out results/ --workers 2 --train"
CREATE_PARTS = "backprop-lab assignment create course/ --parts graph,activations --config points.json"
GRADESCOPE_ONLY = "backprop-lab gradescope autograder.zip --config grading.yaml --only Affine,Relu"

# Command lines of the tests' own, for the table's options no README command uses (each run by a test below).
TRAIN_EVERY_OPTION = ("backprop-lab train --data mnist --data-dir data/mnist --iters 300 --batch-size 50 --lr 0.05 "
                      "--hidden 20 --seed 3 --dtype float32 --out runs/small")
TRAIN_FASHION = "backprop-lab train --data fashion-mnist --iters 200 --out runs/fashion"
# full MNIST ships thresholds for 2,000 and 10,000 steps; 200 steps, with a threshold of the test's, are enough here
CHECK_MNIST_DIR = ("backprop-lab check hw5.py --train --data mnist --data-dir data/mnist --iters 200 "
                   "--config mnist-200.yaml --out runs/mnist")
MNIST_200_YAML = 'training:\n  thresholds:\n    mnist:\n      "200": 0.6\n'
GRADE_FASHION = "backprop-lab grade submissions/ --out fashion/ --train --data fashion-mnist --iters 2000 --lang en"

CHECK_GRADESCOPE = "backprop-lab check hw5.py --format gradescope"
DERIVE_LATEX = "backprop-lab derive --latex"
GRADE_AGAIN_IN_KOREAN = "backprop-lab grade submissions/ --out results/ --force --lang ko --config grading.yaml"

REGISTRY: dict[str, Ran | Via | Covered | Checked | Missing] = {
    # ---- Set up on a fresh machine
    "make demo": Ran("test_make_demo_grades_the_example_class",
                     "runs the line `make -n demo` prints, in a copy of examples/class: runs/ is not this checkout's"),
    "backprop-lab grade examples/class --out runs/example-class": Ran("test_make_demo_grades_the_example_class",
                                                                      "in a copy of examples/class"),
    "make test": Checked("test_make_test_is_the_suite_ci_runs"),
    "make": Checked("test_make_installs_the_command_and_its_extras"),
    "backprop-lab": Checked("test_make_installs_the_command_and_its_extras"),
    ".venv/bin/backprop-lab": Checked("test_make_installs_the_command_and_its_extras"),
    "pip install 'backprop-lab[assignments]'": Checked("test_make_installs_the_command_and_its_extras"),
    "pip install 'backprop-lab[cluster]'": Checked("test_make_installs_the_command_and_its_extras"),
    "backprop-lab train": Ran("test_train_runs_the_chapters_experiment"),
    "backprop-lab derive": Ran("test_derive_proves_lists_and_writes"),
    "backprop-lab derive --write": Ran("test_derive_proves_lists_and_writes",
                                       "writes into a copy of graders/ (first on PYTHONPATH), not into this checkout"),
    # ---- Checking a submission
    "backprop-lab check hw5.py": Ran("test_check_a_submission"),
    "backprop-lab check hw5.ipynb --lang ko": Ran("test_check_a_submission"),
    "backprop-lab check hw5.zip": Ran("test_check_a_submission"),
    "backprop-lab check hw5/ --only Affine,Relu --format json --config grading.yaml": Ran("test_check_a_submission"),
    "backprop-lab check hw5.py --train": Ran("test_train_a_submission_and_a_class"),
    "backprop-lab check hw5.py --train --data fashion-mnist --iters 2000 --out runs/hw5":
        Ran("test_train_on_the_other_data_sets", SMALL_DATA),
    "python benchmarks/training_check.py": covered(BENCHMARKS_RUN, '("training_check.py", ["--iters", "1000"]',
                                                   BENCHMARKS_COMMAND),
    "python benchmarks/check.py": covered(BENCHMARKS_RUN, '("check.py", ["--repeat", "1"]', BENCHMARKS_COMMAND),
    "python benchmarks/discovery.py": covered(BENCHMARKS_RUN, '("discovery.py", ["--repeat", "1"]', BENCHMARKS_COMMAND),
    "python benchmarks/isolation.py": covered(BENCHMARKS_RUN, '("isolation.py", ["--repeat", "1"', BENCHMARKS_COMMAND),
    "backprop-lab check": Via(CHECK_PY),
    # ---- The student checker
    "python packaging/build_checker.py --out dist/": covered(
        "tests/test_checker_package.py::test_wheel_holds_the_checker_and_never_the_solution",
        "README_COMMAND, shell=True", README_COMMAND="python packaging/build_checker.py --out dist/"),
    "pip install backprop_lab_checker-0.1.0-py3-none-any.whl": Covered((
        ("tests/test_checker_package.py::test_installed_checker_grades_a_submission_without_the_repository",
         ('"pip", "install", "--no-deps", "--no-index"', "str(wheel)")),
        ("tests/test_checker_package.py::test_wheel_holds_the_checker_and_never_the_solution",
         ('f"backprop_lab_checker-{version}-py3-none-any.whl"',)))),
    # ---- Grading a class
    "backprop-lab grade submissions/ --out results/": Ran("test_grade_a_class"),
    "backprop-lab grade submissions/ --out results/ --workers 2 --train": Ran("test_train_a_submission_and_a_class"),
    "backprop-lab grade submissions/ --out results/ --student kim_minsu": Ran("test_grade_a_class"),
    "backprop-lab grade submissions/ --out results/ --scheduler tcp://10.0.0.5:8786": Ran(
        "test_grade_on_a_dask_cluster", "tcp://10.0.0.5:8786 -> the address of a LocalCluster started by the test"),
    "python benchmarks/batch.py --size 200,1000": covered(
        "tests/test_batch_benchmark.py::test_batch_benchmark_results_identical_across_backends",
        'str(ROOT / "benchmarks" / "batch.py"), "--size", "12,24", "--skip-nbgrader"'),
    # ---- Gradescope
    "backprop-lab gradescope autograder.zip --lang ko": covered(
        "tests/test_gradescope_zip.py::test_the_zip_holds_what_gradescope_runs_and_never_the_solution",
        "_cli(README_COMMAND, folder)", README_COMMAND="backprop-lab gradescope autograder.zip --lang ko"),
    "backprop-lab gradescope autograder.zip --config grading.yaml --only Affine,Relu":
        Ran("test_gradescope_zip_with_a_config_for_two_components"),
    "backprop-lab check /autograder/submission --format gradescope": Covered((
        ("tests/test_gradescope_zip.py::test_the_zip_holds_what_gradescope_runs_and_never_the_solution",
         ("'backprop-lab check \"$root/submission\" --format gradescope --lang ko >' in scripts[\"run_autograder\"]",)),
        ("tests/test_gradescope_zip.py::test_run_autograder_leaves_a_valid_results_json",
         ('subprocess.run([str(root / "run_autograder")]',)))),
    # ---- The nbgrader assignment
    "backprop-lab assignment create course/ --lang ko": covered(
        "tests/assignments/test_cycle.py::test_the_full_default_course_is_created",
        'params=["en", "ko"]', '_backprop_lab("assignment", "create", str(course), "--lang", lang)',
        'Path(sys.executable).with_name("backprop-lab")'),
    "backprop-lab assignment create course/ --parts graph,activations --config points.json":
        Ran("test_assignment_create_and_autograde"),
    "backprop-lab autograde course/ ch05": Ran("test_assignment_create_and_autograde"),
    "python benchmarks/assignment.py": covered(BENCHMARKS_RUN, '("assignment.py", ["--short"]', BENCHMARKS_COMMAND),
    # ---- Layout
    "python benchmarks/train.py": covered(BENCHMARKS_RUN, '("train.py", ["--iters", "500"]', BENCHMARKS_COMMAND),
    "python benchmarks/train.py --data fashion-mnist": Ran(
        "test_train_on_the_other_data_sets", SMALL_DATA + "; --iters 500 added, the short mode "
        "tests/test_benchmarks_run.py runs it in"),
    # ---- The command table: each command and option
    "backprop-lab graph": Ran("test_graph_prints_the_apples_and_oranges"),
    "backprop-lab train --data mnist-10k": Via("backprop-lab train"),
    "backprop-lab train --data mnist": Via(TRAIN_EVERY_OPTION),
    "backprop-lab train --data fashion-mnist": Via(TRAIN_FASHION),
    "backprop-lab train --data-dir": Via(TRAIN_EVERY_OPTION),
    "backprop-lab train --iters": Via(TRAIN_FASHION),
    "backprop-lab train --batch-size": Via(TRAIN_EVERY_OPTION),
    "backprop-lab train --lr": Via(TRAIN_EVERY_OPTION),
    "backprop-lab train --hidden": Via(TRAIN_EVERY_OPTION),
    "backprop-lab train --seed": Via(TRAIN_EVERY_OPTION),
    "backprop-lab train --dtype float64": Via("backprop-lab train"),
    "backprop-lab train --dtype float32": Via(TRAIN_EVERY_OPTION),
    "backprop-lab train --out": Via(TRAIN_FASHION),
    "backprop-lab derive --check": covered(
        "tests/cli/test_cli.py::test_derive_check_proves_everything_through_the_main_command",
        'run("derive", "--check")', '[sys.executable, "-m", "backprop_lab", *args]'),
    "backprop-lab derive --latex": Via(DERIVE_LATEX),
    # (the table's `derive --write` is the command the layout names, above)
    "backprop-lab grade": Via(GRADE),
    "backprop-lab grade --out": Via(GRADE),
    "backprop-lab grade --workers": Via(GRADE_TRAIN),
    "backprop-lab grade --scheduler": Via(f"{GRADE} --scheduler tcp://10.0.0.5:8786"),
    "backprop-lab grade --train": Via(GRADE_TRAIN),
    "backprop-lab grade --force": Via(GRADE_AGAIN_IN_KOREAN),
    "backprop-lab grade --student": Via("backprop-lab grade submissions/ --out results/ --student kim_minsu"),
    "backprop-lab grade --lang en": Via(GRADE_FASHION),
    "backprop-lab grade --lang ko": Via(GRADE_AGAIN_IN_KOREAN),
    "backprop-lab grade --data": Via(GRADE_FASHION),
    "backprop-lab grade --iters": Via(GRADE_FASHION),
    "backprop-lab grade --config": Via(GRADE_AGAIN_IN_KOREAN),
    "backprop-lab assignment create": Via(CREATE_PARTS),
    "backprop-lab assignment create --parts": Via(CREATE_PARTS),
    "backprop-lab assignment create --lang en": Via(CREATE_PARTS),
    "backprop-lab assignment create --lang ko": Via("backprop-lab assignment create course/ --lang ko"),
    "backprop-lab assignment create --config": Via(CREATE_PARTS),
    "backprop-lab autograde": Via("backprop-lab autograde course/ ch05"),
    "backprop-lab autograde --force": covered(
        "tests/assignments/test_autograde_resume.py::test_autograde_resumes_student_by_student",
        'main(["autograde", str(course), "--force"])'),
    "backprop-lab autograde --student": covered(
        "tests/assignments/test_autograde_resume.py::test_autograde_resumes_student_by_student",
        'main(["autograde", str(course), "--student", "ann"])'),
    "backprop-lab check --only": Via(CHECK_FOLDER_JSON),
    "backprop-lab check --format text": Via(CHECK_PY),
    "backprop-lab check --format json": Via(CHECK_FOLDER_JSON),
    "backprop-lab check --format gradescope": Via(CHECK_GRADESCOPE),
    "backprop-lab check --lang en": Via(CHECK_PY),
    "backprop-lab check --lang ko": Via("backprop-lab check hw5.ipynb --lang ko"),
    "backprop-lab check --config": Via(CHECK_FOLDER_JSON),
    "backprop-lab check --train": Via("backprop-lab check hw5.py --train"),
    "backprop-lab check --data": Via(CHECK_FASHION),
    "backprop-lab check --data-dir": Via(CHECK_MNIST_DIR),
    "backprop-lab check --iters": Via(CHECK_FASHION),
    "backprop-lab check --out": Via(CHECK_FASHION),
    "backprop-lab gradescope": Via("backprop-lab gradescope autograder.zip --lang ko"),
    "backprop-lab gradescope --config": Via(GRADESCOPE_ONLY),
    "backprop-lab gradescope --lang en": Via(GRADESCOPE_ONLY),
    "backprop-lab gradescope --lang ko": Via("backprop-lab gradescope autograder.zip --lang ko"),
    "backprop-lab gradescope --only": Via(GRADESCOPE_ONLY),
}

TABLE_COMMANDS = ("graph", "train", "derive", "grade", "assignment create", "autograde", "check", "gradescope")
# Where the parser has options the table does not show (strict: once the README shows them, remove the entry).
TABLE_BEHIND_PARSER: dict[str, str] = {}


# ---------------------------------------------------------------------------------------------------------------
# Reading the tests the registry names


@functools.lru_cache(maxsize=None)
def _functions(path: Path) -> tuple[str, dict[str, ast.AST], ast.Module]:
    """The text of ``path``, its top-level functions, classes and assignments by name, and its tree."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    named: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            named[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                if isinstance(target, ast.Name):
                    named[target.id] = node
    return text, named, tree


@functools.lru_cache(maxsize=None)
def runs_source(path: Path, name: str) -> tuple[str, frozenset[str]]:
    """What function ``name`` of ``path`` runs: the source of the function with its decorators and of every
    function, class and constant of that module it names, transitively (the registry aside); and every string in
    them (adjacent literals joined, as Python joins them)."""
    text, named, _ = _functions(path)
    lines = text.splitlines()
    seen: list[str] = []
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen or current not in named or current == "REGISTRY":
            continue
        seen.append(current)
        todo += [n.id for n in ast.walk(named[current]) if isinstance(n, ast.Name)]
        todo += [a.arg for n in ast.walk(named[current]) if isinstance(n, ast.arguments) for a in n.args]
    def first_line(node: ast.AST) -> int:
        return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])

    source = "\n".join("\n".join(lines[first_line(named[n]) - 1:named[n].end_lineno]) for n in seen)
    strings = frozenset(n.value for current in seen for n in ast.walk(named[current])
                        if isinstance(n, ast.Constant) and isinstance(n.value, str))
    return source, strings


def module_constants(path: Path) -> dict[str, object]:
    _, named, _ = _functions(path)
    found = {}
    for name, node in named.items():
        if isinstance(node, ast.Assign):
            try:
                found[name] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return found


def runs_here(test: str) -> frozenset[str]:
    """The command lines ``test`` of this module runs: whole strings of its source, when it starts processes."""
    source, strings = runs_source(THIS, test)
    return strings if re.search(r"\b(typed|Started)\(", source) else frozenset()


def _is_run(command: str) -> bool:
    """A README command the registry runs (here or elsewhere), or a command line a test of this module runs."""
    if isinstance(REGISTRY.get(command), (Ran, Covered)):
        return True
    return any(command in runs_here(test) for test in _functions(THIS)[1] if test.startswith("test_"))


def _uses(command: str, entry: str) -> str | None:
    """Why ``command`` does not exercise the table ``entry`` ("backprop-lab NAME [--option [CHOICE]]"), or None."""
    name = next(n for n in sorted(table(_readme()), key=len, reverse=True)
                if entry == f"backprop-lab {n}" or entry.startswith(f"backprop-lab {n} "))
    rest = entry[len(f"backprop-lab {name}"):].split()
    if command.split()[:len(name.split()) + 1] != ["backprop-lab", *name.split()]:
        return f"{command!r} is not `backprop-lab {name}`"
    if not rest:
        return None
    words = command.split()
    option, choice = rest[0], rest[1] if len(rest) > 1 else None
    if option not in words:
        default = parser_options(name)[option].default
        if choice is not None and default == choice:
            return None  # the default, shown by leaving the option out
        return f"{command!r} does not use {option}"
    if choice is not None and words[words.index(option) + 1] != choice:
        return f"{command!r} does not use {option} {choice}"
    return None


# ---------------------------------------------------------------------------------------------------------------
# The registry against the README, the parser and the suite


def test_the_registry_holds_what_the_readme_shows():
    shown, registered = readme_entries(), set(REGISTRY)
    assert not shown - registered, f"README shows these, and no registry entry says how they are exercised: " \
                                   f"{sorted(shown - registered)}"
    assert not registered - shown, f"registry entries the README no longer shows: {sorted(registered - shown)}"


def test_the_registry_names_each_entry_once():
    _, named, _ = _functions(THIS)
    keys = [ast.literal_eval(k) for k in named["REGISTRY"].value.keys]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_the_readme_reader_finds_each_kind_of_entry():
    text = _readme()
    commands = shell_commands(text)
    assert "backprop-lab check hw5/ --only Affine,Relu --format json --config grading.yaml" in commands
    assert "backprop-lab gradescope autograder.zip --config grading.yaml --only Affine,Relu" in commands  # a "# or"
    assert not any(c.startswith("#") or "#" in c for c in commands)
    inline = inline_commands(text)
    assert {"backprop-lab derive --write",  # in the layout's text block
            "python benchmarks/train.py", "python benchmarks/train.py --data fashion-mnist",  # [--data ...]: both
            "backprop-lab check /autograder/submission --format gradescope"} <= inline  # over two lines
    assert not any(c.startswith("backprop-lab train [") for c in inline)  # the table's are the table's
    rows = table(text)
    assert set(rows) == set(TABLE_COMMANDS)
    assert rows["train"]["--data"] == ("mnist-10k", "mnist", "fashion-mnist") and rows["check"]["--iters"] == ()


@pytest.mark.parametrize("entry,how", [
    pytest.param(entry, how, id=entry,
                 marks=[pytest.mark.xfail(strict=True, reason=how.reason)] if isinstance(how, Missing) else [])
    for entry, how in REGISTRY.items()])
def test_each_entry_is_exercised(entry, how):
    if isinstance(how, Missing):
        pytest.fail(f"{entry}: {how.reason}")
    if isinstance(how, (Ran, Checked)):
        functions = _functions(THIS)[1]
        assert how.test in functions and how.test.startswith("test_"), f"{entry}: no test {how.test} here"
        if isinstance(how, Ran):
            assert entry in runs_here(how.test), f"{how.test} does not run {entry!r}"
    elif isinstance(how, Via):
        assert entry in table_entries(_readme()), f"{entry}: Via is for the table's entries"
        assert _uses(how.command, entry) is None, _uses(how.command, entry)
        assert _is_run(how.command), f"{entry}: nothing runs {how.command!r}"
    elif isinstance(how, Covered):
        for link, evidence in how.links:
            path, _, name = link.partition("::")
            assert (ROOT / path).is_file(), f"{entry}: {path} is gone"
            assert name.startswith("test_") and name in _functions(ROOT / path)[1], f"{entry}: {link} is gone"
            source, _ = runs_source(ROOT / path, name)
            for piece in evidence:
                assert piece in source, f"{entry}: {link} no longer holds {piece!r}"
        constants = module_constants(ROOT / how.links[0][0].partition("::")[0])
        for constant, value in how.constants.items():
            assert constants.get(constant) == value == entry, \
                f"{entry}: {constant} is {constants.get(constant)!r}, the registry says {value!r}"
    else:
        raise AssertionError(f"{entry}: unknown kind {how!r}")


def test_the_table_lists_the_parsers_commands():
    assert set(table(_readme())) == set(parser_commands()) == set(TABLE_COMMANDS)


@pytest.mark.parametrize("command", TABLE_COMMANDS)
def test_the_table_advertises_only_what_the_parser_has(command):
    shown = table(_readme())[command]
    real = parser_options(command)
    assert not shown.keys() - real.keys(), f"backprop-lab {command} has no {sorted(shown.keys() - real.keys())}"
    for option, choices in shown.items():
        if choices:
            assert set(choices) == set(real[option].choices), f"{command} {option}: {choices} vs {real[option].choices}"


@pytest.mark.parametrize("command", [
    pytest.param(c, marks=[pytest.mark.xfail(strict=True, reason=TABLE_BEHIND_PARSER[c])] if c in TABLE_BEHIND_PARSER
                 else []) for c in TABLE_COMMANDS])
def test_the_table_shows_every_option_the_parser_has(command):
    missing = parser_options(command).keys() - table(_readme())[command].keys()
    assert not missing, f"README's table lacks backprop-lab {command} {sorted(missing)}"


# ---------------------------------------------------------------------------------------------------------------
# Running commands as the user types them


def _environment(**extra: str) -> dict[str, str]:
    """This environment without PYTHON* variables or named data folders, the console script's folder first on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k not in
           ("BACKPROP_LAB_MNIST_DIR", "BACKPROP_LAB_FASHION_MNIST_DIR", "BACKPROP_LAB_TEST_CHECKSUMS")}
    env["PATH"] = f"{COMMAND.parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


class Started:
    """A command line started as the user types it, split as the shell splits it, ``backprop-lab`` being the console
    script and ``python`` this interpreter; ``result()`` waits for it. ``replace`` swaps a word the test cannot use
    as it is, ``append`` adds words (a benchmark's short mode): each use is said in the registry."""

    def __init__(self, line: str, cwd: Path, env: Mapping[str, str] | None = None,
                 replace: Mapping[str, str] | None = None, append: Sequence[str] = (), timeout: float = 300):
        words = shlex.split(line) + list(append)
        for old, new in (replace or {}).items():
            assert old in words, f"{old!r} is not in {line!r}"
            words = [new if w == old else w for w in words]
        program = {"backprop-lab": str(COMMAND), "python": sys.executable}.get(words[0], words[0])
        self.line, self.timeout, self.start = line, timeout, time.monotonic()
        self.out, self.err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        self.process = subprocess.Popen([program, *words[1:]], cwd=cwd, env=dict(env or _environment()),
                                        stdout=self.out, stderr=self.err, start_new_session=True)

    def result(self) -> subprocess.CompletedProcess:
        try:
            self.process.wait(timeout=max(1.0, self.timeout - (time.monotonic() - self.start)))
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        finally:
            self.out.seek(0), self.err.seek(0)
            out, err = self.out.read().decode(), self.err.read().decode()
            self.out.close(), self.err.close()
        return subprocess.CompletedProcess(self.line, self.process.returncode, out, err)


    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 9)
            self.process.wait()


def typed(line: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return Started(line, cwd, **kwargs).result()


def side_by_side(started: Mapping[str, Started]) -> dict[str, subprocess.CompletedProcess]:
    """Each started command's result; if waiting for one fails, the others are ended too."""
    try:
        return {name: s.result() for name, s in started.items()}
    finally:
        for s in started.values():
            s.kill()


def _show(result: subprocess.CompletedProcess) -> str:
    return f"$ {result.args}\nexit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


def _load(path: Path, name: str):
    """A module of tests/ by its file (tests/ is not a package), loaded once."""
    import importlib.util
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # before it runs: its dataclasses look themselves up there
        spec.loader.exec_module(module)
    return sys.modules[name]


def _corpus():
    return _load(ROOT / "tests" / "graders" / "corpus.py", "readme_corpus")


def _mutant(mutant_id: str):
    return next(m for m in _load(FIXTURES / "mutants.py", "readme_mutants").MUTANTS if m.id == mutant_id)


GRADING_YAML = """\
# points per check: the most specific key wins
default_points: 1
points:
  "Affine.*": 2
  Relu.backward: 3
"""


def write_user_folder(folder: Path) -> Path:
    """A user's folder: a correct submission as hw5.py, as a notebook, as the book's layout in hw5/ and zipped; a
    grading config; points for the assignment; and a class of three in submissions/ (kim_minsu: correct;
    lee_seoyeon: a notebook without TwoLayerNet yet, Relu's mask at 0; park_jiho: the book's layout zipped, without
    two_layer_net.py yet, db averaged)."""
    corpus = _corpus()
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(corpus.TEXTBOOK, folder / "hw5.py")
    corpus.write_notebook(folder / "hw5.ipynb")
    corpus.write_book_layout(folder / "hw5")
    _zip(folder / "hw5", folder / "hw5.zip")
    (folder / "grading.yaml").write_text(GRADING_YAML)
    (folder / "points.json").write_text(json.dumps({"Relu": 3}))

    submissions = folder / "submissions"
    submissions.mkdir()
    shutil.copy(corpus.TEXTBOOK, submissions / "kim_minsu.py")
    notebook = json.loads((folder / "hw5.ipynb").read_text())
    (old, new), = _mutant("relu_mask_strict").replacements
    cells = []
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if "class TwoLayerNet" in source:
            break
        cells.append({**cell, "source": source.replace(old, new).splitlines(True)})
    assert any(new in "".join(c["source"]) for c in cells)
    (submissions / "lee_seoyeon.ipynb").write_text(json.dumps({**notebook, "cells": cells}, ensure_ascii=False))
    park = corpus.write_book_layout(folder / "park_jiho")
    (park / "ch05" / "two_layer_net.py").unlink()
    (old, new), = _mutant("affine_db_mean").replacements
    layers = (park / "common" / "layers.py").read_text()
    assert layers.count(old) == 1
    (park / "common" / "layers.py").write_text(layers.replace(old, new))
    _zip(park, submissions / "park_jiho.zip")
    shutil.rmtree(park)
    return folder


def _zip(folder: Path, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                z.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")


@pytest.fixture
def user(tmp_path: Path) -> Path:
    return write_user_folder(tmp_path / "user")


def write_small_data(folder: Path) -> dict[str, str]:
    """MNIST's and Fashion-MNIST's four IDX files, each holding 2,000 training and 500 test digits of the embedded
    set, in data/mnist and data/fashion-mnist; the environment that makes labdata accept them (their checksums)
    and names the Fashion-MNIST folder ($BACKPROP_LAB_FASHION_MNIST_DIR, as README's data table says)."""
    from labdata import read_idx, write_idx
    from labdata.datasets import DATASETS
    from labdata.idx import read_idx_bytes, sha256_of_content

    embedded = ROOT / "labdata" / "mnist_10k"
    images, labels = read_idx(embedded / "images-idx3-ubyte.gz"), read_idx(embedded / "labels-idx1-ubyte.gz")
    checksums: dict[str, dict[str, str]] = {}
    for name in ("mnist", "fashion-mnist"):
        spec, target = DATASETS[name], folder / "data" / name
        target.mkdir(parents=True)
        for file, array in ((spec.train_images, images[:2000]), (spec.train_labels, labels[:2000]),
                            (spec.test_images, images[8000:8500]), (spec.test_labels, labels[8000:8500])):
            write_idx(target / file.name, array)
            checksums.setdefault(name, {})[file.name] = sha256_of_content(read_idx_bytes(target / file.name))
    (folder / "checksums.json").write_text(json.dumps(checksums))
    return _environment(PYTHONPATH=str(HELPERS), BACKPROP_LAB_TEST_CHECKSUMS=str(folder / "checksums.json"),
                        BACKPROP_LAB_FASHION_MNIST_DIR=str(folder / "data" / "fashion-mnist"),
                        BACKPROP_LAB_CACHE=str(folder / "cache"))


def _passed(text: str, check: str) -> bool:
    """The text report lists ``check`` as passed, with its point."""
    return re.search(rf"✓ {re.escape(check)}\s+1/1", text) is not None


def _score(text: str, word: str = "score") -> tuple[float, float]:
    got, out_of = re.search(rf"{word}: ([\d.]+) / ([\d.]+)", text).groups()
    return float(got), float(out_of)


# ---------------------------------------------------------------------------------------------------------------
# Set up on a fresh machine


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _make_dry_run(line: str) -> str:
    """The last line `make -n TARGET` prints for the README's `make TARGET`: the target's own command (the install
    steps, when .venv is older than pyproject.toml, come first)."""
    make, target = line.split()
    done = subprocess.run([make, "-n", "--no-print-directory", target], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)  # under `make test` a nested make would add "Entering/Leaving directory" lines
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_make_demo_grades_the_example_class(tmp_path):
    """`make demo` runs `backprop-lab grade examples/class --out runs/example-class` (README's words): here in a
    copy of examples/class, so nothing is written into this checkout. It grades the twelve students two at a time,
    prints each score and first bug and the class's most common bugs, writes the files the README lists, and a
    second run grades nothing."""
    assert _make_dry_run("make demo") == ".venv/bin/backprop-lab grade examples/class --out runs/example-class"
    shutil.copytree(ROOT / "examples" / "class", tmp_path / "examples" / "class")
    expected = json.loads((ROOT / "examples" / "class" / "EXPECTED.json").read_text())
    assert len(expected) == 12 and sum(bug is None for bug in expected.values()) == 3

    first = typed("backprop-lab grade examples/class --out runs/example-class", tmp_path)
    assert first.returncode == 0, _show(first)
    out = tmp_path / "runs" / "example-class"
    results = {p.stem: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}
    assert set(results) == set(expected)
    for student, bug in expected.items():
        report = results[student]["report"]
        assert str(int(report["score"])) in next(line for line in first.stdout.splitlines() if student in line)
        if bug is None:
            assert report["score"] == report["max_score"], student
        else:
            assert any((c["component"], c["bug"]) == (bug["component"], bug["bug"]) for c in report["checks"]), student
    printed = " ".join(first.stdout.split())
    assert "most common bugs" in printed and "affine.db_averaged" in printed and "with 2 worker(s)" in printed
    assert "graded 12, already done 0" in printed
    for name in ("grades.csv", "scores.png", "report.html"):
        assert (out / name).stat().st_size > 0, name
    assert len(list((out / "gradescope").glob("*.json"))) == 12

    again = typed("backprop-lab grade examples/class --out runs/example-class", tmp_path)
    assert again.returncode == 0 and "graded 0, already done 12" in " ".join(again.stdout.split()), _show(again)


def test_make_test_is_the_suite_ci_runs():
    """`make test` is what CI runs (.ci/run), and it runs pytest over tests/, this file and its slow tests included."""
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, flags=re.M) and os.access(ROOT / ".ci" / "run", os.X_OK)
    assert _make_dry_run("make test") == ".venv/bin/python -m pytest"
    options = _pyproject()["tool"]["pytest"]["ini_options"]
    assert options["testpaths"] == ["tests"] and THIS.parent == ROOT / "tests"
    assert "-m" not in options["addopts"].split() and "slow" not in options["addopts"]  # nothing deselected


def test_make_installs_the_command_and_its_extras():
    """`make` (its first target) creates .venv and installs the project with the test extras, which hold nbgrader and
    distributed (the README: "`make` installs it"); the command it makes is `.venv/bin/backprop-lab`, the console
    script; `pip install 'backprop-lab[assignments]'` and `'backprop-lab[cluster]'` name extras that exist."""
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^VENV \?= \.venv$", makefile, flags=re.M) and "BIN := $(VENV)/bin" in makefile
    first_target = re.search(r"^([^\s.#][^:=]*):(?!=)", makefile, flags=re.M).group(1)
    assert first_target == "$(VENV)/.installed"
    recipe = makefile.split(f"{first_target}:", 1)[1].split("\n\n", 1)[0]
    assert "$(PYTHON) -m venv $(VENV)" in recipe and "pip install --quiet -e '.[test]'" in recipe
    project = _pyproject()["project"]
    assert project["scripts"] == {"backprop-lab": "backprop_lab.cli:entry"}
    extras = {name: " ".join(deps) for name, deps in project["optional-dependencies"].items()}
    assert "nbgrader" in extras["assignments"] and "nbgrader" in extras["test"]
    assert "distributed" in extras["cluster"] and "distributed" in extras["test"]
    assert f"backprop_lab_checker-{project['version']}-py3-none-any.whl" in _readme()
    assert COMMAND.is_file() and os.access(COMMAND, os.X_OK)
    if (ROOT / ".venv" / "bin" / "python").resolve() == Path(sys.executable).resolve():
        assert COMMAND == ROOT / ".venv" / "bin" / "backprop-lab"
    done = typed("backprop-lab --help", ROOT)
    assert done.returncode == 0 and all(name.split()[0] in done.stdout for name in parser_commands()), _show(done)


# ---------------------------------------------------------------------------------------------------------------
# The chapter's experiment and the proofs


def test_graph_prints_the_apples_and_oranges(tmp_path):
    done = typed("backprop-lab graph", tmp_path)
    assert done.returncode == 0, _show(done)
    for value in ("715", "650", "165", "2.2", "110", "3.3", "165", "220"):
        assert value in done.stdout, value


@pytest.mark.slow
def test_train_runs_the_chapters_experiment(tmp_path):
    """`backprop-lab train`: 10,000 steps (hidden 50, batch 100, learning rate 0.1), a per-epoch table,
    runs/mnist-10k-seed0/learning_curve.png and history.json, test accuracy about 0.937."""
    done = typed("backprop-lab train", tmp_path, timeout=600)
    assert done.returncode == 0, _show(done)
    run = tmp_path / "runs" / "mnist-10k-seed0"
    history = json.loads((run / "history.json").read_text())
    assert {k: history["config"][k] for k in ("dataset", "iters", "hidden_size", "batch_size", "learning_rate",
                                               "seed", "dtype")} == \
        {"dataset": "mnist-10k", "iters": 10_000, "hidden_size": 50, "batch_size": 100, "learning_rate": 0.1,
         "seed": 0, "dtype": "float64"}
    printed = " ".join(done.stdout.split())
    accuracy = float(re.search(r"test accuracy (0\.\d+) after 10000 iterations", printed).group(1))
    assert accuracy >= 0.93, done.stdout
    assert "epoch" in done.stdout and (run / "learning_curve.png").stat().st_size > 10_000


@pytest.mark.slow
def test_derive_proves_lists_and_writes(tmp_path):
    """`backprop-lab derive` proves and lists every rule (33 theorems, 13 refuted controls), `--latex` prints them
    as LaTeX, and `backprop-lab derive --write` regenerates the oracles and docs/derivations.md: here in a copy of
    graders/ first on PYTHONPATH (derive writes beside the package it runs), whose generated files are removed
    first; what it writes is what this checkout holds."""
    tree = tmp_path / "tree"
    for package in ("graders", "backprop_lab"):
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__"))
    generated = sorted(p.relative_to(ROOT / "graders").as_posix()
                       for p in (ROOT / "graders" / "oracles" / "_generated").glob("*.py"))
    shutil.rmtree(tree / "graders" / "oracles" / "_generated")
    committed = {p: (ROOT / "graders" / p).read_bytes() for p in generated}
    docs = (ROOT / "docs" / "derivations.md").read_bytes()
    stamp = (ROOT / "docs" / "derivations.md").stat().st_mtime_ns

    done = side_by_side({
        "listing": Started("backprop-lab derive", tmp_path), "latex": Started(DERIVE_LATEX, tmp_path),
        "written": Started("backprop-lab derive --write", tmp_path, env=_environment(PYTHONPATH=str(tree)))})
    listing, latex, written = done["listing"], done["latex"], done["written"]
    for done in (listing, latex, written):
        assert done.returncode == 0, _show(done)
        assert "33 theorems proved, 13 negative controls refuted, 0 failed" in done.stdout.splitlines()[-1]
    assert "∂" in listing.stdout and "\\frac{\\partial" not in listing.stdout
    assert "\\frac{\\partial" in latex.stdout
    assert "wrote 13 files: docs/derivations.md, graders/oracles/_generated/__init__.py" in written.stdout
    assert (tree / "docs" / "derivations.md").read_bytes() == docs
    assert {p: (tree / "graders" / p).read_bytes() for p in generated} == committed
    assert (ROOT / "docs" / "derivations.md").stat().st_mtime_ns == stamp  # this checkout was not written


# ---------------------------------------------------------------------------------------------------------------
# Checking a submission


CHECKS = {
    CHECK_PY: ("text", "en", "hw5.py"),
    "backprop-lab check hw5.ipynb --lang ko": ("text", "ko", "hw5.ipynb"),
    "backprop-lab check hw5.zip": ("text", "en", "hw5/common/layers.py"),
    CHECK_FOLDER_JSON: ("json", "en", "common/layers.py"),
    CHECK_GRADESCOPE: ("gradescope", "en", "hw5.py"),
}


@pytest.mark.parametrize("line", list(CHECKS))
def test_check_a_submission(line, user):
    """A correct submission as a .py file, a notebook (in Korean), a zip of the book's layout and the folder itself
    (two components, JSON, the points of grading.yaml) gets full marks, and each report names what it graded."""
    fmt, lang, graded = CHECKS[line]
    done = typed(line, user)
    assert done.returncode == 0, _show(done)
    assert "Affine " + graded in done.stdout  # each report starts with what was graded, file by file
    if fmt == "text":
        got, out_of = _score(done.stdout, "점수" if lang == "ko" else "score")
        assert got == out_of > 40
        assert ("모든 검사를 통과했습니다" if lang == "ko" else "All checks passed.") in done.stdout
    elif fmt == "json":
        import jsonschema
        report = json.loads(done.stdout)
        jsonschema.validate(report, json.loads((ROOT / "graders" / "schemas" / "report.schema.json").read_text()))
        assert {c["component"] for c in report["checks"]} == {"Affine", "Relu"}
        assert all(c["status"] == "pass" for c in report["checks"])
        points = {c["id"]: c["max_points"] for c in report["checks"]}
        assert points["Relu.backward"] == 3 and points["Relu.forward"] == 1  # grading.yaml: the most specific key
        assert all(v == 2 for k, v in points.items() if k.startswith("Affine."))
        assert report["score"] == report["max_score"] == sum(points.values())
        assert any(f"Affine {graded}:" in note for note in report["notes"])
    else:
        results = json.loads(done.stdout)
        assert results["score"] > 40 and results["tests"]
        assert all(t["status"] == "passed" and t["score"] == t["max_score"] for t in results["tests"])


@pytest.mark.slow
def test_train_a_submission_and_a_class(tmp_path):
    """`check hw5.py --train` (the textbook schedule, 10,000 steps, in the grader's loop and the submission's `train`:
    about 25 s) and `grade submissions/ --out results/ --workers 2 --train`, run side by side. In this class only
    kim_minsu has a network to train, and no `train()` yet (so the grader's loop alone trains it, and the class
    costs about half of what the check does); the others have not written TwoLayerNet yet."""
    checking, grading = write_user_folder(tmp_path / "checking"), write_user_folder(tmp_path / "grading")
    kim = grading / "submissions" / "kim_minsu.py"
    kim.write_text(kim.read_text().split("\n\ndef train(")[0] + "\n")
    done = side_by_side({"check": Started("backprop-lab check hw5.py --train", checking, timeout=900),
                         "grade": Started(GRADE_TRAIN, grading, timeout=900)})
    check, grade = done["check"], done["grade"]

    assert check.returncode == 0, _show(check)
    for line in ("training.replay", "training.accuracy", "train.replay", "train.accuracy"):
        assert _passed(check.stdout, line), line
    assert "mnist-10k, 10000 steps (threshold 0.93)" in check.stdout
    runs = checking / "runs" / "check-hw5"  # --out's default
    assert {p.name for p in runs.iterdir()} >= {"history-grader.json", "history-own.json", "learning_curve-grader.png",
                                                 "learning_curve-own.png"}

    assert grade.returncode == 0, _show(grade)
    assert "with 2 worker(s)" in " ".join(grade.stdout.split())
    results = {p.stem: json.loads(p.read_text())["report"] for p in (grading / "results" / "results").glob("*.json")}
    assert set(results) == {"kim_minsu", "lee_seoyeon", "park_jiho"}
    trained = {c["id"]: c["status"] for c in results["kim_minsu"]["checks"]
               if c["id"].startswith(("training.", "train."))}
    assert {k: trained[k] for k in ("training.replay", "training.accuracy")} == {"training.replay": "pass",
                                                                                  "training.accuracy": "pass"}
    assert all(status != "pass" for k, status in trained.items() if k.startswith("train.")), trained  # no train()
    for student in ("lee_seoyeon", "park_jiho"):
        assert any(c["id"].startswith("training.") and c["status"] != "pass" for c in results[student]["checks"])


@pytest.mark.slow
def test_train_on_the_other_data_sets(tmp_path, user):
    """`check hw5.py --train --data fashion-mnist --iters 2000 --out runs/hw5` on stand-in Fashion-MNIST files
    ($BACKPROP_LAB_FASHION_MNIST_DIR), side by side with `check --data mnist --data-dir` (200 steps, with a threshold
    for them in a config), `train` with every option, `train --data fashion-mnist`, `grade --train` on Fashion-MNIST
    for 2,000 steps, and the trainer benchmark on Fashion-MNIST in its short mode."""
    env = write_small_data(user)
    (user / "mnist-200.yaml").write_text(MNIST_200_YAML)
    started = {
        "fashion": Started(CHECK_FASHION, user, env=env),
        "mnist": Started(CHECK_MNIST_DIR, user, env=env),
        "options": Started(TRAIN_EVERY_OPTION, user, env=env),
        "train": Started(TRAIN_FASHION, user, env=env),
        "grade": Started(GRADE_FASHION, user, env=env),
        "benchmark": Started("python benchmarks/train.py --data fashion-mnist", ROOT, env=env,
                             append=("--iters", "500")),
    }
    done = side_by_side(started)

    fashion = done["fashion"]
    assert fashion.returncode == 0, _show(fashion)  # the stand-in digits clear Fashion-MNIST's 0.80 easily
    assert "fashion-mnist, 2000 steps (threshold 0.8)" in fashion.stdout
    assert _passed(fashion.stdout, "training.accuracy") and _passed(fashion.stdout, "train.accuracy")
    assert {p.name for p in (user / "runs" / "hw5").iterdir()} == {
        "history-grader.json", "history-own.json", "learning_curve-grader.png", "learning_curve-own.png"}
    history = json.loads((user / "runs" / "hw5" / "history-grader.json").read_text())
    assert (history["settings"]["dataset"], history["settings"]["iters"]) == ("fashion-mnist", 2000)

    mnist = done["mnist"]
    assert mnist.returncode == 0, _show(mnist)
    assert "mnist, 200 steps (threshold 0.6)" in mnist.stdout
    assert _passed(mnist.stdout, "training.accuracy") and _passed(mnist.stdout, "train.accuracy")
    settings = json.loads((user / "runs" / "mnist" / "history-grader.json").read_text())["settings"]
    assert (settings["dataset"], settings["data_dir"], settings["iters"]) == ("mnist", "data/mnist", 200)

    for name, run, config in (
            ("options", "small", {"dataset": "mnist", "data_dir": "data/mnist", "iters": 300, "batch_size": 50,
                                  "learning_rate": 0.05, "hidden_size": 20, "seed": 3, "dtype": "float32"}),
            ("train", "fashion", {"dataset": "fashion-mnist", "iters": 200, "batch_size": 100, "learning_rate": 0.1,
                                  "hidden_size": 50, "seed": 0, "dtype": "float64"})):
        assert done[name].returncode == 0, _show(done[name])
        history = json.loads((user / "runs" / run / "history.json").read_text())
        assert {k: history["config"][k] for k in config} == config, history["config"]
        assert (user / "runs" / run / "learning_curve.png").is_file()

    grade = done["grade"]
    assert grade.returncode in (0, 1), _show(grade)  # 1: some students have a bug
    kim = json.loads((user / "fashion" / "results" / "kim_minsu.json").read_text())["report"]
    accuracy = next(c for c in kim["checks"] if c["id"] == "training.accuracy")
    assert accuracy["status"] == "pass" and "fashion-mnist" in json.dumps(kim["attachments"]), accuracy

    benchmark = done["benchmark"]
    assert benchmark.returncode == 0, _show(benchmark)
    assert benchmark.stdout.startswith("fashion-mnist, 500 iterations")
    assert "book-structured loop, float64" in benchmark.stdout


# ---------------------------------------------------------------------------------------------------------------
# Grading a class


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """`backprop-lab grade submissions/ --out results/` in a user's folder; the folder, the run and its results."""
    folder = write_user_folder(tmp_path_factory.mktemp("class") / "user")
    done = typed(GRADE, folder)
    results = {p.stem: json.loads(p.read_text()) for p in (folder / "results" / "results").glob("*.json")}
    return folder, done, results


def _first_bugs(report: dict) -> set[str]:
    return {c["bug"] for c in report["checks"] if c["status"] != "pass"}


@pytest.mark.slow
def test_grade_a_class(graded_class):
    """The class graded: a result per student, the table, the most common bugs, the exports; `--student kim_minsu`
    grades kim_minsu again and keeps the rest; `--force --lang ko --config grading.yaml` grades everyone again,
    in Korean, with the config's points."""
    folder, done, results = graded_class
    assert done.returncode == 0, _show(done)
    out = folder / "results"
    assert set(results) == {"kim_minsu", "lee_seoyeon", "park_jiho"}
    kim = results["kim_minsu"]["report"]
    assert kim["score"] == kim["max_score"] and kim["lang"] == "en"
    assert "relu.mask_at_zero" in _first_bugs(results["lee_seoyeon"]["report"])
    assert "affine.db_averaged" in _first_bugs(results["park_jiho"]["report"])
    printed = " ".join(done.stdout.split())
    assert "most common bugs" in printed and "graded 3, already done 0" in printed
    for name in ("grades.csv", "scores.png", "report.html"):
        assert (out / name).stat().st_size > 0
    assert sorted(p.stem for p in (out / "gradescope").glob("*.json")) == ["kim_minsu", "lee_seoyeon", "park_jiho"]
    rows = {r["student_id"]: r for r in csv.DictReader((out / "grades.csv").open(encoding="utf-8"))}
    assert float(rows["kim_minsu"]["score"]) == kim["max_score"] and float(rows["park_jiho"]["Affine"]) < 6

    stamps = {p.stem: p.stat().st_mtime_ns for p in (out / "results").glob("*.json")}
    again = typed("backprop-lab grade submissions/ --out results/ --student kim_minsu", folder)
    assert again.returncode == 0 and "graded 1, already done" in " ".join(again.stdout.split()), _show(again)
    after = {p.stem: p.stat().st_mtime_ns for p in (out / "results").glob("*.json")}
    assert after["kim_minsu"] != stamps["kim_minsu"]
    assert {s: after[s] for s in ("lee_seoyeon", "park_jiho")} == {s: stamps[s] for s in ("lee_seoyeon", "park_jiho")}

    korean = typed(GRADE_AGAIN_IN_KOREAN, folder)
    assert korean.returncode == 0, _show(korean)
    assert "채점 3개" in korean.stdout and "학생" in korean.stdout
    report = json.loads((out / "results" / "kim_minsu.json").read_text())["report"]
    points = {c["id"]: c["max_points"] for c in report["checks"]}
    assert report["lang"] == "ko" and points["Relu.backward"] == 3 and points["Affine.backward.db"] == 2
    assert report["score"] == report["max_score"] == kim["max_score"] + 2 + 6  # Relu.backward +2, six Affine checks +1
    assert "<title>5장" in (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_grade_on_a_dask_cluster(graded_class, tmp_path):
    """`--scheduler tcp://HOST:PORT` with a LocalCluster's address: the same results as local processes, timings
    aside."""
    from distributed import LocalCluster

    _, _, local = graded_class
    folder = write_user_folder(tmp_path / "user")
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      processes=True) as cluster:
        address = cluster.scheduler_address
        done = typed("backprop-lab grade submissions/ --out results/ --scheduler tcp://10.0.0.5:8786", folder,
                     replace={"tcp://10.0.0.5:8786": address})
    assert done.returncode == 0, _show(done)
    assert f"with the cluster at {address}" in " ".join(done.stdout.split())
    remote = {p.stem: json.loads(p.read_text()) for p in (folder / "results" / "results").glob("*.json")}
    assert set(remote) == set(local)
    for student in local:
        assert remote[student]["report"]["checks"] == local[student]["report"]["checks"], student


# ---------------------------------------------------------------------------------------------------------------
# Gradescope and the nbgrader assignment


def test_gradescope_zip_with_a_config_for_two_components(user):
    """`gradescope autograder.zip --config grading.yaml --only Affine,Relu`: the zip with setup.sh, run_autograder
    running check with those options, the validated config, the student checker's wheel, never the solution."""
    done = typed(GRADESCOPE_ONLY, user)
    assert done.returncode == 0, _show(done)
    with zipfile.ZipFile(user / "autograder.zip") as z:
        names = z.namelist()
        run = z.read("run_autograder").decode()
        assert z.read("grading-config.yaml").decode() == GRADING_YAML
    assert {"setup.sh", "run_autograder", "grading-config.yaml"} <= set(names)
    assert any(n.startswith("backprop_lab_checker-") and n.endswith(".whl") for n in names)
    assert not any(n.startswith(("reference/", "assignments/")) for n in names)
    assert "--format gradescope --lang en --only Affine,Relu --config" in run


@pytest.mark.slow
def test_assignment_create_and_autograde(user):
    """`assignment create course/ --parts graph,activations --config points.json` (the README's "# or"), two
    students' notebooks where nbgrader collect puts them, then `autograde course/ ch05`: points.json's 3 points for
    Relu, trusted scores, exports and feedback."""
    sys.path.insert(0, str(ROOT / "tests" / "assignments"))
    try:
        from course_kit import submit
    finally:
        sys.path.remove(str(ROOT / "tests" / "assignments"))
    created = typed(CREATE_PARTS, user)
    assert created.returncode == 0, _show(created)
    assert "validated the source notebook" in created.stdout
    assert json.loads((user / "course" / "backprop_lab.json").read_text())["points"] == {"Relu": 3}
    submit(user / "course", "kim_minsu")
    submit(user / "course", "park_jiho", {"Relu": ("x <= 0", "x < 0")})
    assert (user / "course" / "submitted" / "kim_minsu" / "ch05" / "ch05.ipynb").is_file()

    graded = typed("backprop-lab autograde course/ ch05", user, timeout=600)
    assert graded.returncode == 0, _show(graded)
    assert "2 submissions" in " ".join(graded.stdout.split())
    exports = user / "course" / "exports"
    rows = {r["student_id"]: r for r in csv.DictReader((exports / "grades.csv").open(encoding="utf-8"))}
    assert list(rows["kim_minsu"])[6:] == ["MulLayer", "AddLayer", "Relu", "Sigmoid"]  # the two parts only
    assert (rows["kim_minsu"]["score"], rows["kim_minsu"]["max_score"], rows["kim_minsu"]["Relu"]) == ("9", "9", "3")
    assert float(rows["park_jiho"]["Relu"]) < 3 and rows["park_jiho"]["status"] == "graded"
    for student in ("kim_minsu", "park_jiho"):
        scope = json.loads((exports / "gradescope" / f"{student}.json").read_text())
        assert scope["score"] == float(rows[student]["score"])
        assert (user / "course" / "feedback" / student / "ch05" / "ch05.html").is_file()
        assert (user / "course" / "feedback" / student / "ch05" / "diagnosis.txt").is_file()
