"""`backprop-lab derive`: exit codes, the listing, stale-file detection, and refusing to write from a failed proof."""
import sympy as sp

from graders.derive import cli, registry
from graders.derive.theorem import Theorem, ProofVerdict, ProofEvidence

x = sp.Symbol("x")


def test_check_passes_on_the_committed_tree(capsys):
    assert cli.main(check=True) == 0
    assert "0 failed" in capsys.readouterr().out


def test_listing_shows_unicode_statements_and_latex_on_request(capsys, monkeypatch):
    monkeypatch.setattr(registry, "THEOREMS", tuple(t for t in registry.THEOREMS if t.id.startswith("mul.")))
    cli.main()
    assert "∂" in capsys.readouterr().out
    cli.main(latex=True)
    assert "\\frac{\\partial}{\\partial x}" in capsys.readouterr().out


def test_a_failed_proof_makes_check_exit_1(monkeypatch, capsys):
    false = Theorem("fake.false", "x = x + 1", sp.Eq(x, x + 1),
                    lambda: ProofEvidence(ProofVerdict.REFUTED, "counterexample"))
    monkeypatch.setattr(registry, "THEOREMS", (false,))
    assert cli.main(check=True) == 1
    assert "FAILED: fake.false" in capsys.readouterr().out


def test_write_refuses_when_a_proof_fails(monkeypatch, tmp_path):
    false = Theorem("fake.false", "x = x + 1", sp.Eq(x, x + 1), lambda: ProofEvidence(ProofVerdict.UNDECIDED, ""))
    monkeypatch.setattr(registry, "THEOREMS", (false,))
    monkeypatch.setattr(cli, "ROOT", tmp_path)
    assert cli.main(write=True) == 1
    assert list(tmp_path.iterdir()) == []


def test_stale_files_reports_a_changed_file(tmp_path):
    (tmp_path / "a.py").write_text("old\n")
    assert cli.stale_files({"a.py": "new\n", "b.py": "x\n"}, tmp_path) == ["a.py", "b.py"]
