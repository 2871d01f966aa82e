"""What a training check runs: the data set, the schedule, the budget and the bar to clear."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from labdata.errors import LabError

# Test accuracy to reach, per data set and number of SGD steps (batch 100, learning rate 0.1, hidden 50).
# The reference reaches 0.937 / 0.921 / 0.908 on mnist-10k at 10,000 / 2,000 / 1,000 steps; the book's
# code 0.933-0.940 on the same split, about 0.97 on full MNIST and 0.868 on Fashion-MNIST.
THRESHOLDS: dict[str, dict[int, float]] = {
    "mnist-10k": {10_000: 0.93, 2_000: 0.90, 1_000: 0.88},
    "mnist": {10_000: 0.95, 2_000: 0.91},
    "fashion-mnist": {10_000: 0.86, 2_000: 0.80},
}


class SettingsError(LabError, ValueError):
    """A training schedule the config has no threshold for."""


@dataclass(frozen=True)
class TrainingSettings:
    dataset: str = "mnist-10k"
    data_dir: str | None = None
    iters: int = 10_000
    batch_size: int = 100
    learning_rate: float = 0.1
    hidden_size: int = 50
    seed: int = 0
    replay_steps: int = 5
    budget_seconds: float = 120.0
    evaluations: int = 25              # parameter snapshots evaluated along the run
    threshold: float = 0.93
    accuracy_loops: tuple[str, ...] = ("grader", "own")  # which loops also get the (long) accuracy run

    @property
    def snapshot_every(self) -> int:
        return max(1, -(-self.iters // self.evaluations))


def settings_from(raw: Mapping[str, Any], *, dataset: str | None = None, iters: int | None = None,
                  data_dir: str | None = None) -> TrainingSettings:
    """The config's ``training`` section, with the command line's choices over it."""
    section = dict(raw.get("training", {}))
    dataset = dataset or section.get("dataset", "mnist-10k")
    iters = iters or int(section.get("iters", 10_000))
    thresholds = {**{str(k): v for k, v in THRESHOLDS.get(dataset, {}).items()},
                  **{str(k): v for k, v in section.get("thresholds", {}).get(dataset, {}).items()}}
    if str(iters) not in thresholds:
        known = ", ".join(sorted(thresholds, key=int)) or "none"
        raise SettingsError(f"no accuracy threshold for {iters} steps on {dataset} (known: {known}); "
                            f"set training.thresholds.{dataset}.{iters} in the grading config",
                            ko=f"{dataset}에서 {iters}단계 학습의 정확도 기준이 없습니다 (있는 것: {known}). "
                            f"채점 설정에 training.thresholds.{dataset}.{iters}를 정하세요")
    return TrainingSettings(dataset=dataset, data_dir=data_dir, iters=iters,
                            replay_steps=int(section.get("replay_steps", 5)),
                            budget_seconds=float(section.get("budget_seconds", 120.0)),
                            seed=int(section.get("seed", 0)), threshold=float(thresholds[str(iters)]))
