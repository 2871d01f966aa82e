"""examples/class is what examples/make_class.py writes from the fixtures today: the demo class cannot drift
from the mutant corpus it is made of."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_example_class_is_what_make_class_writes(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "make_class.py"), "--out", str(tmp_path / "class")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    written = {p.name: p.read_bytes() for p in (tmp_path / "class").iterdir()}
    shipped = {p.name: p.read_bytes() for p in (ROOT / "examples" / "class").iterdir()}
    assert sorted(written) == sorted(shipped)
    assert [name for name in sorted(written) if written[name] != shipped[name]] == []
