"""The trainer's bug classes: how a run parts from the oracles' SGD step, and what the accuracy run shows.

A step's detectors read ``StepEvidence``: how every parameter moved in one step, beside the oracle's step and
the step the layers would take if they still held the parameters the constructor made.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from graders.bugs import Bug
from graders.compare import close
from graders.components import PARAMETERS

Params = dict[str, np.ndarray]


@dataclass(frozen=True)
class StepEvidence:
    delta: Params        # what the student's step changed
    true_step: Params    # -lr ∇L(θ): the oracle's step
    stale_step: Params   # -lr ∇L at the constructed parameters: the step of layers that hold copies
    lr: float
    own_update: bool     # the student's own loop made the update (the grader's loop cannot get it wrong)

    def moved_by(self, candidate: Params) -> bool:
        return all(self.delta[k].shape == candidate[k].shape
                   and close(self.delta[k], candidate[k], scale=np.abs(candidate[k]).max() + 1e-12) for k in PARAMETERS)

    @cached_property
    def ratio(self) -> float | None:
        """c when every parameter moved by c times the oracle's step (c != 1), else None."""
        flat_delta = np.concatenate([self.delta[k].ravel() for k in PARAMETERS])
        flat_true = np.concatenate([self.true_step[k].ravel() for k in PARAMETERS])
        if flat_delta.shape != flat_true.shape or not np.any(flat_true):
            return None
        ratio = float(flat_delta @ flat_true / (flat_true @ flat_true))
        scaled = ratio * flat_true
        if abs(ratio - 1) < 1e-6 or not close(flat_delta, scaled, scale=np.abs(scaled).max()):
            return None
        return ratio


def _not_updated(ev: StepEvidence) -> bool:
    return ev.own_update and all(not np.any(ev.delta[k]) for k in PARAMETERS)


def _sign(ev: StepEvidence) -> bool:
    return ev.own_update and ev.moved_by({k: -v for k, v in ev.true_step.items()})


def _lr_ignored(ev: StepEvidence) -> bool:
    return ev.own_update and ev.lr != 1 and ev.moved_by({k: v / ev.lr for k, v in ev.true_step.items()})


def _scaled(ev: StepEvidence) -> bool:
    return ev.own_update and ev.ratio is not None


PARAMS_NOT_UPDATED = Bug("training.params_not_updated", "step {step}: the parameters do not change: the update goes to "
                         "a copy of params; update network.params[key] in place (-=)",
                         "{step}번째 단계: 매개변수가 바뀌지 않습니다. 갱신이 params의 복사본에 적용되었습니다. "
                         "network.params[key]를 그 자리에서 갱신하세요 (-=).", detect=_not_updated)
UPDATE_SIGN = Bug("training.update_sign", "step {step}: the update adds the gradient: gradient descent subtracts it "
                  "(params[key] -= learning_rate * grad[key])", "{step}번째 단계: 기울기를 더했습니다. 경사 하강법은 "
                  "기울기를 뺍니다 (params[key] -= learning_rate * grad[key]).", detect=_sign)
LEARNING_RATE_IGNORED = Bug("training.learning_rate_ignored", "step {step}: the update is the whole gradient: multiply "
                            "it by the learning rate ({lr})", "{step}번째 단계: 기울기를 그대로 뺐습니다. 학습률({lr})을 "
                            "곱하세요.", detect=_lr_ignored)
LAYERS_HOLD_COPIES = Bug("training.layers_hold_copies", "step {step}: the gradient is the one of the initial "
                         "parameters: the layers hold copies of W and b, so the updates to params never reach them; "
                         "pass the arrays themselves to Affine", "{step}번째 단계: 기울기가 초기 매개변수의 기울기 "
                         "그대로입니다. 계층이 W와 b의 복사본을 들고 있어서 params를 갱신해도 계층에 전달되지 않습니다. "
                         "Affine에 배열 자체를 넘기세요 (copy() 없이).", detect=lambda ev: ev.moved_by(ev.stale_step))
STEP_SCALED = Bug("training.step_scaled", "step {step}: the update is {ratio} times the SGD step: use the learning "
                  "rate as given ({lr}), once", "{step}번째 단계: 갱신량이 SGD 단계의 {ratio}배입니다. 주어진 "
                  "학습률({lr})을 한 번만 곱하세요.", detect=_scaled)
STEP_BUGS = (PARAMS_NOT_UPDATED, UPDATE_SIGN, LEARNING_RATE_IGNORED, LAYERS_HOLD_COPIES, STEP_SCALED)  # in this order

LABELS_SHUFFLED = Bug("training.labels_shuffled", "step {step}: row {index} of the mini-batch has another image's "
                      "label: index x_train and t_train with the same batch_mask",
                      "{step}번째 단계: 미니배치의 {index}번째 행에 다른 이미지의 레이블이 붙었습니다. x_train과 "
                      "t_train을 같은 batch_mask로 고르세요.")
WRONG_LAYER_GRADIENT = Bug("training.wrong_layer_gradient", "step {step}: a gradient of the wrong layer: shapes of {a} "
                           "and {b} meet in the update ({error})", "{step}번째 단계: 다른 계층의 기울기를 썼습니다. "
                           "갱신에서 {a}와 {b}의 형상이 맞부딪힙니다 ({error})")
ITERATIONS = Bug("training.iterations", "train called gradient {calls} times for iters_num={iters}",
                 "train이 iters_num={iters}인데 gradient를 {calls}번 불렀습니다.")
DIVERGED = Bug("training.diverged", "step {step}: {what} parts from the oracle's SGD step at {where}: expected "
               "{expected}, got {got} (|diff| {diff} > tol {tol})",
               "{step}번째 단계: {what}이(가) 오라클의 SGD 단계와 달라졌습니다. 위치 {where}: 기댓값 {expected}, 실제 "
               "{got} (차이 {diff} > 허용 오차 {tol})")
STALLED = Bug("training.stalled", "accuracy stays at {acc}: the parameters do not change",
              "정확도가 {acc}에 머뭅니다: 매개변수가 바뀌지 않습니다.")
NOT_FINITE = Bug("training.not_finite", "the loss became nan or inf by step {step}: a gradient or the learning rate "
                 "blows up", "{step}번째 단계까지 손실이 nan이나 inf가 되었습니다: 기울기나 학습률이 발산합니다.")
BELOW_THRESHOLD = Bug("training.below_threshold", "test accuracy {acc} after {iters} steps on {dataset} is below "
                      "{threshold}", "{dataset}에서 {iters}단계 학습한 뒤의 시험 정확도({acc})가 기준({threshold})에 "
                      "못 미칩니다.")
BUGS = (*STEP_BUGS, LABELS_SHUFFLED, WRONG_LAYER_GRADIENT, ITERATIONS, DIVERGED, STALLED, NOT_FINITE, BELOW_THRESHOLD)
