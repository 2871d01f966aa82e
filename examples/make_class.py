"""Write examples/class/: a dozen chapter-5 submissions, as students hand them in (notebooks, one .py).

    python examples/make_class.py [--out DIR]     # default: examples/class

Three are correct; nine have one of the class's most common bugs, taken from the mutant corpus
(tests/fixtures/mutants.py). The file names are the students; EXPECTED.json says what each has.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CLASS = Path(__file__).with_name("class")

# student -> mutant id (None: the correct textbook-style code)
STUDENTS = {
    "kim_minjun": None, "lee_seoyeon": None, "park_jiho": "affine_db_mean", "choi_yuna": "affine_dw_transposed",
    "jung_hyunwoo": "softmax_with_loss_no_div_n", "kang_eunji": "sigmoid_backward_uses_x",
    "yoon_taeyang": "relu_mask_strict", "jang_sumin": "softmax_no_shift", "lim_dohyun": "cross_entropy_one_hot_only",
    "han_jiwon": "layers_not_reversed", "oh_seungmin": "numerical_gradient_not_restored",
}


def _mutants():
    spec = importlib.util.spec_from_file_location("mutants", FIXTURES / "mutants.py")
    module = sys.modules["mutants"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {m.id: m for m in module.MUTANTS}


def _notebook(source: str) -> dict:
    """One code cell per top-level definition, as a student's notebook has them."""
    chunks, current = [], []
    for line in source.splitlines(keepends=True):
        if line.startswith(("def ", "class ")) and current and any(s.strip() for s in current):
            chunks.append("".join(current).strip("\n") + "\n")
            current = []
        current.append(line)
    chunks.append("".join(current).strip("\n") + "\n")
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": chunk}
             for chunk in chunks]
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                        "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=CLASS, help="where to write the class (default: examples/class)")
    write_class(parser.parse_args().out)


def write_class(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    mutants = _mutants()
    base = (FIXTURES / "submissions" / "textbook.py").read_text()
    expected = {}
    for student, mutant_id in STUDENTS.items():
        source = base if mutant_id is None else mutants[mutant_id].source()
        (folder / f"{student}.ipynb").write_text(json.dumps(_notebook(source), indent=1) + "\n")
        expected[student] = None if mutant_id is None else {"component": mutants[mutant_id].component,
                                                            "bug": mutants[mutant_id].bug}
    shutil.copy(FIXTURES / "submissions" / "alt_style.py", folder / "song_hayoon.py")  # correct, another style
    expected["song_hayoon"] = None
    (folder / "EXPECTED.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main()
