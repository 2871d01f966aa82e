"""The mutant corpus: every buggy variant fails the right component with the right bug class;
every correct variant, in any style, and the reference itself, get full marks."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus import load_fixture
from graders.checker import check_submission
from graders.checks import catalog
from graders.components import REPORT_ORDER, UNITS, depends_on

mutants = load_fixture("mutants")
REPO = Path(__file__).resolve().parents[2]


def _affected(component: str) -> set[str]:
    """The component and everything built on it."""
    return {component} | {c for c in REPORT_ORDER if component in depends_on(c)}


@pytest.mark.parametrize("mutant", mutants.MUTANTS, ids=lambda m: m.id)
def test_mutant_fails_its_component_with_its_bug(mutant, tmp_path):
    path = tmp_path / f"{mutant.id}.py"
    path.write_text(mutant.source())
    report = check_submission(str(path))

    own = [c for c in report.checks if c.component == mutant.component]
    assert any(c.bug == mutant.bug and c.status in ("fail", "error") for c in own), \
        [(c.id, c.status, c.bug) for c in own]
    assert all(c.points == 0 for c in own if c.bug == mutant.bug)
    named = [c for c in own if c.bug == mutant.bug]
    assert all(c.message.startswith(mutant.component) for c in named), named[0].message
    collateral = [c.id for c in report.checks if not c.passed and c.component not in _affected(mutant.component)]
    assert collateral == []
    assert 0 < report.score < report.max_score


@pytest.mark.parametrize("habit", mutants.HABITS, ids=lambda m: m.id)
def test_textbook_habit_is_a_warning_worth_full_marks(habit, tmp_path):
    path = tmp_path / f"{habit.id}.py"
    path.write_text(habit.source())
    report = check_submission(str(path))
    assert report.score == report.max_score
    assert report.all_passed
    assert any(c.status == "warning" and c.bug == habit.bug and c.component == habit.component for c in report.checks)


def test_every_bug_class_of_the_catalog_has_a_mutant_or_is_about_the_run_itself():
    about_the_run = {"runtime_error", "timeout", "crashed", "out_of_memory", "output_flood", "invalid_output",
                     "gradient_mismatch", "syntax_error", "missing_module", "load_error",  # tests/fixtures/real
                     "book_scripts.wrong_value", "book_scripts.gradient_check_differs",  # test_book_scripts.py
                     "unreadable"}  # tests/assignments/test_cycle.py
    covered = {m.bug for m in mutants.MUTANTS + mutants.HABITS + mutants.TRAINING_MUTANTS}
    assert set(catalog()) - about_the_run - covered == set()
    assert len(mutants.MUTANTS) >= 40


@pytest.mark.parametrize("name", ["textbook.py", "alt_style.py", "book_layout", "notebook.ipynb"])
def test_correct_variants_get_full_marks(name, correct_submissions):
    report = check_submission(str(correct_submissions[name]))
    assert [c.id for c in report.checks if c.status != "pass"] == []
    assert report.score == report.max_score > 0
    assert {c.component for c in report.checks} == set(UNITS)
    if name == "notebook.ipynb":  # its last cell raises: graded with what the cells before it defined
        assert any("NotImplementedError: exercise 5.8 (hw5.ipynb cell 7, line 2)" in note for note in report.notes)


def test_the_reference_gets_full_marks(tmp_path):
    """The reference package handed in as a folder: a top-level file imports the book's names from it."""
    shutil.copytree(REPO / "reference", tmp_path / "reference", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "labdata", tmp_path / "labdata", ignore=shutil.ignore_patterns("__pycache__", "mnist_10k"))
    (tmp_path / "solution.py").write_text("from reference import *\n")
    report = check_submission(str(tmp_path))
    assert [(c.id, c.message) for c in report.checks if c.status != "pass"] == []
    assert report.score == report.max_score
