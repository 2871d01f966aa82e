"""The learning curve and history files attached to a training check's report."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def write_artifacts(run: dict[str, Any], directory: Path, name: str) -> dict[str, str]:
    """history-NAME.json and learning_curve-NAME.png in ``directory``; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    history_path = directory / f"history-{name}.json"
    history_path.write_text(json.dumps(run, indent=1))
    curve_path = directory / f"learning_curve-{name}.png"
    history = run["history"]
    figure, accuracy_axes = plt.subplots(figsize=(6.4, 4.0), dpi=100)
    epochs = [r["epoch"] for r in history]
    accuracy_axes.plot(epochs, [r["train_acc"] for r in history], marker=".", label="train accuracy")
    accuracy_axes.plot(epochs, [r["test_acc"] for r in history], marker=".", linestyle="--", label="test accuracy")
    threshold = run["settings"].get("threshold")
    if threshold is not None:
        accuracy_axes.axhline(threshold, color="grey", linewidth=0.8, label=f"threshold {threshold:g}")
    accuracy_axes.set_xlabel("epoch")
    accuracy_axes.set_ylabel("accuracy")
    accuracy_axes.set_ylim(0, 1)
    accuracy_axes.legend(loc="lower right")
    settings = run["settings"]
    accuracy_axes.set_title(f"{settings['dataset']}, {settings['iters']} steps, {name}")
    figure.tight_layout()
    figure.savefig(curve_path)
    plt.close(figure)
    return {"history": str(history_path), "learning_curve": str(curve_path)}
