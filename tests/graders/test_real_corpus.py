"""Submissions in the shapes real students hand in (tests/fixtures/real, issue 12): nested and flat
folders, the book's layout, notebooks with helpers beside them, zips and tarballs, near-names, drafts,
broken files. Each case must get the verdict EXPECTED.json gives for every component."""
from __future__ import annotations

import json
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from graders.checker import check_submission
from graders.checks import catalog
from graders.components import UNITS
from graders.results import CheckResult, Report

try:
    from graders.training.settings import settings_from
except ImportError:  # pragma: no cover - the trainer checks are part of the checker today
    settings_from = None

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
MANIFEST: dict[str, dict] = json.loads((REAL / "EXPECTED.json").read_text(encoding="utf-8"))
QUICK = {"training": {"thresholds": {"mnist-10k": {"100": 0.0}}}}  # a short schedule: replay and a 100-step run
LOADER_BUGS = {"syntax_error", "missing_module"}  # bug ids the new loader adds
TRAINING = ("training", "train")


def _materialise(name: str, spec: dict, tmp_path: Path) -> Path:
    """The case copied to tmp_path (a submission may write caches, downloads, __pycache__), packed if asked:
    a zip holds the folder's contents at its root, a tar.gz the folder itself as its one top entry."""
    copy = tmp_path / "case"
    shutil.copytree(REAL / name, copy)
    target = copy / spec["path"]
    if spec["pack"] is None:
        return target
    assert target.is_dir(), f"{name}: only a folder can be packed"
    if spec["pack"] == "zip":
        archive = tmp_path / f"{name}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(target.rglob("*")):
                z.write(f, f.relative_to(target).as_posix() + ("/" if f.is_dir() else ""))
    elif spec["pack"] == "tar.gz":
        archive = tmp_path / f"{name}.tar.gz"
        with tarfile.open(archive, "w:gz") as t:
            t.add(target, arcname=name)
    else:
        raise AssertionError(f"{name}: unknown pack {spec['pack']!r}")
    return archive


def _describe(checks: list[CheckResult]) -> str:
    passed = sum(c.passed for c in checks)
    failed = [f"{c.id} {c.status} bug={c.bug}: {c.message[:160]}" for c in checks if not c.passed]
    return f"{passed}/{len(checks)} passed" + "".join(f"\n      {line}" for line in failed)


def _problems(spec: dict, report: Report) -> list[str]:
    problems = []
    for component, want in spec["expect"].items():
        own = [c for c in report.checks if c.component == component]
        if want == "absent":
            ok = not any(c.passed for c in own)
        elif not own:
            ok = False
        elif want == "pass":
            ok = all(c.passed for c in own)
        else:
            ok = any(c.bug == want and not c.passed for c in own)
        if not ok:
            problems.append(f"{component}: expected {want}, got {_describe(own) if own else 'no checks at all'}")
    text = "\n".join([*report.notes, *(c.message for c in report.checks)])
    problems += [f"the report never mentions {word!r}" for word in spec["warnings"] if word not in text]
    return problems


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_real_submission_gets_its_expected_verdicts(name, tmp_path):
    spec = MANIFEST[name]
    training = None
    if spec["train"]:
        if settings_from is None:
            pytest.skip("graders.training.settings.settings_from is gone: no short training schedule to grade with")
        training = settings_from(QUICK, iters=100)
    path = _materialise(name, spec, tmp_path)
    try:
        report = check_submission(str(path), training=training, beside=True)  # as `backprop-lab check` does
    except Exception as exc:  # SubmissionError, SandboxFailure, ...: say which case and what it is
        pytest.fail(f"{name} ({spec['notes']}): the grader could not grade {spec['path']}"
                    f"{' packed as ' + spec['pack'] if spec['pack'] else ''}: {type(exc).__name__}: {exc}",
                    pytrace=False)
    problems = _problems(spec, report)
    notes = "".join(f"\n  note: {n}" for n in report.notes)
    assert not problems, f"{name} ({spec['notes']}):\n  " + "\n  ".join(problems) + notes


def test_the_corpus_is_complete_and_consistent():
    """At least 32 cases; every case's path exists; every expectation names a graded component and a known
    verdict; train cases expect both trainer components; at least 8 bug classes; notebooks are nbformat 4."""
    assert len(MANIFEST) >= 32
    components = set(UNITS) | set(TRAINING)
    bugs = set()
    for name, spec in MANIFEST.items():
        assert set(spec) == {"path", "pack", "train", "expect", "warnings", "notes"}, name
        assert (REAL / name / spec["path"]).exists(), name
        assert spec["pack"] in (None, "zip", "tar.gz"), name
        assert set(spec["expect"]) <= components, (name, set(spec["expect"]) - components)
        assert set(spec["expect"]) >= set(UNITS), (name, set(UNITS) - set(spec["expect"]))
        assert all(c in spec["expect"] for c in TRAINING) == spec["train"], name
        for component, want in spec["expect"].items():
            assert want in ("pass", "absent") or want in catalog() or want in LOADER_BUGS, (name, component, want)
            if want not in ("pass", "absent"):
                bugs.add(want)
    generic = {"wrong_name", "runtime_error", "gradient_mismatch", "wrong_shape", "wrong_value"} | LOADER_BUGS
    assert len(bugs - generic) >= 8, sorted(bugs)
    for notebook in REAL.rglob("*.ipynb"):
        document = json.loads(notebook.read_text(encoding="utf-8"))
        assert document["nbformat"] == 4 and isinstance(document["cells"], list), notebook
    assert not [f for f in REAL.rglob("*") if f.suffix in (".zip", ".gz", ".pkl", ".pyc", ".npz")]
