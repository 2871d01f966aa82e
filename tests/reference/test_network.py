"""TwoLayerNet: structure, shared params, and backprop against central differences on real digits."""
import numpy as np
import pytest

from labdata import load_mnist
from reference import Affine, Relu, SoftmaxWithLoss, TwoLayerNet

EPSILON = 1e-7  # inside cross_entropy_error's log


def test_layers_are_in_order_and_hold_the_params_themselves():
    net = TwoLayerNet(4, 3, 2, rng=np.random.default_rng(0))
    assert list(net.layers) == ["Affine1", "Relu1", "Affine2"]
    assert isinstance(net.layers["Affine1"], Affine) and isinstance(net.layers["Relu1"], Relu)
    assert isinstance(net.lastLayer, SoftmaxWithLoss)
    assert net.layers["Affine1"].W is net.params["W1"] and net.layers["Affine2"].b is net.params["b2"]


def test_float32_net_stays_float32():
    net = TwoLayerNet(4, 3, 2, rng=np.random.default_rng(0), dtype=np.float32)
    x = np.random.default_rng(1).normal(size=(5, 4)).astype(np.float32)
    grads = net.gradient(x, np.array([0, 1, 1, 0, 1]))
    assert all(p.dtype == np.float32 for p in net.params.values())
    assert all(g.dtype == np.float32 for g in grads.values())


def test_accuracy_takes_labels_or_one_hot():
    net = TwoLayerNet(4, 3, 2, rng=np.random.default_rng(0))
    x = np.random.default_rng(1).normal(size=(6, 4))
    labels = np.array([0, 1, 1, 0, 1, 0])
    assert net.accuracy(x, labels) == net.accuracy(x, np.eye(2)[labels])


def test_gradient_matches_numerical_gradient_on_a_small_net():
    rng = np.random.default_rng(2)
    net = TwoLayerNet(5, 4, 3, weight_init_std=1.0, rng=rng)
    x, t = rng.normal(size=(4, 5)), np.array([2, 0, 1, 1])
    backprop, numeric = net.gradient(x, t), net.numerical_gradient(x, t)
    assert all(np.allclose(backprop[k], numeric[k], rtol=1e-4, atol=1e-6) for k in net.params)


def _gradient_of_the_loss_with_epsilon(net, x, t):
    """Backprop of the loss as written, log(y_t + 1e-7): each sample's (y - t)/N scaled by y_t / (y_t + 1e-7)."""
    net.loss(x, t)
    y = net.lastLayer.y
    y_t = y[np.arange(len(t)), t]
    dout = (y - np.eye(y.shape[1])[t]) * (y_t / (y_t + EPSILON))[:, None] / len(t)
    for layer in reversed(net.layers.values()):
        dout = layer.backward(dout)
    return {"W1": net.layers["Affine1"].dW, "b1": net.layers["Affine1"].db,
            "W2": net.layers["Affine2"].dW, "b2": net.layers["Affine2"].db}


@pytest.mark.slow
def test_gradient_check_on_three_real_digits():
    """Backprop against central differences on a 784-50-10 net, three real digits, float64.

    The two differ by about 1e-7 where gradients are largest, and that is not rounding:
    the loss has log(y_t + 1e-7) while backprop differentiates log(y_t), so the numerical
    gradient is backprop's times y_t / (y_t + 1e-7), about 1 - 1e-6 at the initial y_t ~ 0.1.
    Backprop of the loss *with* the 1e-7 removes that gap, which proves the explanation.
    """
    (x, t), _ = load_mnist(dtype=np.float64)
    x, t = x[:3], t[:3]
    net = TwoLayerNet(784, 50, 10, rng=np.random.default_rng(0))
    backprop = net.gradient(x, t)
    numeric = net.numerical_gradient(x, t)
    with_epsilon = _gradient_of_the_loss_with_epsilon(net, x, t)
    gap = {k: float(np.mean(np.abs(backprop[k] - numeric[k]))) for k in net.params}
    residual = {k: float(np.mean(np.abs(with_epsilon[k] - numeric[k]))) for k in net.params}
    assert all(g <= 1e-6 for g in gap.values()), gap
    assert 1e-8 < gap["b2"] < 1e-6, gap  # the floor is there, and it is this size
    assert all(residual[k] < gap[k] / 100 for k in ("W2", "b2")), (gap, residual)
    assert all(r < 1e-9 for r in residual.values()), residual
