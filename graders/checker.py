"""The checker: build the probes, run them all in one sandbox, judge, score, report.

``check_submission`` returns a Report (data) and prints nothing; ``graders/check_command.py`` is the
command around it (rendering, one-line errors, exit codes).
"""
from __future__ import annotations

import dataclasses
import time
import zlib
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from graders import checks
from graders.bugs import LOADING, WRONG_NAME
from graders.checks import book_scripts
from graders.checks.base import Check, Suite, Verdict
from graders.components import COMPONENTS, REGISTRY, UNITS, defined_as, depends_on
from graders.config import GradingConfig, load_config
from graders.names import suggest
from graders.results import CheckResult, Report
from graders.sandbox import Probe, SandboxRun, run_probes
from graders.submission import Submission, SubmissionError, load_submission
from graders.training.settings import TrainingSettings
from graders.training.suites import training_attachments, training_suites


def build_suites(submission: Submission, only: Sequence[str] | None = None) -> dict[str, Suite]:
    """Each component's probes and checks, with inputs seeded by the submission's code and the component's name."""
    names = list(UNITS) if not only else [n for n in only if n != book_scripts.COMPONENT]
    unknown = [n for n in names if n not in UNITS]
    if unknown:
        raise ValueError(f"unknown component {unknown[0]!r}; choose from {', '.join(UNITS)}")
    seed = int(submission.digest[:16], 16)
    suites = {name: checks.suite(name, np.random.default_rng([seed, zlib.crc32(name.encode())])) for name in names}
    scripts = book_scripts.scripts_in(submission.files)
    if scripts and (not only or book_scripts.COMPONENT in only):
        suites[book_scripts.COMPONENT] = book_scripts.book_scripts(scripts)
    return suites


def check_submission(path: str | list[str], *, only: Sequence[str] | None = None, lang: str = "en",
                     config: GradingConfig | None = None, training: TrainingSettings | None = None,
                     out_dir: str | Path | None = None, on_tick: Callable[[Probe, int], None] | None = None,
                     beside: bool = False, digest: str | None = None) -> Report:
    """Grade one submission; raises SubmissionError for a submission that cannot be read at all.

    With ``training``, the trainer checks run too (lockstep replay and an accuracy run, with
    the grader's loop and with the student's ``train``); their history and learning curves are
    written to ``out_dir`` when one is given.
    """
    started = time.perf_counter()
    config = config or load_config()
    submission = load_submission(path, beside=beside)
    if digest is not None and submission.digest != digest:
        raise SubmissionError(f"{submission.path}: changed since it was found; it is graded on the next run",
                              ko=f"{submission.path}: 찾은 뒤에 바뀌었습니다. 다음 실행에서 채점합니다")
    suites = build_suites(submission, only)
    if training is not None:
        suites |= training_suites(submission, training)
    run = run_probes(submission, [p for suite in suites.values() for p in suite.probes], config.limits,
                     on_tick=on_tick)
    results: list[CheckResult] = []
    for component, suite in suites.items():
        absent = None if component == book_scripts.COMPONENT else \
            _absent(defined_as(component), run, config, lang)
        for check in suite.checks:
            verdict = absent or _method_named(check, check.judge(run.results[check.probe]), run, lang)
            results.append(_result(check, verdict, lang, config))
    results = _explain_accuracy(_note_dependencies(results, lang))
    notes = tuple(n for n in (*graded_notes(run, suites, lang), _load_note(run, lang), _output_note(run, lang),
                              _isolation_note(lang)) if n)
    attachments = training_attachments(suites, training, out_dir) if training is not None else {}
    return Report(str(submission.path), tuple(results), lang, round(time.perf_counter() - started, 3), notes, attachments)


