"""The checker: build the probes, run them all in one sandbox, judge, score, report.

``check_submission`` returns a Report (data) and prints nothing; ``graders/check_command.py`` is the
command around it (rendering, one-line errors, exit codes).
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Sequence

from graders import checks
from graders.checks import book_scripts
from graders.checks.base import Check, Suite, Verdict
from graders.components import UNITS, defined_as, depends_on
from graders.config import GradingConfig, load_config
from graders.messages import say
from graders.names import absent, attribute_named, method_named
from graders.notes import report_notes
from graders.results import CheckResult, Report
from graders.sandbox import Probe, SandboxRun, run_probes
from graders.submission import Submission, SubmissionError, load_submission
from graders.training.settings import TrainingSettings


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
        from graders.training.suites import training_suites  # the trainer's checks load only for --train
        suites |= training_suites(submission, training)
    run = run_probes(submission, [p for suite in suites.values() for p in suite.probes], config.limits,
                     on_tick=on_tick)
    judged: list[tuple[Check, Verdict]] = []
    for component, suite in suites.items():
        missing = None if component == book_scripts.COMPONENT else \
            absent(defined_as(component), run, config.exact_names)
        for check in suite.checks:
            judged.append((check, missing or _named(check, check.judge(run.results[check.probe]), run, config)))
    results = _results(judged, lang, config)
    notes = report_notes(run, {defined_as(c) for c in suites}, lang)
    attachments = {}
    if training is not None:
        from graders.training.suites import training_attachments
        attachments = training_attachments(suites, training, out_dir)
    return Report(str(submission.path), tuple(results), lang, round(time.perf_counter() - started, 3), notes, attachments)


def _named(check: Check, verdict: Verdict, run: SandboxRun, config: GradingConfig) -> Verdict:
    """The verdict, with what is wrong about a name said as such: a method missing, or an attribute under another."""
    return attribute_named(method_named(check, verdict, run), config.exact_names)


def _results(judged: list[tuple[Check, Verdict]], lang: str, config: GradingConfig) -> list[CheckResult]:
    """The checks' results, worded in ``lang``: the one place the checker turns verdicts into sentences. A check
    that fails because a part it is built from fails too says to fix that first; a failed accuracy run whose
    replay failed too adds the replay's diagnosis."""
    failing = {check.component for check, v in judged if v.status in ("fail", "error")}
    said = [verdict.said(lang) for _, verdict in judged]  # each verdict's fields in words, once
    told = [verdict.bug.message(lang, **fields) + _fix_first(check.component, verdict, failing, lang) if verdict.bug
            else "" for (check, verdict), fields in zip(judged, said)]
    replays = {check.component: text for (check, v), text in zip(judged, told)
               if check.id.endswith(".replay") and v.status in ("fail", "error") and v.bug}
    results = []
    for (check, verdict), fields, text in zip(judged, said, told):
        where = check.component if check.method in ("", check.component) else f"{check.component}.{check.method}"
        message = f"{where}: {text}" if verdict.bug else ""
        if check.id.endswith(".accuracy") and verdict.status in ("fail", "error") and check.component in replays:
            message += (" " if message.endswith(".") else "; ") + replays[check.component]
        results.append(_result(check, verdict, message, fields, config))
    return results


def _fix_first(component: str, verdict: Verdict, failing: set[str], lang: str) -> str:
    """The hint that ends a failure of a component built from one that fails too: "(Affine fails too: fix that
    first)"; else nothing."""
    culprits = [d for d in depends_on(component) if d in failing]
    return say(lang, "fix_first", culprits=", ".join(culprits)) if culprits and verdict.status in ("fail", "error") \
        else ""


def _result(check: Check, verdict: Verdict, message: str, fields: dict, config: GradingConfig) -> CheckResult:
    max_points = config.points_for(check.id)
    earns = verdict.status == "pass" or (verdict.status == "warning" and not config.warnings_deduct)
    details = {k: v for k, v in fields.items() if isinstance(v, (str, int, float))}
    return CheckResult(check.id, check.component, check.method, verdict.status, max_points if earns else 0.0,
                       max_points, message, verdict.bug.id if verdict.bug else None, details)
