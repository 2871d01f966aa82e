"""The corpus's reports stay byte for byte what tests/golden/reports.jsonl.gz recorded: a change to where checks,
bugs or sentences live must not change one verdict, score or word. A change meant to change reports re-records
(python tests/golden/reports.py --write) and says why in its commit."""
from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "reports.py"


def _golden():
    spec = importlib.util.spec_from_file_location("golden_reports", GOLDEN)
    golden = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(golden)
    return golden


def test_every_recorded_report_fits_the_published_schema():
    """to_json does not validate at run time (a check must not pay for it): its every output in the corpus is
    validated here, in both languages, and the test below holds the output to the record."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((GOLDEN.parents[2] / "graders" / "schemas" / "report.schema.json").read_text())
    lines = gzip.decompress(_golden().RECORD.read_bytes()).decode().splitlines()
    for line in lines:
        case = json.loads(line)
        for lang in ("en", "ko"):
            jsonschema.validate(case[lang]["json"], schema, cls=jsonschema.Draft202012Validator)
    assert len(lines) >= 110


def test_every_report_of_the_corpus_is_as_recorded():
    count, differ = _golden().compare()
    assert count >= 110 and differ == [], f"{len(differ)} of {count} cases differ: {differ[:10]}"