def _absent(name: str, run: SandboxRun, config: GradingConfig, lang: str = "en") -> Verdict | None:
    """A textbook name the submission does not define (or that did not load): every check of it is an error
    that says why: the syntax error or missing module of the file that declares it, or a "did you mean"."""
    if not run.loaded:  # a submission that never loaded: its probes say why
        return None
    graded = run.graded.get(name)
    if graded is not None:
        if graded["name"] == name or not config.exact_names:
            return None
        where = f"{graded['name']} ({graded['file']}, line {graded['line']})"
        if lang == "ko":
            return Verdict.of(WRONG_NAME, error=f"{where}은(는) 책의 이름이 아닙니다",
                              suggestion=f": 이름은 정확히 {name!r}이어야 합니다")
        return Verdict.of(WRONG_NAME, error=f"{where} is not the book's name",
                          suggestion=f"; the name must be exactly {name!r}")
    for finding in run.findings:
        if name in finding["components"] and finding["kind"] in ("syntax_error", "missing_module", "load_error"):
            return Verdict.of(LOADING[finding["kind"]], file=finding["file"], line=finding["line"], name=name,
                              error=finding["error"], module=finding["module"])
    kind = COMPONENTS[name].kind if name in COMPONENTS else "class"
    same_kind = [n for n in run.names if (n in run.classes) == (kind == "class")]
    near = suggest(name, same_kind)
    if lang == "ko":
        return Verdict.of(WRONG_NAME, error=f"{name}이(가) 정의되어 있지 않습니다",
                          suggestion=f": {near!r}을(를) 말한 건가요? (이름은 정확히 {name!r}이어야 합니다)" if near else "")
    return Verdict.of(WRONG_NAME, error=f"{name} is not defined",
                      suggestion=f"; did you mean {near!r}? (the name must be exactly {name!r})" if near else "")


_LEADING = ("syntax_error", "missing_module", "not_a_notebook")  # findings said first in every report


def graded_notes(run: SandboxRun, suites: dict[str, Suite], lang: str) -> list[str]:
    """What was graded, first in every report: files that do not run, the files run, each component's definition
    (file:line), the book's name for a near-name, other definitions left aside, files left out of the snapshot and
    demo code that was skipped."""
    ko = lang == "ko"
    wanted = {defined_as(c) for c in suites}
    notes = [f"{f['file']}: {f['error']}" for f in run.findings if f["kind"] in _LEADING]
    files = list(dict.fromkeys(u.split(" cell ")[0] for u in run.units))
    if files:
        notes.append(("읽은 파일: " if ko else "files read: ") + ", ".join(files[:20])
                     + (f" (+{len(files) - 20})" if len(files) > 20 else ""))
    parts = []
    for component in [c.name for c in REGISTRY if c.name in wanted and c.name in run.graded]:
        g = run.graded[component]
        where = f"{g['file']}:{g['line']}" if not g.get("script") else f"{g['file']} ({'스크립트' if ko else 'script'})"
        alias = "" if g["name"] == component or g.get("script") else (f" ({g['name']}, 책의 이름은 {component})" if ko
                                                     else f" (as {g['name']}; the book's name is {component})")
        parts.append(f"{component} {where}{alias}")
    if parts:
        notes.append(("채점한 정의: " if ko else "graded: ") + "; ".join(parts))
    for component in [c.name for c in REGISTRY if c.name in wanted and c.name in run.graded
                      and run.graded[c.name]["others"]]:
        others = ", ".join(run.graded[component]["others"])
        notes.append(f"{component}의 다른 정의는 채점하지 않았습니다: {others}" if ko
                     else f"{component} is also defined at {others}; those were not graded")
    for finding in run.findings:
        broken = [c for c in finding["components"] if c in run.graded and c in wanted]
        if finding["kind"] == "stripped":
            notes.append(f"{finding['file']}의 예제 코드(정의 밖의 코드)는 건너뛰었습니다: {finding['error']}" if ko
                         else f"{finding['file']}: its demo code (outside definitions) was skipped: {finding['error']}")
        elif broken and finding["kind"] in ("syntax_error", "missing_module", "load_error"):
            notes.append(f"경고: {finding['file']}의 {', '.join(broken)}은(는) 실행되지 않아 다른 정의를 채점했습니다"
                         if ko else f"warning: {', '.join(broken)} in {finding['file']} does not run; "
                                    f"graded from {'its' if len(broken) == 1 else 'their'} other definition")
    notes += [f"{'제외한 파일' if ko else 'left out'}: {line}" for line in run.skipped[:10]]
    return notes


