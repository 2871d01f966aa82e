"""The corpus's reports stay byte for byte what tests/golden/reports.jsonl.gz recorded: a change to where checks,
bugs or sentences live must not change one verdict, score or word. A change meant to change reports re-records
(python tests/golden/reports.py --write) and says why in its commit."""
from __future__ import annotations

import importlib.util
from pathlib import Path

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "reports.py"


def test_every_report_of_the_corpus_is_as_recorded():
    spec = importlib.util.spec_from_file_location("golden_reports", GOLDEN)
    golden = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(golden)
    count, differ = golden.compare()
    assert count >= 110 and differ == [], f"{len(differ)} of {count} cases differ: {differ[:10]}"
