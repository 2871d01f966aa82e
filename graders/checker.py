"""The checker: build the probes, run them all in one sandbox, judge, score, report.

``check_submission`` returns a Report (data) and prints nothing; ``graders/check_command.py`` is the
command around it (rendering, one-line errors, exit codes).
"""
from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Callable, Sequence

from graders import checks
from graders.bugs import LOADING, WRONG_NAME
from graders.checks import book_scripts
from graders.checks.base import Check, Suite, Verdict
from graders.components import COMPONENTS, UNITS, defined_as, depends_on
from graders.config import GradingConfig, load_config
from graders.messages import say
from graders.names import suggest
from graders.notes import report_notes
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
    suites = {name: checks.suite(name, checks.generator(name, submission.seed)) for name in names}
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
    notes = report_notes(run, {defined_as(c) for c in suites}, lang)
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
        return Verdict.of(WRONG_NAME, error=say(lang, "not_book_name", where=where),
                          suggestion=say(lang, "must_be_exactly", name=name))
    for finding in run.findings:
        if name in finding["components"] and finding["kind"] in ("syntax_error", "missing_module", "load_error"):
            return Verdict.of(LOADING[finding["kind"]], file=finding["file"], line=finding["line"], name=name,
                              error=finding["error"], module=finding["module"])
    kind = COMPONENTS[name].kind if name in COMPONENTS else "class"
    same_kind = [n for n in run.names if (n in run.classes) == (kind == "class")]
    near = suggest(name, same_kind)
    return Verdict.of(WRONG_NAME, error=say(lang, "not_defined", name=name),
                      suggestion=say(lang, "did_you_mean_exactly", near=near, name=name) if near else "")


def _method_named(check: Check, verdict: Verdict, run: SandboxRun, lang: str = "en") -> Verdict:
    """An AttributeError for a method the textbook interface requires becomes "wrong name", with a suggestion."""
    fault = verdict.fault
    if fault is None or fault.kind != "AttributeError" or fault.owner != check.component or not fault.attribute:
        return verdict
    near = suggest(fault.attribute, run.names.get(check.component, []))
    return Verdict.of(WRONG_NAME, error=say(lang, "no_method", component=check.component, method=fault.attribute),
                      suggestion=say(lang, "did_you_mean", near=near) if near else "")


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
            hint = say(lang, "fix_first", culprits=", ".join(culprits))
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
