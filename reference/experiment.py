"""The training run as a person sees it: a progress bar, a per-epoch table, a curve and a JSON history."""
from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from reference.train import History, TrainConfig, train_network


def run_experiment(config: TrainConfig, out_dir: str | Path, *, console: Console | None = None) -> History:
    """Train with ``config``, show progress and the epoch table, write the curve and history.

    Writes ``learning_curve.png`` and ``history.json`` into ``out_dir`` (created if needed).
    """
    console = console or Console()
    out = Path(out_dir)
    columns = (TextColumn("training"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[acc]}"),
               TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("train", total=config.iters, acc="")
        history = train_network(config,
                        on_step=lambda i: bar.update(task, completed=i) if i % 50 == 0 else None,
                        on_epoch=lambda r: bar.update(task, acc=f"test acc {r.test_acc:.4f}"))
    console.print(epoch_table(history))
    out.mkdir(parents=True, exist_ok=True)
    save_history(history, out / "history.json")
    save_learning_curve(history, out / "learning_curve.png")
    steps = config.iters / history.step_seconds if history.step_seconds else float("inf")
    console.print(f"test accuracy {history.final_test_acc:.4f} after {config.iters} iterations; "
                  f"{history.step_seconds:.1f} s of steps ({steps:,.0f} steps/s), "
                  f"{history.eval_seconds:.1f} s of evaluation")
    console.print(f"wrote {out / 'learning_curve.png'} and {out / 'history.json'}")
    return history


def epoch_table(history: History) -> Table:
    """One row per evaluation: epoch, iteration, mean batch loss since the last row, accuracies."""
    c = history.config
    table = Table(title=f"{c.dataset}: hidden {c.hidden_size}, batch {c.batch_size}, "
                        f"lr {c.learning_rate}, {c.dtype}, seed {c.seed}")
    for name in ("epoch", "iteration", "loss", "train acc", "test acc"):
        table.add_column(name, justify="right")
    for r in history.epochs:
        table.add_row(f"{r.epoch:g}", str(r.iteration), f"{r.loss:.4f}", f"{r.train_acc:.4f}", f"{r.test_acc:.4f}")
    return table


def save_history(history: History, path: Path) -> None:
    """Write the history as JSON (config, every epoch, timings)."""
    path.write_text(json.dumps(history.to_dict(), indent=2) + "\n", encoding="utf-8")


def save_learning_curve(history: History, path: Path) -> None:
    """Plot accuracy and loss against the epoch into a PNG (headless)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = [r.epoch for r in history.epochs]
    fig, (acc, loss) = plt.subplots(1, 2, figsize=(10, 4))
    acc.plot(epochs, [r.train_acc for r in history.epochs], label="train")
    acc.plot(epochs, [r.test_acc for r in history.epochs], label="test", linestyle="--")
    acc.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1), title="accuracy")
    acc.legend(loc="lower right")
    loss.plot(epochs, [r.loss for r in history.epochs])
    loss.set(xlabel="epoch", ylabel="mean batch loss", title="loss", yscale="log")
    c = history.config
    fig.suptitle(f"TwoLayerNet on {c.dataset} ({c.iters} iterations, seed {c.seed}): "
                 f"test accuracy {history.final_test_acc:.4f}")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
