"""The reference implementation agrees with the oracles generated from the SymPy proofs (the one test importing both).

Shapes and batch sizes are random; every comparison runs in float64 and float32. Tolerances
come from rounding-error bounds rather than trial and error: an elementwise result may differ
by a few units in the last place (ulp) of its own magnitude, while a sum of K products may
differ by about K·ε times the sum of the magnitudes of its terms (|A| @ |B| for a matrix
product), which is what float32 needs when entries cancel.
"""
import numpy as np
import pytest

import graders.oracles as o
import reference

SEEDS = range(6)
DTYPES = [np.float64, np.float32]
ULPS = 8  # elementwise: a few roundings in each implementation, in either formula


def _eps(dtype) -> float:
    return float(np.finfo(dtype).eps)


def _tiny(dtype) -> float:
    return float(np.finfo(dtype).tiny)


def _close_elementwise(actual, expected, dtype, ulps: float = ULPS) -> bool:
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    return actual.shape == expected.shape and bool(np.all(
        np.abs(actual - expected) <= ulps * _eps(dtype) * np.abs(expected) + _tiny(dtype)))


def _close_within(actual, expected, bound) -> bool:
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    return actual.shape == expected.shape and bool(np.all(np.abs(actual - expected) <= bound))


def _matmul_bound(a, b, dtype):
    """Twice the bound |fl(AB) - AB| <= k·ε·(|A| @ |B|), k the inner length (+1 for a bias): both sides round."""
    a64, b64 = np.abs(np.asarray(a, np.float64)), np.abs(np.asarray(b, np.float64))
    return 2 * (a64.shape[-1] + 1) * _eps(dtype) * (a64 @ b64) + _tiny(dtype)


def _data(seed, dtype, *shape, scale=1.0):
    return (scale * np.random.default_rng(seed).normal(size=shape)).astype(dtype)


def _with_zeros(x):
    x = x.copy()
    x.flat[::3] = 0.0  # exact zeros: ReLU's kink, where the textbook's gradient is 0
    return x


