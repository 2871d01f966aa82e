"""The catalog of bug classes: for each, how to recognise it and what to tell the student.

A detector recognises a bug from the wrong output alone, by matching it against a known
transformation of the oracle (db averaged instead of summed is the oracle's db / N; a
sigmoid backward that uses x is the oracle's rule fed x instead of y), never by reading
the source. Checks call ``diagnose`` with the detectors that can explain a wrong output,
in order; the first that matches names the bug.

Messages are written for a student in English and in Korean. ``{fields}`` come from the
check: ``what`` (the output), ``where``, ``expected``, ``got``, ``diff``, ``tol``,
``got_shape``, ``want_shape``, ``error``, ``suggestion``, ``ratio``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping

import numpy as np

from graders import oracles
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
    detect: Callable[[Evidence], bool] | None = field(default=None, compare=False)

    def message(self, lang: str, **fields: Any) -> str:
        template = self.ko if lang == "ko" else self.en
        return template.format_map(_Blank(fields))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _n(ev: Evidence) -> int:
    return ev.inputs["x"].shape[0]


def _relu_mask_at_zero(ev: Evidence) -> bool:  # mask x < 0: passes dout through where x == 0
    x, dout = ev.inputs["x"], ev.inputs["dout"]
    return bool((x == 0).any()) and ev.matches(oracles.relu_backward(np.where(x == 0, 1.0, x), dout))


def _relu_mask_from_dout(ev: Evidence) -> bool:  # the mask is computed from dout's sign instead of x's
    return ev.matches(oracles.relu_backward(ev.inputs["dout"], ev.inputs["dout"]))


def _relu_no_mask(ev: Evidence) -> bool:
    return ev.matches(ev.inputs["dout"])


def _ignores_dout(ev: Evidence) -> bool:
    """The output equals the oracle's with dout replaced by ones (the local derivative only)."""
    if ev.oracle is None:
        return False
    return ev.matches(ev.oracle({**ev.inputs, "dout": np.ones_like(ev.inputs["dout"])})[ev.output])


def _sigmoid_uses_x(ev: Evidence) -> bool:
    return ev.matches(oracles.sigmoid_backward(ev.inputs["x"], ev.inputs["dout"]))


def _not_finite(ev: Evidence) -> bool:
    got = ev.got.get(ev.output)
    return got is not None and not np.isfinite(got.astype(np.float64)).all()


def _db_not_summed(ev: Evidence) -> bool:
    return ev.matches(ev.inputs["dout"])


def _db_wrong_axis(ev: Evidence) -> bool:
    return ev.matches(ev.inputs["dout"].sum(axis=1))


def _db_averaged(ev: Evidence) -> bool:
    return ev.matches(ev.want["db"] / _n(ev))


def _dw_transposed(ev: Evidence) -> bool:
    return ev.matches(ev.want["dW"].T)


def _averaged(ev: Evidence) -> bool:
    return ev.matches(ev.want[ev.output] / _n(ev))


def _dx_not_reshaped(ev: Evidence) -> bool:
    return ev.matches(ev.want["dx"].reshape(_n(ev), -1))


def _softmax_whole_batch(ev: Evidence) -> bool:
    """All N*K outputs sum to 1, and each row is still proportional to the right one."""
    got = ev.got["out"].astype(np.float64)
    if got.ndim != 2 or got.shape != ev.want["out"].shape:
        return False
    with np.errstate(all="ignore"):
        rows = got / got.sum(axis=1, keepdims=True)
    return close(got.sum(), 1.0) and close(rows, ev.want["out"])


def _softmax_wrong_axis(ev: Evidence) -> bool:
    x = ev.inputs["x"]
    return x.ndim == 2 and ev.matches(oracles.softmax(x.T).T)


def _not_averaged(ev: Evidence) -> bool:
    return ev.matches(ev.want[ev.output] * _batch(ev))


