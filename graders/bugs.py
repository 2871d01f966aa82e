"""What a bug class is, and the bug classes every component shares (a run that failed, a wrong interface,
a wrong number no detector explains). A component's own bug classes live in its check module.

A detector recognises a bug from the wrong output alone, by matching it against a known
transformation of the oracle (db averaged instead of summed is the oracle's db / N; a
sigmoid backward that uses x is the oracle's rule fed x instead of y), never by reading
the source. Checks call ``diagnose`` with the bug classes that can explain a wrong output,
in order; the first whose detector matches names the bug.

Messages are written for a student in English and in Korean. ``{fields}`` come from the
check: ``what`` (the output), ``where``, ``expected``, ``got``, ``diff``, ``tol``,
``got_shape``, ``want_shape``, ``error``, ``suggestion``, ``ratio``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping

import numpy as np

from graders.compare import close

Severity = Literal["fail", "warning", "error"]


@dataclass(frozen=True)
class Evidence:
    """What a detector may look at: the student's outputs, the oracle's, and the inputs of the call."""

    output: str                                  # the output being explained, e.g. "db"
    got: Mapping[str, np.ndarray]
    want: Mapping[str, np.ndarray]
    inputs: Mapping[str, np.ndarray]
    dtype: Any = np.float64
    oracle: Callable[[Mapping[str, np.ndarray]], Mapping[str, np.ndarray]] | None = None  # inputs -> outputs

    def matches(self, alternative: np.ndarray) -> bool:
        """Does the student's output equal ``alternative`` (a transformed oracle output)?"""
        got = self.got.get(self.output)
        return got is not None and close(got, np.asarray(alternative), dtype=self.dtype)


@dataclass(frozen=True)
class Bug:
    id: str
    en: str
    ko: str
    severity: Severity = "fail"
    detect: Callable[[Any], bool] | None = field(default=None, compare=False)  # Evidence, or a trainer step's

    def message(self, lang: str, **fields: Any) -> str:
        template = self.ko if lang == "ko" else self.en
        return template.format_map(_Blank(fields))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def batch_size(ev: Evidence) -> int:
    """N of the call's batch (1 for a single sample)."""
    key = "y" if "y" in ev.inputs else "x"
    return ev.inputs[key].shape[0] if ev.inputs[key].ndim == 2 else 1


def not_finite(ev: Evidence) -> bool:
    got = ev.got.get(ev.output)
    return got is not None and not np.isfinite(got.astype(np.float64)).all()


def _ignores_dout(ev: Evidence) -> bool:
    """The output equals the oracle's with dout replaced by ones (the local derivative only)."""
    if ev.oracle is None:
        return False
    return ev.matches(ev.oracle({**ev.inputs, "dout": np.ones_like(ev.inputs["dout"])})[ev.output])


# Failures of the run itself.
SYNTAX_ERROR = Bug("syntax_error", "{file} does not run: {error}; fix it so that what the file defines can be graded",
                   "{file} 파일을 실행할 수 없습니다: {error}. 이 오류를 고쳐야 파일에 정의한 것을 채점할 수 있습니다.", "error")
MISSING_MODULE = Bug("missing_module", "{file}, line {line} imports {module}, which the grader does not have: the "
                     "chapter needs numpy only", "{file} {line}번째 줄에서 채점 환경에 없는 {module} 모듈을 가져옵니다. "
                     "이 장은 numpy만 있으면 됩니다.", "error")
LOAD_ERROR = Bug("load_error", "{file} stopped at line {line} with {error}, before {name} was defined",
                 "{file} 파일이 {line}번째 줄에서 {error} 오류로 멈춰 {name}이(가) 정의되지 않았습니다.", "error")
UNREADABLE = Bug("unreadable", "{error}: nothing in it could be graded; hand in the notebook as Jupyter saved it",
                 "{error}: 아무것도 채점할 수 없었습니다. Jupyter가 저장한 노트북 그대로 제출하세요.", "error")