def _method_named(check: Check, verdict: Verdict, run: SandboxRun, lang: str = "en") -> Verdict:
    """An AttributeError for a method the textbook interface requires becomes "wrong name", with a suggestion."""
    fault = verdict.fault
    if fault is None or fault.kind != "AttributeError" or fault.owner != check.component or not fault.attribute:
        return verdict
    near = suggest(fault.attribute, run.names.get(check.component, []))
    if lang == "ko":
        return Verdict.of(WRONG_NAME, error=f"{check.component}에 {fault.attribute!r} 메서드가 없습니다",
                          suggestion=f": {near!r}을(를) 말한 건가요?" if near else "")
    return Verdict.of(WRONG_NAME, error=f"{check.component} has no method {fault.attribute!r}",
                      suggestion=f"; did you mean {near!r}?" if near else "")


def _result(check: Check, verdict: Verdict, lang: str, config: GradingConfig) -> CheckResult:
    max_points = config.points_for(check.id)
    earns = verdict.status == "pass" or (verdict.status == "warning" and not config.warnings_deduct)
    where = check.component if check.method in ("", check.component) else f"{check.component}.{check.method}"
    message = "" if verdict.bug is None else f"{where}: {verdict.bug.message(lang, **verdict.fields)}"
    details = {k: v for k, v in verdict.fields.items() if isinstance(v, (str, int, float))}
    return CheckResult(check.id, check.component, check.method, verdict.status, max_points if earns else 0.0,
                       max_points, message, verdict.bug.id if verdict.bug else None, details)


def _note_dependencies(checks: list[CheckResult], lang: str) -> list[CheckResult]:
    """Tell a student whose TwoLayerNet fails because its Affine does to fix the Affine first."""
    failing = {c.component for c in checks if not c.passed}
    out = []
    for c in checks:
        culprits = [d for d in depends_on(c.component) if d in failing]
        if not c.passed and culprits:
            hint = (f" ({', '.join(culprits)}도 틀렸습니다: 그것부터 고치세요)" if lang == "ko"
                    else f" ({', '.join(culprits)} fails too: fix that first)")
            c = CheckResult(c.id, c.component, c.method, c.status, c.points, c.max_points, c.message + hint, c.bug,
                            c.details)
        out.append(c)
    return out


def _explain_accuracy(checks: list[CheckResult]) -> list[CheckResult]:
    """A failed accuracy run whose replay failed too: the replay's diagnosis says why, so add it."""
    replays = {c.component: c for c in checks if c.id.endswith(".replay") and not c.passed and c.bug}
    out = []
    for c in checks:
        replay = replays.get(c.component)
        if c.id.endswith(".accuracy") and not c.passed and replay is not None:
            joint = " " if c.message.endswith(".") else "; "
            c = dataclasses.replace(c, message=f"{c.message}{joint}{replay.message.split(': ', 1)[-1]}")
        out.append(c)
    return out


def _load_note(run: SandboxRun, lang: str) -> str:
    said = any(f["error"] == run.load_error and (f["components"] or f["kind"] in _LEADING) for f in run.findings)
    if not run.load_error or run.loaded and said:
        return ""  # the finding is already in the report: in its components' checks or as a leading note
    if not run.loaded:
        return f"제출물을 불러오지 못했습니다: {run.load_error}" if lang == "ko" else f"the submission did not load: {run.load_error}"
    if lang == "ko":
        return f"제출물을 불러오는 중 오류가 났습니다 (그 앞까지 정의된 이름으로 채점했습니다): {run.load_error}"
    return f"the submission raised while loading (graded with the names defined before that): {run.load_error}"


def _isolation_note(lang: str) -> str:
    """One line in every report graded without the sandbox's namespaces."""
    from graders.sandbox import isolation
    why = isolation.available()
    if not why:
        return ""
    return (f"격리가 약해졌습니다({why}): 자원 제한만 적용하고 실행했습니다." if lang == "ko"
            else f"isolation reduced ({why}): the code ran under resource limits only")


def _output_note(run: SandboxRun, lang: str) -> str:
    lines = run.stdout.count("\n")
    if not lines:
        return ""
    return f"제출물이 {lines}줄을 출력했습니다." if lang == "ko" else f"the submission printed {lines} line(s)."
