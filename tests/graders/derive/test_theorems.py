"""Every registered theorem is proved and every negative control refuted, one test each so a failure names it."""
import pytest

from graders.derive import registry
from graders.derive.theorem import ProofVerdict, decide

THEOREMS = [t for t in registry.THEOREMS if not t.expect_refuted]
CONTROLS = [t for t in registry.THEOREMS if t.expect_refuted]


@pytest.mark.parametrize("theorem", THEOREMS, ids=lambda t: t.id)
def test_theorem_is_proved(theorem):
    outcome = decide(theorem)
    assert outcome.evidence.verdict is ProofVerdict.PROVED, outcome.evidence.detail


@pytest.mark.parametrize("theorem", CONTROLS, ids=lambda t: t.id)
def test_negative_control_is_refuted_by_a_counterexample(theorem):
    outcome = decide(theorem)
    assert outcome.evidence.verdict is ProofVerdict.REFUTED, outcome.evidence.detail
    assert "counterexample" in outcome.evidence.detail


def test_every_theorem_id_is_unique():
    ids = [t.id for t in registry.THEOREMS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("wrong", ["sigmoid.wrong_x_for_y", "softmax_with_loss.wrong_no_batch_mean",
                                   "affine.wrong_db_axis", "affine.wrong_dW_swapped",
                                   "softmax_with_loss.wrong_without_row_sum"])
def test_the_issue_s_negative_controls_are_registered(wrong):
    assert registry.theorem(wrong).expect_refuted


def test_every_generated_line_cites_registered_theorems():
    known = {t.id for t in registry.THEOREMS}
    cited = {name.strip() for m in registry.ORACLES for f in m.functions for line in f.lines
             if not isinstance(line.value, str) and line.why != "definition" for name in line.why.split(",")}
    assert cited and cited <= known, cited - known