def _batch(ev: Evidence) -> int:
    key = "y" if "y" in ev.inputs else "x"
    return ev.inputs[key].shape[0] if ev.inputs[key].ndim == 2 else 1


def _cross_entropy_no_delta(ev: Evidence) -> bool:
    """The loss equals -mean(log y_t) exactly, without the 1e-7. ``y``: the probabilities the loss was taken of."""
    y, t = ev.inputs["y"], ev.inputs["t"]
    y2 = y.reshape(1, -1) if y.ndim == 1 else y
    labels = t.reshape(-1) if t.size == y2.shape[0] else np.argmax(t.reshape(y2.shape), axis=1)
    return ev.matches(-np.mean(np.log(y2[np.arange(y2.shape[0]), labels])))


def _missing_div_n(ev: Evidence) -> bool:
    return ev.matches(ev.want["dx"] * _n(ev))


def _swl_ignores_dout(ev: Evidence) -> bool:
    return ev.matches(ev.want["dx"] / ev.inputs["dout"])


def _wrong_denominator(ev: Evidence) -> bool:
    got, want = ev.got["grad"].astype(np.float64), ev.want["grad"]
    if got.shape != want.shape or not np.isfinite(got).all():
        return False
    ratio = float(np.sum(got * want) / np.sum(want * want))
    return abs(ratio - 1) > 0.01 and close(got, ratio * want, scale=np.abs(want).max())


def _forward_difference(ev: Evidence) -> bool:
    x, c, d = ev.inputs["x"], ev.inputs["c"], ev.inputs["d"]
    h = 1e-4  # (f(x+h) - f(x)) / h = f'(x) + h f''(x)/2 + h^2 f'''(x)/6 for the cubic under test
    forward = ev.want["grad"] + h * (3 * c * x + d) + h * h * c
    return close(ev.got["grad"], forward, scale=np.abs(forward).max())


def _layers_not_reversed(ev: Evidence) -> bool:
    """The first layer whose backward ran was the first of the forward pass (lastLayer, -1, aside)."""
    order, count = ev.got.get("backward_order"), ev.got.get("layer_count")
    if order is None or count is None or int(count) < 2:
        return False
    visited = order[order >= 0]
    return visited.size > 0 and int(visited[0]) == 0


def _mul_swapped(ev: Evidence) -> bool:
    dout = ev.inputs["dout"]
    return ev.matches(dout * ev.inputs[ev.output[1:]])


