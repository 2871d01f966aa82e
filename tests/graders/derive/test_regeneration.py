"""The committed oracles and docs/derivations.md are exactly what the derivations generate, byte for byte."""
import re
from pathlib import Path

import pytest
import sympy as sp

from graders.derive import cli

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("regenerated")
    files = cli.expected_files(cli.prove_all())
    cli.write_files(files, root)
    return root, sorted(files)


def test_the_generated_file_set_includes_every_oracle_and_the_docs(generated):
    _, paths = generated
    assert "docs/derivations.md" in paths and "graders/oracles/_generated/__init__.py" in paths


@pytest.mark.parametrize("path", sorted(cli.generated_files(cli.registry.ORACLES)) + ["docs/derivations.md"])
def test_committed_file_matches_regeneration(generated, path):
    root, _ = generated
    stale = f"{path} is stale: run `backprop-lab derive --write`"
    assert (ROOT / path).read_bytes() == (root / path).read_bytes(), stale


def test_no_stray_files_in_the_generated_package(generated):
    _, paths = generated
    committed = {str(p.relative_to(ROOT)) for p in (ROOT / "graders/oracles/_generated").glob("*.py")}
    assert committed == {p for p in paths if p.startswith("graders/oracles/_generated/")}


def test_generated_files_carry_no_date_and_no_sympy_version(generated):
    # Either would make the committed files go stale without any change to the mathematics.
    root, paths = generated
    text = "".join((root / p).read_text(encoding="utf-8") for p in paths)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text) and sp.__version__ not in text
