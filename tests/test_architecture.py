"""The dependency rules of the architecture, checked on the source and at run time.

graders/ never imports reference/ (the oracles come from mathematics, so the checker can
be handed to students without the solution); reference/ never imports graders/; labdata/
imports neither; and importing graders never imports SymPy.
"""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "graders": {"reference", "assignments", "backprop_lab"},
    "reference": {"graders", "assignments", "backprop_lab"},
    "labdata": {"reference", "graders", "assignments", "backprop_lab"},
}


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_source_imports_nothing_it_must_not(package):
    offenders = {str(p.relative_to(ROOT)): sorted(_imported_packages(p) & FORBIDDEN[package])
                 for p in (ROOT / package).rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_rule_detector_sees_an_offending_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom reference.layers import Relu\n")
    assert _imported_packages(bad) & FORBIDDEN["graders"] == {"reference"}


def test_importing_every_graders_module_loads_neither_reference_nor_sympy():
    code = (
        "import importlib, pkgutil, sys, graders\n"
        "for m in pkgutil.walk_packages(graders.__path__, 'graders.'):\n"
        "    if not m.name.startswith('graders.derive'):\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted(k for k in sys.modules if k.split('.')[0] in ('reference', 'sympy')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_full_check_loads_neither_reference_nor_sympy(tmp_path):
    """Grading starts fast and can be handed to students: no SymPy, no solution, in the grading process; nor
    jsonschema (its format checkers take about a second to import), even with a config and a JSON report."""
    (tmp_path / "grading.yaml").write_text("points:\n  Relu.*: 2\n")
    code = (
        "import io, sys\n"
        "from graders.check_command import check_command\n"
        f"status = check_command({str(ROOT / 'tests/fixtures/submissions/textbook.py')!r}, fmt='json', "
        f"config_path={str(tmp_path / 'grading.yaml')!r}, out=io.StringIO())\n"
        "assert status == 0, status\n"
        "print(sorted({k.split('.')[0] for k in sys.modules} & {'reference', 'sympy', 'jsonschema'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
