"""Every reference layer against central differences, on random shapes, in float64 and float32.

Each backward is checked as the gradient of L = sum(dout * forward(x)) with a dout that is
not all ones, so a backward that ignores dout cannot pass. Central differences are exact to
O(h^2) in float64; float32 layers are checked for dtype and against their float64 twin.
"""
import numpy as np
import pytest

from reference import (Affine, AddLayer, ExpLayer, MulLayer, ReciprocalLayer, Relu, Sigmoid, SoftmaxWithLoss,
                       numerical_gradient)

SEEDS = range(4)
RTOL, ATOL = 1e-6, 1e-8  # central differences with h = 1e-4 in float64


def _shape(rng):
    return tuple(int(n) for n in rng.integers(2, 6, size=rng.integers(1, 4)))


def _numeric(f, x, dout):
    x = x.copy()
    return numerical_gradient(lambda _: float(np.sum(dout * f(x))), x)


def _close(a, b):
    return np.allclose(a, b, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_mul_layer_gradients(seed):
    rng = np.random.default_rng(seed)
    shape = _shape(rng)
    x, y, dout = (rng.normal(size=shape) for _ in range(3))
    dx, dy = _backward(MulLayer(), (x, y), dout)
    assert _close(dx, _numeric(lambda v: v * y, x, dout)) and _close(dy, _numeric(lambda v: x * v, y, dout))


def _backward(layer, inputs, dout):
    layer.forward(*inputs)
    return layer.backward(dout)


def test_mul_and_add_layers_take_scalars():
    assert _backward(MulLayer(), (3.0, 4.0), 2.0) == (8.0, 6.0)
    assert _backward(AddLayer(), (3.0, 4.0), 2.0) == (2.0, 2.0)


@pytest.mark.parametrize("seed", SEEDS)
def test_add_layer_passes_dout_through(seed):
    rng = np.random.default_rng(seed)
    x, y, dout = (rng.normal(size=(3, 4)) for _ in range(3))
    dx, dy = _backward(AddLayer(), (x, y), dout)
    assert _close(dx, _numeric(lambda v: v + y, x, dout)) and _close(dy, _numeric(lambda v: x + v, y, dout))


@pytest.mark.parametrize("seed", SEEDS)
def test_exp_layer(seed):
    rng = np.random.default_rng(seed)
    x, dout = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    assert _close(_backward(ExpLayer(), (x,), dout), _numeric(np.exp, x, dout))


@pytest.mark.parametrize("seed", SEEDS)
def test_reciprocal_layer(seed):
    rng = np.random.default_rng(seed)
    x, dout = rng.uniform(0.5, 3, size=(3, 4)), rng.normal(size=(3, 4))
    assert _close(_backward(ReciprocalLayer(), (x,), dout), _numeric(lambda v: 1 / v, x, dout))


@pytest.mark.parametrize("seed", SEEDS)
def test_relu_away_from_zero(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=_shape(rng))
    dout = rng.normal(size=x.shape)
    assert _close(_backward(Relu(), (x,), dout), _numeric(lambda v: np.maximum(v, 0), x, dout))


def test_relu_gradient_is_zero_at_exact_zeros():
    x = np.array([[-1.0, 0.0, 2.0], [0.0, 3.0, -0.0]])
    dout = np.array([[5.0, 6.0, 7.0], [8.0, 9.0, 10.0]])
    layer = Relu()
    assert np.array_equal(layer.forward(x), [[0, 0, 2], [0, 3, 0]])
    assert np.array_equal(layer.backward(dout), [[0, 0, 7], [0, 9, 0]])


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(scale=3, size=_shape(rng))
    dout = rng.normal(size=x.shape)
    assert _close(_backward(Sigmoid(), (x,), dout), _numeric(lambda v: 1 / (1 + np.exp(-v)), x, dout))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_never_overflows_or_warns(dtype):
    x = np.array([-1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4], dtype)
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # what numpy warns about
        layer = Sigmoid()
        y = layer.forward(x)
        dx = layer.backward(np.ones_like(x))
    assert y.dtype == dtype and dx.dtype == dtype
    assert y[0] == 0 and y[3] == 0.5 and y[-1] == 1
    assert np.all((0 <= y) & (y <= 1)) and np.all(dx >= 0)


def test_sigmoid_from_its_graph_nodes_equals_the_sigmoid_layer():
    """x -> x*(-1) -> exp -> +1 -> 1/x, forward and backward, node by node."""
    rng = np.random.default_rng(7)
    x, dout = rng.normal(scale=2, size=(4, 5)), rng.normal(size=(4, 5))
    negate, exp, plus_one, reciprocal = MulLayer(), ExpLayer(), AddLayer(), ReciprocalLayer()
    y = reciprocal.forward(plus_one.forward(exp.forward(negate.forward(x, -1.0)), 1.0))
    d_plus_one = reciprocal.backward(dout)
    d_exp, _ = plus_one.backward(d_plus_one)
    d_negate = exp.backward(d_exp)
    dx, _ = negate.backward(d_negate)
    sigmoid = Sigmoid()
    assert np.allclose(y, sigmoid.forward(x), rtol=1e-14, atol=0)
    assert np.allclose(dx, sigmoid.backward(dout), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("seed", SEEDS)
def test_affine_on_4d_input(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(3, 2, 2, 2))
    W, b, dout = rng.normal(size=(8, 5)), rng.normal(size=5), rng.normal(size=(3, 5))
    layer = Affine(W, b)
    out = layer.forward(x)
    dx = layer.backward(dout)
    assert out.shape == (3, 5) and dx.shape == x.shape
    assert _close(dx, _numeric(lambda v: v.reshape(3, -1) @ W + b, x, dout))
    assert _close(layer.dW, _numeric(lambda v: x.reshape(3, -1) @ v + b, W, dout))
    assert _close(layer.db, _numeric(lambda v: x.reshape(3, -1) @ W + v, b, dout))
    assert layer.db.shape == (5,)


def test_affine_shares_w_and_b_so_in_place_updates_reach_it():
    W, b = np.ones((2, 3)), np.zeros(3)
    layer = Affine(W, b)
    W -= 0.5
    b += 1.0
    assert np.array_equal(layer.forward(np.ones((1, 2))), [[2.0, 2.0, 2.0]])


def _softmax_loss(x, labels):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    return -np.mean(np.log(y[np.arange(len(x)), labels] + 1e-7))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("target", ["labels", "one-hot"])
def test_softmax_with_loss_batch_size_different_from_class_count(seed, target):
    rng = np.random.default_rng(seed)
    n, k = 5, 3
    x, labels = rng.normal(size=(n, k)), rng.integers(0, k, n)
    t = labels if target == "labels" else np.eye(k)[labels]
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, t)
    dx = layer.backward(1)
    assert loss == pytest.approx(_softmax_loss(x, labels), rel=1e-12)
    # backprop differentiates log(y) while the loss has log(y + 1e-7): they differ by ~1e-7 * (y - t)/N
    numeric = numerical_gradient(lambda v: _softmax_loss(v, labels), x)
    assert np.allclose(dx, numeric, rtol=1e-5, atol=1e-6)


def test_softmax_with_loss_scales_by_dout():
    x, t = np.array([[1.0, 2.0, 0.5]]), np.array([1])
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    assert np.allclose(layer.backward(2.5), 2.5 * layer.backward(1))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_layers_keep_the_input_dtype(dtype):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 6)).astype(dtype)
    dout = rng.normal(size=(4, 6)).astype(dtype)
    for layer in (Relu(), Sigmoid(), ExpLayer()):
        assert layer.forward(x).dtype == dtype and layer.backward(dout).dtype == dtype
    affine = Affine(rng.normal(size=(6, 3)).astype(dtype), np.zeros(3, dtype))
    assert affine.forward(x).dtype == dtype
    assert affine.backward(dout[:, :3]).dtype == dtype and affine.dW.dtype == dtype and affine.db.dtype == dtype
    loss = SoftmaxWithLoss()
    loss.forward(x, np.arange(4) % 6)
    assert loss.backward(1).dtype == dtype


def test_no_layer_writes_into_its_inputs():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 6))
    x[0, :3] = 0.0
    dout = rng.normal(size=(4, 6))
    W, b = rng.normal(size=(6, 6)), rng.normal(size=6)
    t = np.array([0, 2, 1, 5])
    saved = [a.copy() for a in (x, dout, W, b, t)]
    for layer, inputs in ((Relu(), (x,)), (Sigmoid(), (x,)), (ExpLayer(), (x,)), (MulLayer(), (x, dout)),
                          (AddLayer(), (x, dout)), (Affine(W, b), (x,))):
        layer.forward(*inputs)
        layer.backward(dout)
    loss = SoftmaxWithLoss()
    loss.forward(x, t)
    loss.backward(1)
    assert all(np.array_equal(a, s) for a, s in zip((x, dout, W, b, t), saved))
