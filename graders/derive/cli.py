"""`backprop-lab derive`: prove every theorem, list them with timings, check or regenerate the generated files."""
from __future__ import annotations

import time
from pathlib import Path

from graders.derive import registry
from graders.derive.codegen import generated_files
from graders.derive.display import tex, unicode
from graders.derive.markdown import DOC_PATH, document
from graders.derive.theorem import Outcome, decide

ROOT = Path(__file__).resolve().parents[2]


def prove_all() -> list[Outcome]:
    """Decide every registered theorem, in reading order."""
    return [decide(t) for t in registry.THEOREMS]


def expected_files(outcomes: list[Outcome]) -> dict[str, str]:
    """Repository-relative path -> text of every generated file (the oracles and docs/derivations.md)."""
    files = generated_files(registry.ORACLES)
    files[DOC_PATH] = document(registry.SECTIONS, outcomes)
    return files


def stale_files(files: dict[str, str], root: Path = ROOT) -> list[str]:
    """Generated files whose committed text differs from a fresh generation."""
    return [path for path, text in files.items()
            if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text]


def write_files(files: dict[str, str], root: Path = ROOT) -> None:
    """Write every generated file under `root`."""
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")


def _indent(text: str, pad: str = "      ") -> str:
    return "\n".join(pad + line for line in text.splitlines())


def _show(outcome: Outcome, latex: bool) -> str:
    t = outcome.theorem
    status = f"{'ok ' if outcome.ok else 'FAIL'} {outcome.evidence.verdict.value:<9}"
    head = f"{status} {outcome.seconds:6.3f}s  {t.id}{'  (negative control)' if t.expect_refuted else ''}"
    show = tex if latex else unicode
    body = [t.claim, show(t.statement)]
    conditions = [show(g) for g in t.given]
    if conditions:
        one_line = all("\n" not in c for c in conditions)
        body.append("given " + ", ".join(conditions) if one_line else "given\n" + "\n".join(conditions))
    body.append(f"evidence: {outcome.evidence.detail}")
    return head + "\n" + _indent("\n".join(body))


def main(*, check: bool = False, latex: bool = False, write: bool = False) -> int:
    """Prove every theorem and print them; --check also fails on stale generated files; --write regenerates them.

    Returns the exit code: 0 if every theorem is proved and every negative control refuted
    (and, with check, the generated files are current), else 1. Nothing is written unless all pass.
    """
    start = time.perf_counter()
    outcomes = prove_all()
    for outcome in outcomes:
        print(_show(outcome, latex) if not check else
              f"{'ok ' if outcome.ok else 'FAIL'} {outcome.evidence.verdict.value:<9} {outcome.seconds:6.3f}s  "
              f"{outcome.theorem.id}")
    failed = [o.theorem.id for o in outcomes if not o.ok]
    proved = sum(o.ok and not o.theorem.expect_refuted for o in outcomes)
    refuted = sum(o.ok and o.theorem.expect_refuted for o in outcomes)
    stale: list[str] = []
    if not failed and (check or write):  # generated files come only from a fully proved set
        files = expected_files(outcomes)
        if write:
            write_files(files)
            print(f"wrote {len(files)} files: {', '.join(sorted(files))}")
        else:
            stale = stale_files(files)
    print(f"{proved} theorems proved, {refuted} negative controls refuted, {len(failed)} failed "
          f"in {time.perf_counter() - start:.1f}s")
    for name in failed:
        print(f"FAILED: {name}")
    for path in stale:
        print(f"STALE: {path} differs from a fresh generation; run `backprop-lab derive --write`")
    if write and failed:
        print("nothing written: the oracles are generated only from proved rules")
    return 1 if failed or stale else 0
