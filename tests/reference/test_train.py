"""The reference trainer: reproducible, dtype-faithful, and as accurate as the book's."""
import json

import numpy as np
import pytest

from labdata import load_mnist
from reference.experiment import epoch_table, run_experiment
from reference.learner import Learner
from reference.network import PARAMS, TwoLayerNet
from reference.train import TrainConfig, train_network

SHORT = TrainConfig(iters=200)


@pytest.fixture(scope="module")
def data64():
    return load_mnist(dtype=np.float64)


def test_same_seed_same_numbers(data64):
    a, b = train_network(SHORT, data=data64), train_network(SHORT, data=data64)
    assert [e.test_acc for e in a.epochs] == [e.test_acc for e in b.epochs]
    assert [e.loss for e in a.epochs] == [e.loss for e in b.epochs]


def test_another_seed_other_numbers(data64):
    a = train_network(SHORT, data=data64)
    b = train_network(TrainConfig(iters=200, seed=1), data=data64)
    assert [e.loss for e in a.epochs] != [e.loss for e in b.epochs]


def test_one_record_per_epoch_and_one_for_a_partial_last_epoch(data64):
    history = train_network(TrainConfig(iters=200), data=data64)  # 80 steps an epoch on 8,000 digits
    assert [e.iteration for e in history.epochs] == [80, 160, 200]
    assert [e.epoch for e in history.epochs] == [1, 2, 2.5]


def test_many_short_epochs_are_evaluated_at_most_25_times():
    config = TrainConfig()  # 10,000 steps of 100 on 8,000 digits: 125 epochs
    assert config.epochs_between_evaluations(8000) == 5
    assert TrainConfig(iters=1000).epochs_between_evaluations(8000) == 1
    assert TrainConfig(eval_every=2).epochs_between_evaluations(8000) == 2
    assert TrainConfig().epochs_between_evaluations(60000) == 1  # the book's 17 epochs


def _textbook_step(net: TwoLayerNet, x, t, lr):
    """The book's SGD step on a copy of ``net``'s parameters: params - lr * gradient, and the loss."""
    grads = net.gradient(x, t)
    return net.loss(x, t), {k: net.params[k] - lr * grads[k] for k in PARAMS}


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 2e-5)])
def test_a_step_is_the_textbook_networks_step(data64, dtype, rtol):
    """On the digits: same loss, same new parameters, and the border pixels' weights never move."""
    (x, t), _ = data64
    x = x.astype(dtype)
    net = TwoLayerNet(784, 50, 10, rng=np.random.default_rng(0), dtype=dtype)
    net.params["b1"][:], net.params["b2"][:] = 0.01, -0.02  # a bias that is 0 would hide a wrong db
    learner = Learner(net.params, x, t, batch_size=100)
    seen = x.any(axis=0)
    assert 50 < (~seen).sum() < 200 and learner.W1.shape == (seen.sum() + 1, 50)

    batch = np.random.default_rng(1).integers(0, len(x), 100)  # drawn with replacement, as the trainer does
    loss, expected = _textbook_step(net, x[batch], t[batch], lr=0.1)
    label_probability = np.empty(100, dtype)
    learner.sgd_step(batch, 0.1, label_probability)
    learner.write_back(net.params)

    assert -np.mean(np.log(label_probability + 1e-7)) == pytest.approx(loss, rel=rtol)
    for key in PARAMS:
        assert net.params[key].dtype == dtype and learner.flat_params.dtype == dtype
        np.testing.assert_allclose(net.params[key], expected[key], rtol=rtol, atol=rtol * 1e-4, err_msg=key)
    np.testing.assert_array_equal(net.params["W1"][~seen], expected["W1"][~seen])  # their dW1 rows are 0


def test_steps_agree_on_data_without_blank_pixels_and_any_labels():
    rng = np.random.default_rng(3)
    x, t = rng.normal(size=(12, 5)), np.array([2, 0, 1, 1, 0, 2, 2, 2, 1, 0, 0, 1], dtype=np.uint8)
    net = TwoLayerNet(5, 4, 3, rng=rng)
    learner = Learner(net.params, x, t, batch_size=6)
    for batch in (np.arange(6), np.array([5, 5, 5, 0, 11, 11])):
        loss, expected = _textbook_step(net, x[batch], t[batch], lr=0.5)
        label_probability = np.empty(6)
        learner.sgd_step(batch, 0.5, label_probability)
        learner.write_back(net.params)
        assert -np.mean(np.log(label_probability + 1e-7)) == pytest.approx(loss, rel=1e-13)
        for key in PARAMS:
            np.testing.assert_allclose(net.params[key], expected[key], rtol=1e-12, atol=1e-16, err_msg=key)


def test_a_wrong_step_is_caught_by_the_comparison():
    """The comparison above can fail: a learner that forgets the bias step does not agree."""
    rng = np.random.default_rng(3)
    x, t = rng.normal(size=(6, 5)), np.array([2, 0, 1, 1, 0, 2])
    net = TwoLayerNet(5, 4, 3, rng=rng)
    learner = Learner(net.params, x, t, batch_size=6)
    _, expected = _textbook_step(net, x, t, lr=0.5)
    learner.sgd_step(np.arange(6), 0.5, np.empty(6))
    learner.W2[-1] += learner.dW2[-1]  # undo b2's step
    learner.write_back(net.params)
    assert not np.allclose(net.params["b2"], expected["b2"], rtol=1e-6)


def test_learning_happens(data64):
    history = train_network(TrainConfig(iters=400), data=data64)
    assert history.epochs[-1].loss < 0.6 * history.epochs[0].loss
    assert history.final_test_acc > 0.8


def test_float32_run_stays_float32():
    seen = []
    history = train_network(TrainConfig(iters=100, dtype="float32"),
                    on_epoch=lambda r: seen.append(r))
    assert history.final_test_acc > 0.5
    assert len(seen) == len(history.epochs)


def test_table_has_a_row_per_evaluation(data64):
    history = train_network(TrainConfig(iters=80 * 30, eval_every=3), data=data64)
    table = epoch_table(history)
    assert table.row_count == 10
    assert [e.epoch for e in history.epochs][-2:] == [27, 30]


def test_experiment_writes_history_and_curve(tmp_path, data64):
    from rich.console import Console
    console = Console(file=open(tmp_path / "out.txt", "w"), width=100)
    history = run_experiment(TrainConfig(iters=160), tmp_path / "run", console=console)
    saved = json.loads((tmp_path / "run" / "history.json").read_text())
    assert saved["final_test_acc"] == history.final_test_acc
    assert saved["config"]["iters"] == 160 and len(saved["epochs"]) == 2
    png = (tmp_path / "run" / "learning_curve.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


@pytest.mark.slow
def test_textbook_schedule_reaches_093_on_the_embedded_digits(data64):
    """The book's own code reaches 0.933-0.940 on this split; so must the reference."""
    history = train_network(TrainConfig(), data=data64)
    assert history.final_test_acc >= 0.93