def _sizes(seed):
    rng = np.random.default_rng(1000 + seed)
    return {k: int(rng.integers(1, 7)) for k in ("N", "D", "M", "K")}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_mul_layer(seed, dtype):
    s = _sizes(seed)
    x, y, dout = (_data(seed + i, dtype, s["N"], s["D"]) for i in range(3))
    layer = reference.MulLayer()
    out = layer.forward(x, y)
    dx, dy = layer.backward(dout)
    ox, oy = o.mul_backward(x, y, dout)
    assert _close_elementwise(out, o.mul_forward(x, y), dtype)
    assert _close_elementwise(dx, ox, dtype) and _close_elementwise(dy, oy, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_add_layer(seed, dtype):
    s = _sizes(seed)
    x, y, dout = (_data(seed + i, dtype, s["N"], s["D"]) for i in range(3))
    layer = reference.AddLayer()
    out = layer.forward(x, y)
    dx, dy = layer.backward(dout)
    ox, oy = o.add_backward(dout)
    assert _close_elementwise(out, o.add_forward(x, y), dtype)
    assert _close_elementwise(dx, ox, dtype) and _close_elementwise(dy, oy, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_exp_layer(seed, dtype):
    s = _sizes(seed)
    x, dout = _data(seed, dtype, s["N"], s["D"], scale=5.0), _data(seed + 1, dtype, s["N"], s["D"])
    layer = reference.ExpLayer()
    out = layer.forward(x)
    assert _close_elementwise(out, o.exp_forward(x), dtype)
    assert _close_elementwise(layer.backward(dout), o.exp_backward(o.exp_forward(x), dout), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_reciprocal_layer(seed, dtype):
    s = _sizes(seed)
    x = _data(seed, dtype, s["N"], s["D"]) + np.where(_data(seed, dtype, s["N"], s["D"]) >= 0, 0.5, -0.5).astype(dtype)
    dout = _data(seed + 1, dtype, s["N"], s["D"])
    layer = reference.ReciprocalLayer()
    out = layer.forward(x)
    assert _close_elementwise(out, o.reciprocal_forward(x), dtype)
    assert _close_elementwise(layer.backward(dout), o.reciprocal_backward(o.reciprocal_forward(x), dout), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_relu_with_exact_zeros(seed, dtype):
    s = _sizes(seed)
    x, dout = _with_zeros(_data(seed, dtype, s["N"], s["D"] + 2)), _data(seed + 1, dtype, s["N"], s["D"] + 2)
    layer = reference.Relu()
    out = layer.forward(x.copy())
    assert _close_elementwise(out, o.relu_forward(x), dtype)
    assert _close_elementwise(layer.backward(dout.copy()), o.relu_backward(x, dout), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_with_large_inputs(seed, dtype):
    s = _sizes(seed)
    x = _data(seed, dtype, s["N"], s["D"], scale=4.0)
    x = np.concatenate([x, np.array([[-1e4, -800.0, -60.0, 60.0, 800.0, 1e4]] * s["N"], dtype=dtype)], axis=1)
    dout = _data(seed + 1, dtype, *x.shape)
    layer = reference.Sigmoid()
    out = layer.forward(x)
    assert _close_elementwise(out, o.sigmoid_forward(x), dtype)
    # (1 - y) loses relative accuracy near y = 1 in both implementations alike; compare on the oracle's y.
    assert _close_elementwise(layer.backward(dout), o.sigmoid_backward(o.sigmoid_forward(x), dout), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_affine_with_4d_input(seed, dtype):
    s = _sizes(seed)
    x = _data(seed, dtype, s["N"], 2, s["D"], 3)
    W, b = _data(seed + 1, dtype, 2 * s["D"] * 3, s["M"]), _data(seed + 2, dtype, s["M"])
    dout = _data(seed + 3, dtype, s["N"], s["M"])
    layer = reference.Affine(W, b)
    out = layer.forward(x)
    dx = layer.backward(dout)
    X = x.reshape(s["N"], -1)
    odx, odW, odb = o.affine_backward(x, W, dout)
    with_bias = _matmul_bound(np.c_[X, np.ones(s["N"])], np.r_[W, b[None]], dtype)
    assert _close_within(out, o.affine_forward(x, W, b), with_bias)
    assert _close_within(dx, odx, _matmul_bound(dout, W.T, dtype).reshape(x.shape))
    assert _close_within(layer.dW, odW, _matmul_bound(X.T, dout, dtype))
    assert _close_within(layer.db, odb, _matmul_bound(np.ones((1, s["N"])), dout, dtype)[0])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_with_large_scores_1d_and_2d(seed, dtype):
    s = _sizes(seed)
    x = _data(seed, dtype, s["N"], s["K"] + 1, scale=3.0)
    x[:, 0] += dtype(1000.0)  # would overflow exp without the shift
    ulps = 4 * (s["K"] + 1) + 8  # the row sum adds K roundings
    assert _close_elementwise(reference.softmax(x), o.softmax(x), dtype, ulps)
    assert _close_elementwise(reference.softmax(x[0]), o.softmax(x[0]), dtype, ulps)


def _targets(seed, n, k):
    labels = np.random.default_rng(2000 + seed).integers(0, k, size=n)
    return labels, np.eye(k)[labels]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("target", ["labels", "one-hot"])
def test_cross_entropy_error(seed, dtype, target):
    s = _sizes(seed)
    n, k = s["N"] + 1, s["N"] + 3  # N != K
    y = o.softmax(_data(seed, dtype, n, k))
    labels, one_hot = _targets(seed, n, k)
    t = labels if target == "labels" else one_hot.astype(dtype)
    terms = np.abs(np.log(y.astype(np.float64) + 1e-7)).sum() / n
    expected = o.cross_entropy_error(y, t)
    assert abs(float(reference.cross_entropy_error(y, t)) - float(expected)) <= 2 * (n * k + 2) * _eps(dtype) * terms


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("target", ["labels", "one-hot"])
def test_softmax_with_loss(seed, dtype, target):
    s = _sizes(seed)
    n, k = s["N"] + 1, s["N"] + 3  # N != K, so label indices and one-hot rows cannot be confused
    x = _data(seed, dtype, n, k, scale=3.0)
    labels, one_hot = _targets(seed, n, k)
    t = labels if target == "labels" else one_hot.astype(dtype)
    layer = reference.SoftmaxWithLoss()
    loss = layer.forward(x, t)
    dx = layer.backward()
    oloss, oy = o.softmax_with_loss_forward(x, t)
    ulps = 4 * k + 8
    terms = np.abs(np.log(oy.astype(np.float64) + 1e-7)).sum() / n
    assert abs(float(loss) - float(oloss)) <= 2 * (n * k + ulps) * _eps(dtype) * terms
    # dx = (y - t)/N: y carries the softmax's relative error, and y - t then rounds once more.
    bound = (ulps * _eps(dtype) * oy + _eps(dtype)) / n + _tiny(dtype)
    assert _close_within(dx, o.softmax_with_loss_backward(oy, t), bound)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_two_layer_net(seed, dtype):
    s = _sizes(seed)
    n, d, h, k = s["N"] + 1, s["D"] + 1, s["M"] + 1, s["K"] + 1
    net = reference.TwoLayerNet(input_size=d, hidden_size=h, output_size=k, dtype=dtype)
    for name, shape in (("W1", (d, h)), ("b1", (h,)), ("W2", (h, k)), ("b2", (k,))):
        # In place: the book's layers hold these very arrays.
        net.params[name][...] = _data(seed + len(name) + shape[0], dtype, *shape)
    x = _with_zeros(_data(seed + 9, dtype, n, d))
    labels, _ = _targets(seed, n, k)
    params = {name: net.params[name].copy() for name in ("W1", "b1", "W2", "b2")}
    grads = net.gradient(x, labels)
    expected = o.two_layer_net_gradient(params, x, labels)
    # Every quantity passes through at most four sums of length <= n + d + h + k; entries are O(1) here.
    scale = 8 * (n + d + h + k) * _eps(dtype)
    loss = float(o.two_layer_net_loss(params, x, labels))
    assert abs(float(net.loss(x, labels)) - loss) <= scale * (abs(loss) + 1.0)
    assert all(_close_within(grads[name], expected[name], scale * (np.abs(expected[name]).max() + 1.0))
               for name in ("W1", "b1", "W2", "b2"))
