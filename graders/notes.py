"""What a report says besides its checks: what was graded (files, definitions, near-names, drafts left aside,
demo code skipped, files left out), how loading went, what the submission printed, and reduced isolation."""
from __future__ import annotations

from typing import Iterable

from graders.components import REGISTRY
from graders.messages import say
from graders.sandbox import SandboxRun

LEADING = ("syntax_error", "missing_module", "not_a_notebook")  # findings said first in every report
BROKEN = ("syntax_error", "missing_module", "load_error")        # findings that keep a definition from running


def report_notes(run: SandboxRun, wanted: set[str], lang: str) -> tuple[str, ...]:
    """Every note of a report, in the order it prints them; ``wanted``: the definitions the graded components need."""
    notes = [*graded_notes(run, wanted, lang), load_note(run, lang), output_note(run, lang), isolation_note(lang)]
    return tuple(n for n in notes if n)


def graded_notes(run: SandboxRun, wanted: set[str], lang: str) -> list[str]:
    """What was graded, first in every report: files that do not run, the files run, each component's definition
    (file:line), the book's name for a near-name, other definitions left aside, files left out of the snapshot and
    demo code that was skipped."""
    notes = [f"{f['file']}: {f['error']}" for f in run.findings if f["kind"] in LEADING]
    files = list(dict.fromkeys(u.split(" cell ")[0] for u in run.units))
    if files:
        notes.append(say(lang, "files_read", files=", ".join(files[:20]))
                     + (f" (+{len(files) - 20})" if len(files) > 20 else ""))
    graded = [c.name for c in REGISTRY if c.name in wanted and c.name in run.graded]
    if graded:
        notes.append(say(lang, "graded", parts="; ".join(_definition(run, c, lang) for c in graded)))
    for component in [c for c in graded if run.graded[c]["others"]]:
        notes.append(say(lang, "others_not_graded", component=component, others=", ".join(run.graded[component]["others"])))
    notes += _finding_notes(run.findings, run, wanted, lang)
    notes += [say(lang, "left_out", line=line) for line in run.skipped[:10]]
    return notes


def _definition(run: SandboxRun, component: str, lang: str) -> str:
    g = run.graded[component]
    if g.get("script"):
        return f"{component} {say(lang, 'graded_script', file=g['file'])}"
    alias = "" if g["name"] == component else say(lang, "graded_alias", name=g["name"], component=component)
    return f"{component} {g['file']}:{g['line']}{alias}"


def _finding_notes(findings: Iterable[dict], run: SandboxRun, wanted: set[str], lang: str) -> list[str]:
    notes = []
    for finding in findings:
        broken = [c for c in finding["components"] if c in run.graded and c in wanted]
        if finding["kind"] == "stripped":
            notes.append(say(lang, "demo_skipped", file=finding["file"], error=finding["error"]))
        elif broken and finding["kind"] in BROKEN:
            key = "broken_definition_one" if len(broken) == 1 else "broken_definition_many"
            notes.append(say(lang, key, names=", ".join(broken), file=finding["file"]))
    return notes


def load_note(run: SandboxRun, lang: str) -> str:
    said = any(f["error"] == run.load_error and (f["components"] or f["kind"] in LEADING) for f in run.findings)
    if not run.load_error or run.loaded and said:
        return ""  # the finding is already in the report: in its components' checks or as a leading note
    return say(lang, "raised_loading" if run.loaded else "did_not_load", error=run.load_error)


def isolation_note(lang: str) -> str:
    """One line in every report graded without the sandbox's namespaces."""
    from graders.sandbox import isolation
    why = isolation.available()
    return say(lang, "isolation_reduced", why=why) if why else ""


def output_note(run: SandboxRun, lang: str) -> str:
    lines = run.stdout.count("\n")
    return say(lang, "printed_lines", n=lines) if lines else ""
