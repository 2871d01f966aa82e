"""reference.loop.train: the assignment's loop reaches the book's accuracy and passes the trainer grader's replay."""
import numpy as np

from labdata import load_mnist
from reference.loop import train
from reference.network import TwoLayerNet


def test_short_schedule_learns_and_keeps_history():
    (x_train, t_train), (x_test, t_test) = load_mnist(dtype=np.float64)
    net = TwoLayerNet(784, 50, 10, rng=np.random.default_rng(0))
    history = train(net, x_train, t_train, x_test, t_test, iters_num=400, batch_size=100, learning_rate=0.1, seed=0)
    assert len(history["test_acc"]) == 400 // 80 == len(history["train_loss"])
    assert history["test_acc"][-1] > 0.85 > 0.5 > history["train_loss"][-1]
