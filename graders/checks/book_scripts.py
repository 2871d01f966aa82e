"""The chapter's own scripts, graded by what they print, as the book's exercises are.

- ``buy_apple.py`` and ``buy_apple_orange.py`` print the forward price and the gradients of the
  shopping graph (MulLayer, AddLayer); every number of the book's graph must be among the printed.
- ``gradient_check.py`` prints, per parameter, the mean |backprop - numerical| on three images:
  each must be tiny (central differences agree with a right backprop to about 1e-10).

Only scripts the submission holds are graded; nothing is lost for leaving them out.
"""
from __future__ import annotations

import re
from typing import Mapping

import numpy as np

from graders.bugs import OUT_OF_MEMORY, OUTPUT_FLOOD, RUNTIME_ERROR, TIMEOUT, Bug
from graders.checks.base import Check, Suite, Verdict
from graders.components import BOOK_SCRIPTS
from graders.sandbox import Probe, ProbeResult

COMPONENT = BOOK_SCRIPTS  # graded by what the scripts print, not by a definition of its own
# The book's graphs: apples (100 yen x 2, tax 1.1) and apples with oranges (150 yen x 3).
EXPECTED = {
    "buy_apple.py": {"price": 220.0, "dapple": 2.2, "dapple_num": 110.0, "dtax": 200.0},
    "buy_apple_orange.py": {"price": 715.0, "dapple_num": 110.0, "dapple": 2.2, "dorange": 3.3,
                            "dorange_num": 165.0, "dtax": 650.0},
}
GRADIENT_CHECK = "gradient_check.py"
GRADIENT_TOLERANCE = 1e-6
WRONG_VALUE = Bug("book_scripts.wrong_value", "{file} prints {got}; the book's graph gives {expected}: check MulLayer "
                  "and AddLayer (backward multiplies dout by the other input)", "{file}이(가) {got}을(를) 출력합니다. 책의 "
                  "계산 그래프로는 {expected}입니다: MulLayer와 AddLayer를 확인하세요(역전파는 dout에 다른 쪽 입력을 곱합니다).")
GRADIENT_CHECK_DIFFERS = Bug("book_scripts.gradient_check_differs", "{file}: backprop and the numerical gradient "
                             "differ by {got} for {key} (a right backprop agrees to below {tol}): the gradient of {key} "
                             "is wrong", "{file}: {key}에서 오차역전파와 수치 미분의 차이가 {got}입니다(올바르면 {tol} "
                             "미만). {key}의 기울기가 틀렸습니다.")
BUGS = (WRONG_VALUE, GRADIENT_CHECK_DIFFERS)
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LABELLED = re.compile(r"\b(W1|b1|W2|b2)\b\W{0,3}(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)")


def scripts_in(files: Mapping[str, bytes]) -> dict[str, str]:
    """{script's book name: its path in the submission} for the scripts it holds (the last of a name wins)."""
    found = {}
    for path in sorted(files):
        name = path.rsplit("/", 1)[-1]
        if name in EXPECTED or name == GRADIENT_CHECK:
            found[name] = path
    return found


def book_scripts(scripts: dict[str, str]) -> Suite:
    suite = Suite()
    for name, path in scripts.items():
        probe = Probe(f"{COMPONENT}.{name}", "script", params={"file": path})
        judge = _gradient_check(path) if name == GRADIENT_CHECK else _prints(path, EXPECTED[name])
        suite.probes.append(probe)
        suite.checks.append(Check(f"{COMPONENT}.{name.removesuffix('.py')}", COMPONENT, name, probe.id, judge))
    return suite


def _printed(result: ProbeResult) -> str | Verdict:
    if result.status != "ok":
        bug = {"timeout": TIMEOUT, "memory": OUT_OF_MEMORY, "output": OUTPUT_FLOOD}.get(result.status, RUNTIME_ERROR)
        return Verdict.of(bug, error=result.error)
    return bytes(result.arrays.get("printed", np.zeros(0, np.uint8)).astype(np.uint8)).decode(errors="replace")


def _prints(path: str, expected: dict[str, float]):
    def judge(result: ProbeResult) -> Verdict:
        text = _printed(result)
        if isinstance(text, Verdict):
            return text
        numbers = [float(n) for n in _NUMBER.findall(text)]
        missing = {k: v for k, v in expected.items() if not any(np.isclose(n, v, rtol=1e-9, atol=1e-9) for n in numbers)}
        if not missing:
            return Verdict.ok()
        shown = ", ".join(f"{k} = {v:g}" for k, v in missing.items())
        return Verdict.of(WRONG_VALUE, file=path, expected=shown,
                          got=", ".join(f"{n:g}" for n in numbers[:12]) or "nothing")
    return judge


def _gradient_check(path: str):
    def judge(result: ProbeResult) -> Verdict:
        text = _printed(result)
        if isinstance(text, Verdict):
            return text
        diffs = {key: float(value) for key, value in _LABELLED.findall(text)}
        if len(diffs) < 4:
            return Verdict.of(WRONG_VALUE, file=path, got=text.strip()[:120] or "nothing",
                              expected="W1, b1, W2 and b2 with their differences")
        worst = max(diffs, key=lambda k: abs(diffs[k]))
        if abs(diffs[worst]) <= GRADIENT_TOLERANCE:
            return Verdict.ok()
        return Verdict.of(GRADIENT_CHECK_DIFFERS, file=path, key=worst,
                          got=f"{diffs[worst]:.3g}", tol=f"{GRADIENT_TOLERANCE:g}")
    return judge
