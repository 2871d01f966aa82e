"""Every report of the test corpus, as bytes: recorded once, compared after every change of the grader's insides.

Issue 16 reshaped where each component's checks, bugs and messages live; this file is what showed that no
verdict, score or sentence moved. A case is graded in English and in Korean; what is kept of each is its JSON
report (seconds zeroed, the temporary folder spelled <tmp>) and its plain text.

    python tests/golden/reports.py --write     # record (after a change that is meant to change reports)
    python tests/golden/reports.py             # compare, and list the cases that differ
"""
from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterator

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
RECORD = Path(__file__).with_name("reports.jsonl.gz")  # one JSON line per case, gzipped (3 MB as text)
sys.path[:0] = [str(ROOT), str(TESTS / "graders")]

from corpus import SUBMISSIONS, load_fixture, write_book_layout, write_notebook  # noqa: E402
from graders.checker import check_submission  # noqa: E402
from graders.report.json_report import to_json  # noqa: E402
from graders.report.text import render_text  # noqa: E402
from graders.training.settings import settings_from  # noqa: E402

QUICK = {"training": {"thresholds": {"mnist-10k": {"100": 0.0}}}}
Case = tuple[str, Callable[[Path], Path], bool]  # name, how to write it under a folder, graded with training


def _real_cases() -> Iterator[Case]:
    from test_real_corpus import MANIFEST, _materialise
    for name in sorted(MANIFEST):
        spec = MANIFEST[name]
        yield f"real/{name}", (lambda tmp, name=name, spec=spec: _materialise(name, spec, tmp)), spec["train"]


def _mutant_cases() -> Iterator[Case]:
    mutants = load_fixture("mutants")
    for m in [*mutants.MUTANTS, *mutants.HABITS, *mutants.TRAINING_MUTANTS]:
        if getattr(m, "long", False):
            continue  # a full training run each: too slow to keep as bytes
        yield f"mutant/{m.id}", (lambda tmp, m=m: _write(tmp / f"{m.id}.py", m.source())), hasattr(m, "long")


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def cases() -> Iterator[Case]:
    yield from _real_cases()
    yield from _mutant_cases()
    for name in ("textbook.py", "alt_style.py"):
        yield f"submissions/{name}", (lambda tmp, name=name: SUBMISSIONS / name), False
    yield "submissions/book_layout", (lambda tmp: write_book_layout(tmp / "book_layout")), False
    yield "submissions/notebook", (lambda tmp: write_notebook(tmp / "hw5.ipynb")), False
    for path in sorted((ROOT / "examples" / "class").glob("*")):
        if path.suffix in (".py", ".ipynb"):
            yield f"examples/{path.name}", (lambda tmp, path=path: path), False


def record(name: str, write: Callable[[Path], Path], train: bool) -> dict:
    """The case's reports in both languages, with what differs from run to run taken out."""
    entry: dict = {"case": name}
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp))
        for lang in ("en", "ko"):
            training = settings_from(QUICK, iters=100) if train else None
            report = dataclasses.replace(check_submission(str(path), lang=lang, training=training, beside=True),
                                         seconds=0.0)
            entry[lang] = {"json": json.loads(_placeless(json.dumps(to_json(report)), tmp)),
                           "text": _placeless(render_text(report), tmp)}
    return entry


def _placeless(text: str, tmp: str) -> str:
    return text.replace(tmp, "<tmp>").replace(str(ROOT), "<repo>")


def compare() -> tuple[int, list[str]]:
    """How many cases there are now, and those whose reports are not byte for byte as recorded (or are new)."""
    kept = {json.loads(line)["case"]: line for line in gzip.decompress(RECORD.read_bytes()).decode().splitlines()}
    lines = [json.dumps(record(*case), ensure_ascii=False, sort_keys=True) for case in cases()]
    differ = [json.loads(line)["case"] for line in lines if kept.pop(json.loads(line)["case"], None) != line]
    return len(lines), differ + [f"{name} (recorded, no longer a case)" for name in kept]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record instead of comparing")
    if parser.parse_args().write:
        lines = [json.dumps(record(*case), ensure_ascii=False, sort_keys=True) for case in cases()]
        RECORD.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0))
        print(f"recorded {len(lines)} cases in {RECORD.relative_to(ROOT)}")
        return 0
    count, differ = compare()
    print(f"{count - len(differ)} of {count} cases byte for byte as recorded")
    for name in differ:
        print(f"  differs: {name}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