CATALOG: dict[str, Bug] = {bug.id: bug for bug in [
    # Failures of the run itself, and of the interface.
    Bug("wrong_name", "{error}{suggestion}", "{error}{suggestion}", "error"),
    Bug("syntax_error", "{file} does not run: {error}; fix it so that what the file defines can be graded",
        "{file} 파일을 실행할 수 없습니다: {error}. 이 오류를 고쳐야 파일에 정의한 것을 채점할 수 있습니다.", "error"),
    Bug("missing_module", "{file}, line {line} imports {module}, which the grader does not have: the chapter needs "
        "numpy only", "{file} {line}번째 줄에서 채점 환경에 없는 {module} 모듈을 가져옵니다. 이 장은 numpy만 있으면 "
        "됩니다.", "error"),
    Bug("load_error", "{file} stopped at line {line} with {error}, before {name} was defined",
        "{file} 파일이 {line}번째 줄에서 {error} 오류로 멈춰 {name}이(가) 정의되지 않았습니다.", "error"),
    Bug("unreadable", "{error}: nothing in it could be graded; hand in the notebook as Jupyter saved it",
        "{error}: 아무것도 채점할 수 없었습니다. Jupyter가 저장한 노트북 그대로 제출하세요.", "error"),
    Bug("runtime_error", "raised {error}", "실행 중 예외가 발생했습니다: {error}", "error"),
    Bug("timeout", "{error}: an endless loop?", "{error}: 무한 루프가 아닌지 확인하세요.", "error"),
    Bug("crashed", "{error}", "프로세스가 비정상 종료되었습니다: {error}", "error"),
    Bug("out_of_memory", "{error}", "메모리를 너무 많이 사용했습니다: {error}", "error"),
    Bug("output_flood", "{error}: remove the print in a loop", "출력이 너무 많습니다: 반복문 안의 print를 지우세요.",
        "error"),
    Bug("invalid_output", "{error}: return a numpy array", "{error}: numpy 배열을 반환하세요.", "error"),
    Bug("missing_return", "{what} is None: a missing return (or the attribute was never set)?",
        "{what}이(가) None입니다: return 문(또는 속성 저장)을 빠뜨리지 않았나요?"),
    Bug("wrong_shape", "{what} has shape {got_shape}; it should be {want_shape}",
        "{what}의 형상이 {got_shape}입니다. {want_shape}이어야 합니다."),
    Bug("wrong_value", "{what} is wrong at {where}: expected {expected}, got {got} (|diff| {diff} > tol {tol}; "
        "{count} elements off)",
        "{what}의 값이 틀렸습니다. 위치 {where}: 기댓값 {expected}, 실제 {got} (차이 {diff} > 허용 오차 {tol}, "
        "틀린 원소 {count}개)"),
    Bug("gradient_mismatch", "{what} fails the directional-derivative test: along a random direction backprop gives "
        "{analytic}, the central difference {numeric}; element {where}: backprop {got}, numerical {expected}",
        "{what}이(가) 방향 미분 검사를 통과하지 못했습니다: 임의의 방향으로 역전파는 {analytic}, 중심 차분은 {numeric}입니다. "
        "원소 {where}: 역전파 {got}, 수치 미분 {expected}"),
    Bug("input_mutated", "{what} was changed in place: copy it first (x.copy()) instead of writing into the caller's array",
        "인자로 받은 {what}을(를) 그 자리에서 바꿨습니다: 호출한 쪽의 배열에 쓰지 말고 먼저 복사(x.copy())하세요."),
    Bug("ignores_dout", "{what} ignores dout: it is the local derivative only; multiply by the upstream gradient dout",
        "{what}이(가) dout을 무시합니다: 국소 미분만 계산했습니다. 상류에서 온 기울기 dout을 곱하세요.",
        detect=_ignores_dout),
    # Nodes.
    Bug("mul.swapped", "{what} uses its own input: the gradient of x*y with respect to x is dout*y, and to y is dout*x",
        "{what}에 자기 입력을 곱했습니다: x*y를 x로 미분하면 dout*y, y로 미분하면 dout*x입니다 (입력을 서로 바꿔 곱하세요).",
        detect=_mul_swapped),
    # ReLU.
    Bug("relu.mask_at_zero", "dx passes dout through where x == 0: the mask must be x <= 0 (the textbook's convention)",
        "x == 0인 곳에서 dout을 그대로 흘려보냈습니다: 마스크는 x <= 0이어야 합니다 (교재의 규약).",
        detect=_relu_mask_at_zero),
    Bug("relu.mask_from_dout", "the mask comes from dout's sign; it must come from the forward input x (x <= 0)",
        "마스크를 dout의 부호로 만들었습니다: 순전파 입력 x로 만들어야 합니다 (x <= 0).", detect=_relu_mask_from_dout),
    Bug("relu.no_mask", "dx equals dout: the mask from forward (x <= 0) was not applied",
        "dx가 dout과 같습니다: 순전파에서 저장한 마스크(x <= 0)를 적용하지 않았습니다.", detect=_relu_no_mask),
    Bug("relu.dout_in_place", "backward zeroes dout in place (the book's habit): harmless here, but the caller's dout "
        "changes", "backward가 dout을 그 자리에서 0으로 바꿉니다 (교재의 방식): 여기서는 괜찮지만 호출한 쪽의 dout이 바뀝니다.",
        "warning"),
    # Sigmoid.
    Bug("sigmoid.backward_uses_x", "dx = dout*x*(1-x): the derivative is y*(1-y) with y the forward output, not x",
        "dx = dout*x*(1-x)로 계산했습니다: 미분은 순전파 출력 y로 y*(1-y)입니다. x가 아니라 y(self.out)를 쓰세요.",
        detect=_sigmoid_uses_x),
    Bug("sigmoid.overflow", "{what} is inf or nan for large |x|: exp overflows; use exp(-|x|) or np.clip",
        "|x|가 클 때 {what}이(가) inf나 nan이 됩니다: exp가 넘칩니다(overflow). exp(-|x|) 형태나 np.clip을 쓰세요.",
        detect=_not_finite),
    # Affine.
    Bug("affine.db_not_summed", "db has shape {got_shape}; it should be {want_shape}: sum over the batch axis (axis=0)",
        "db의 형상이 {got_shape}입니다. {want_shape}이어야 합니다: 배치 축(axis=0)으로 합하세요.",
        detect=_db_not_summed),
    Bug("affine.db_wrong_axis", "db is summed over axis 1; sum over the batch axis: np.sum(dout, axis=0)",
        "db를 axis=1로 합했습니다: 배치 축으로 합하세요 (np.sum(dout, axis=0)).", detect=_db_wrong_axis),
    Bug("affine.db_averaged", "db is the batch mean of dout; it is the sum: np.sum(dout, axis=0)",
        "db를 배치 평균으로 구했습니다: 합이어야 합니다 (np.sum(dout, axis=0)). 평균은 손실 계층이 이미 했습니다.",
        detect=_db_averaged),
    Bug("affine.dw_transposed", "dW has shape {got_shape}, the transpose of what it should be: dW = x.T @ dout",
        "dW의 형상이 {got_shape}로, 전치되어 있습니다: dW = x.T @ dout 입니다.", detect=_dw_transposed),
    Bug("affine.dw_averaged", "dW is divided by the batch size; it is x.T @ dout, no mean",
        "dW를 배치 크기로 나눴습니다: dW = x.T @ dout 이고, 평균을 내지 않습니다.", detect=_averaged),
    Bug("affine.dx_not_reshaped", "dx has shape {got_shape}; it should be the input's shape {want_shape}: "
        "reshape it back (dx.reshape(*self.original_x_shape))",
        "dx의 형상이 {got_shape}입니다. 입력의 형상 {want_shape}으로 되돌려야 합니다 (dx.reshape(*self.original_x_shape)).",
        detect=_dx_not_reshaped),
    Bug("affine.x_not_flattened", "fails on 4-D input ({error}): flatten x to (N, -1) in forward",
        "4차원 입력에서 실패합니다 ({error}): forward에서 x를 (N, -1)로 평탄화하세요."),
    # softmax and cross-entropy.
    Bug("softmax.whole_batch", "normalised over the whole batch: each row must sum to 1 (sum over axis=1, keepdims)",
        "배치 전체로 정규화했습니다: 각 행의 합이 1이어야 합니다 (axis=1, keepdims=True로 합하세요).",
        detect=_softmax_whole_batch),
    Bug("softmax.wrong_axis", "normalised over axis 0 (the batch): each row, one sample, must sum to 1",
        "axis=0(배치 축)으로 정규화했습니다: 샘플 하나인 각 행의 합이 1이어야 합니다.", detect=_softmax_wrong_axis),
    Bug("softmax.no_max_shift", "{what} is inf or nan for large inputs: subtract each row's maximum before exp",
        "입력이 클 때 {what}이(가) inf나 nan입니다: exp 전에 각 행의 최댓값을 빼세요.", detect=_not_finite),
    Bug("cross_entropy.not_averaged", "the loss is summed over the batch; divide by the batch size N",
        "손실을 배치에 대해 합하기만 했습니다: 배치 크기 N으로 나누세요.", detect=_not_averaged),
    Bug("cross_entropy.one_hot_only", "works for one-hot targets only; with label indices use y[np.arange(N), t] "
        "({error})", "원-핫 정답에서만 동작합니다: 레이블 인덱스는 y[np.arange(N), t]로 고르세요 ({error})"),
    Bug("cross_entropy.no_delta", "no 1e-7 inside the log: log(0) would give -inf", "log 안에 1e-7이 없습니다: "
        "log(0)이면 -inf가 됩니다.", "warning", detect=_cross_entropy_no_delta),
    Bug("softmax_with_loss.missing_div_n", "dx = y - t: divide by the batch size N ((y - t) / N)",
        "dx = y - t로 계산했습니다: 배치 크기 N으로 나누세요 ((y - t) / N).", detect=_missing_div_n),
    Bug("softmax_with_loss.loss_not_averaged", "the loss is summed over the batch; it is the mean",
        "손실을 배치에 대해 합했습니다: 평균이어야 합니다.", detect=_not_averaged),
    Bug("softmax_with_loss.one_hot_only", "works for one-hot targets only; with label indices subtract 1 at "
        "dx[np.arange(N), t] ({error})",
        "원-핫 정답에서만 동작합니다: 레이블 인덱스라면 dx[np.arange(N), t]에서 1을 빼세요 ({error})"),
    Bug("softmax_with_loss.ignores_dout", "backward ignores dout (the book does too): harmless as the last layer",
        "backward가 dout을 무시합니다 (교재도 그렇습니다): 마지막 계층이라 괜찮습니다.", "warning",
        detect=_swl_ignores_dout),
    # numerical_gradient.
    Bug("numerical_gradient.not_restored", "x is not restored after perturbing it: put back x[idx] = tmp_val",
        "x를 바꾼 뒤 되돌려 놓지 않았습니다: x[idx] = tmp_val로 복원하세요."),
    Bug("numerical_gradient.wrong_denominator", "the result is {ratio} times the derivative: the central difference "
        "divides by 2*h", "결과가 미분의 {ratio}배입니다: 중심 차분은 2*h로 나눕니다.", detect=_wrong_denominator),
    Bug("numerical_gradient.forward_difference", "a forward difference (f(x+h) - f(x)) / h: use the central "
        "difference (f(x+h) - f(x-h)) / (2*h)", "전방 차분 (f(x+h) - f(x)) / h를 썼습니다: 중심 차분 "
        "(f(x+h) - f(x-h)) / (2*h)을 쓰세요.", detect=_forward_difference),
    # TwoLayerNet.
    Bug("two_layer_net.layers_not_reversed", "backward visits the layers in forward order: reverse them "
        "(layers.reverse())", "역전파에서 계층을 순전파와 같은 순서로 호출했습니다: 순서를 뒤집으세요 (layers.reverse()).",
        detect=_layers_not_reversed),
]}