RUNTIME_ERROR = Bug("runtime_error", "raised {error}", "실행 중 예외가 발생했습니다: {error}", "error")
TIMEOUT = Bug("timeout", "{error}: an endless loop?", "{error}: 무한 루프가 아닌지 확인하세요.", "error")
CRASHED = Bug("crashed", "{error}", "프로세스가 비정상 종료되었습니다: {error}", "error")
OUT_OF_MEMORY = Bug("out_of_memory", "{error}", "메모리를 너무 많이 사용했습니다: {error}", "error")
OUTPUT_FLOOD = Bug("output_flood", "{error}: remove the print in a loop", "출력이 너무 많습니다: 반복문 안의 print를 "
                   "지우세요.", "error")
INVALID_OUTPUT = Bug("invalid_output", "{error}: return a numpy array", "{error}: numpy 배열을 반환하세요.", "error")
# The interface, and wrong numbers in general.
WRONG_NAME = Bug("wrong_name", "{error}{suggestion}", "{error}{suggestion}", "error")
MISSING_RETURN = Bug("missing_return", "{what} is None: a missing return (or the attribute was never set)?",
                     "{what}이(가) None입니다: return 문(또는 속성 저장)을 빠뜨리지 않았나요?")
WRONG_SHAPE = Bug("wrong_shape", "{what} has shape {got_shape}; it should be {want_shape}",
                  "{what}의 형상이 {got_shape}입니다. {want_shape}이어야 합니다.")
WRONG_VALUE = Bug("wrong_value", "{what} is wrong at {where}: expected {expected}, got {got} (|diff| {diff} > tol "
                  "{tol}; {count} elements off)",
                  "{what}의 값이 틀렸습니다. 위치 {where}: 기댓값 {expected}, 실제 {got} (차이 {diff} > 허용 오차 {tol}, "
                  "틀린 원소 {count}개)")
GRADIENT_MISMATCH = Bug("gradient_mismatch", "{what} fails the directional-derivative test: along a random direction "
                        "backprop gives {analytic}, the central difference {numeric}; element {where}: backprop {got}, "
                        "numerical {expected}",
                        "{what}이(가) 방향 미분 검사를 통과하지 못했습니다: 임의의 방향으로 역전파는 {analytic}, 중심 차분은 "
                        "{numeric}입니다. 원소 {where}: 역전파 {got}, 수치 미분 {expected}")
INPUT_MUTATED = Bug("input_mutated", "{what} was changed in place: copy it first (x.copy()) instead of writing into "
                    "the caller's array", "인자로 받은 {what}을(를) 그 자리에서 바꿨습니다: 호출한 쪽의 배열에 쓰지 말고 "
                    "먼저 복사(x.copy())하세요.")
IGNORES_DOUT = Bug("ignores_dout", "{what} ignores dout: it is the local derivative only; multiply by the upstream "
                   "gradient dout", "{what}이(가) dout을 무시합니다: 국소 미분만 계산했습니다. 상류에서 온 기울기 dout을 "
                   "곱하세요.", detect=_ignores_dout)
ATTRIBUTE_SPELLED = Bug("attribute_spelled", "keeps {what} as self.{spelled} (its values are right); the book's "
                        "TwoLayerNet reads layer.{what}, so name it {what}",
                        "{what}을(를) self.{spelled}에 저장합니다 (값은 맞습니다). 책의 TwoLayerNet은 layer.{what}을(를) "
                        "읽으니 이름을 {what}(으)로 하세요.", "warning")

SHARED: tuple[Bug, ...] = (WRONG_NAME, ATTRIBUTE_SPELLED, SYNTAX_ERROR, MISSING_MODULE, LOAD_ERROR, UNREADABLE,
                           RUNTIME_ERROR, TIMEOUT, CRASHED, OUT_OF_MEMORY, OUTPUT_FLOOD, INVALID_OUTPUT, MISSING_RETURN,
                           WRONG_SHAPE, WRONG_VALUE, GRADIENT_MISMATCH, INPUT_MUTATED, IGNORES_DOUT)
LOADING: dict[str, Bug] = {b.id: b for b in (SYNTAX_ERROR, MISSING_MODULE, LOAD_ERROR)}  # a loader finding's kind


def diagnose(candidates: tuple[Bug, ...], evidence: Any) -> Bug | None:
    """The first candidate whose detector explains the evidence."""
    for candidate in candidates:
        try:
            if candidate.detect is not None and candidate.detect(evidence):
                return candidate
        except (KeyError, ValueError, IndexError, ZeroDivisionError, FloatingPointError):
            continue  # this transformation does not apply to these inputs
    return None
