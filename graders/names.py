"""Wrong names, kept as data until a report words them: a textbook name the submission lacks, a near-name where the
exact one is required, a method the book's interface needs, an attribute kept under another name (``self.dw`` for
``dW``); and "did you mean" (``ReLu`` -> ``Relu``, ``foward`` -> ``forward``)."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable

from graders.bugs import ATTRIBUTE_SPELLED, LOADING, WRONG_NAME
from graders.checks.base import Check, Verdict
from graders.components import COMPONENTS
from graders.messages import say
from graders.sandbox import SandboxRun


@dataclass(frozen=True)
class Naming:
    """What is wrong with a name: a sentence of the catalogue and, when there is one, a suggestion."""

    problem: str                      # a key of graders/messages: not_defined, not_book_name, no_method
    hint: str | None                  # the suggestion's key, if any
    names: dict[str, str] = field(default_factory=dict)

    def words(self, lang: str) -> dict[str, str]:
        """The fields the wrong_name message is made of, in ``lang``."""
        return {"error": say(lang, self.problem, **self.names),
                "suggestion": say(lang, self.hint, **self.names) if self.hint else ""}


def suggest(wanted: str, available: Iterable[str]) -> str | None:
    """The closest available name: same letters in another case first, then by similarity."""
    available = list(available)
    for name in available:
        if name.lower() == wanted.lower():
            return name
    close = difflib.get_close_matches(wanted, available, n=1, cutoff=0.6)
    return close[0] if close else None


def absent(name: str, run: SandboxRun, exact_names: bool) -> Verdict | None:
    """A textbook name the submission does not define (or that did not load): every check of it is an error
    that says why: the syntax error or missing module of the file that declares it, or a "did you mean"."""
    if not run.loaded:  # a submission that never loaded: its probes say why
        return None
    graded = run.graded.get(name)
    if graded is not None:
        if graded["name"] == name or not exact_names:
            return None
        where = f"{graded['name']} ({graded['file']}, line {graded['line']})"
        return Verdict.of(WRONG_NAME, naming=Naming("not_book_name", "must_be_exactly", {"where": where, "name": name}))
    for finding in run.findings:
        if name in finding["components"] and finding["kind"] in LOADING:
            return Verdict.of(LOADING[finding["kind"]], file=finding["file"], line=finding["line"], name=name,
                              error=finding["error"], module=finding["module"])
    kind = COMPONENTS[name].kind if name in COMPONENTS else "class"
    near = suggest(name, [n for n in run.names if (n in run.classes) == (kind == "class")])
    return Verdict.of(WRONG_NAME, naming=Naming("not_defined", "did_you_mean_exactly" if near else None,
                                                {"name": name, "near": near or ""}))


def method_named(check: Check, verdict: Verdict, run: SandboxRun) -> Verdict:
    """An AttributeError for a method the textbook interface requires becomes "wrong name", with a suggestion."""
    fault = verdict.fault
    if fault is None or fault.kind != "AttributeError" or fault.owner != check.component or not fault.attribute:
        return verdict
    near = suggest(fault.attribute, run.names.get(check.component, []))
    return Verdict.of(WRONG_NAME, naming=Naming("no_method", "did_you_mean" if near else None,
                                                {"component": check.component, "method": fault.attribute,
                                                 "near": near or ""}))


def attribute_named(verdict: Verdict, exact_names: bool) -> Verdict:
    """Right values under a student's name for the attribute (``self.dw``) pass with a warning; where names must be
    exact, they are a wrong name."""
    if not exact_names or verdict.bug is not ATTRIBUTE_SPELLED:
        return verdict
    return Verdict.of(WRONG_NAME, naming=Naming("not_book_name", "must_be_exactly",
                                                {"where": f"self.{verdict.fields['spelled']}",
                                                 "name": verdict.fields["what"]}))