CATALOG.update({bug.id: bug for bug in [
    # Training: how a run parts from the oracles' SGD steps, and what the accuracy run shows.
    # The chapter's scripts, graded by what they print.
    Bug("book_scripts.wrong_value", "{file} prints {got}; the book's graph gives {expected}: check MulLayer and "
        "AddLayer (backward multiplies dout by the other input)", "{file}이(가) {got}을(를) 출력합니다. 책의 계산 "
        "그래프로는 {expected}입니다: MulLayer와 AddLayer를 확인하세요(역전파는 dout에 다른 쪽 입력을 곱합니다)."),
    Bug("book_scripts.gradient_check_differs", "{file}: backprop and the numerical gradient differ by {got} for "
        "{key} (a right backprop agrees to below {tol}): the gradient of {key} is wrong",
        "{file}: {key}에서 오차역전파와 수치 미분의 차이가 {got}입니다(올바르면 {tol} 미만). {key}의 기울기가 틀렸습니다."),
    Bug("training.layers_hold_copies", "step {step}: the gradient is the one of the initial parameters: the layers "
        "hold copies of W and b, so the updates to params never reach them; pass the arrays themselves to Affine",
        "{step}번째 단계: 기울기가 초기 매개변수의 기울기 그대로입니다. 계층이 W와 b의 복사본을 들고 있어서 params를 갱신해도 "
        "계층에 전달되지 않습니다. Affine에 배열 자체를 넘기세요 (copy() 없이)."),
    Bug("training.params_not_updated", "step {step}: the parameters do not change: the update goes to a copy of "
        "params; update network.params[key] in place (-=)",
        "{step}번째 단계: 매개변수가 바뀌지 않습니다. 갱신이 params의 복사본에 적용되었습니다. network.params[key]를 그 자리에서 "
        "갱신하세요 (-=)."),
    Bug("training.update_sign", "step {step}: the update adds the gradient: gradient descent subtracts it "
        "(params[key] -= learning_rate * grad[key])",
        "{step}번째 단계: 기울기를 더했습니다. 경사 하강법은 기울기를 뺍니다 (params[key] -= learning_rate * grad[key])."),
    Bug("training.learning_rate_ignored", "step {step}: the update is the whole gradient: multiply it by the "
        "learning rate ({lr})", "{step}번째 단계: 기울기를 그대로 뺐습니다. 학습률({lr})을 곱하세요."),
    Bug("training.step_scaled", "step {step}: the update is {ratio} times the SGD step: use the learning rate "
        "as given ({lr}), once", "{step}번째 단계: 갱신량이 SGD 단계의 {ratio}배입니다. 주어진 학습률({lr})을 한 번만 곱하세요."),
    Bug("training.labels_shuffled", "step {step}: row {index} of the mini-batch has another image's label: index "
        "x_train and t_train with the same batch_mask",
        "{step}번째 단계: 미니배치의 {index}번째 행에 다른 이미지의 레이블이 붙었습니다. x_train과 t_train을 같은 batch_mask로 "
        "고르세요."),
    Bug("training.wrong_layer_gradient", "step {step}: a gradient of the wrong layer: shapes of {a} and {b} meet "
        "in the update ({error})", "{step}번째 단계: 다른 계층의 기울기를 썼습니다. 갱신에서 {a}와 {b}의 형상이 "
        "맞부딪힙니다 ({error})"),
    Bug("training.iterations", "train called gradient {calls} times for iters_num={iters}",
        "train이 iters_num={iters}인데 gradient를 {calls}번 불렀습니다."),
    Bug("training.diverged", "step {step}: {what} parts from the oracle's SGD step at {where}: expected {expected}, "
        "got {got} (|diff| {diff} > tol {tol})",
        "{step}번째 단계: {what}이(가) 오라클의 SGD 단계와 달라졌습니다. 위치 {where}: 기댓값 {expected}, 실제 {got} "
        "(차이 {diff} > 허용 오차 {tol})"),
    Bug("training.stalled", "accuracy stays at {acc}: the parameters do not change",
        "정확도가 {acc}에 머뭅니다: 매개변수가 바뀌지 않습니다."),
    Bug("training.not_finite", "the loss became nan or inf by step {step}: a gradient or the learning rate blows up",
        "{step}번째 단계까지 손실이 nan이나 inf가 되었습니다: 기울기나 학습률이 발산합니다."),
    Bug("training.below_threshold", "test accuracy {acc} after {iters} steps on {dataset} is below {threshold}",
        "{dataset}에서 {iters}단계 학습한 뒤의 시험 정확도({acc})가 기준({threshold})에 못 미칩니다."),
]})


def bug(bug_id: str) -> Bug:
    return CATALOG[bug_id]


def diagnose(candidates: tuple[str, ...], evidence: Evidence) -> Bug | None:
    """The first candidate whose detector explains the evidence."""
    for bug_id in candidates:
        detector = CATALOG[bug_id].detect
        try:
            if detector is not None and detector(evidence):
                return CATALOG[bug_id]
        except (KeyError, ValueError, IndexError, ZeroDivisionError, FloatingPointError):
            continue  # this transformation does not apply to these inputs
    return None
