"""The generated oracles, checked numerically without SymPy: finite differences, dtypes, extreme inputs, imports."""
import subprocess
import sys
import warnings

import numpy as np
import pytest

import graders.oracles as o

RNG_SEED = 20261123
FD_STEP = 1e-6
FD_TOL = 1e-6  # central differences in float64 with h = 1e-6: truncation ~h², rounding ~1e-16/h = 1e-10


def _rng():
    return np.random.default_rng(RNG_SEED)


def _numerical_gradient(f, x):
    """Central differences of the scalar f() with respect to every entry of x (modified in place, restored)."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        keep = x[idx]
        x[idx] = keep + FD_STEP
        plus = f()
        x[idx] = keep - FD_STEP
        minus = f()
        x[idx] = keep
        grad[idx] = (plus - minus) / (2 * FD_STEP)
    return grad


def test_importing_and_using_the_oracles_never_imports_sympy():
    code = ("import sys, numpy, graders, graders.oracles as o\n"
            "o.two_layer_net_gradient({'W1': numpy.ones((2, 3)), 'b1': numpy.zeros(3), 'W2': numpy.ones((3, 2)),"
            " 'b2': numpy.zeros(2)}, numpy.ones((1, 2)), numpy.array([1]))\n"
            "print('sympy' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("name, forward, backward", [
    ("exp", o.exp_forward, lambda x, out, d: o.exp_backward(out, d)),
    ("reciprocal", o.reciprocal_forward, lambda x, out, d: o.reciprocal_backward(out, d)),
    ("sigmoid", o.sigmoid_forward, lambda x, out, d: o.sigmoid_backward(out, d)),
    ("relu", o.relu_forward, lambda x, out, d: o.relu_backward(x, d)),
])
def test_unary_backward_matches_finite_differences(name, forward, backward):
    rng = _rng()
    # |x| >= 0.5: away from ReLU's kink and 1/x's pole, where finite differences mean nothing.
    x = rng.uniform(0.5, 2.0, size=(3, 4)) * rng.choice([-1.0, 1.0], size=(3, 4))
    dout = rng.normal(size=x.shape)
    numeric = _numerical_gradient(lambda: np.sum(dout * forward(x)), x)
    assert np.allclose(backward(x, forward(x), dout), numeric, rtol=0, atol=FD_TOL * 10)


def test_mul_backward_matches_finite_differences():
    rng = _rng()
    x, y, dout = rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    dx, dy = o.mul_backward(x, y, dout)
    assert np.allclose(dx, _numerical_gradient(lambda: np.sum(dout * o.mul_forward(x, y)), x), atol=FD_TOL)
    assert np.allclose(dy, _numerical_gradient(lambda: np.sum(dout * o.mul_forward(x, y)), y), atol=FD_TOL)


def test_add_backward_passes_dout_to_both_inputs():
    dout = _rng().normal(size=(2, 3))
    dx, dy = o.add_backward(dout)
    assert np.array_equal(dx, dout) and np.array_equal(dy, dout)


def test_relu_backward_is_zero_at_exactly_zero():
    dx = o.relu_backward(np.array([-1.0, 0.0, -0.0, 2.0]), np.ones(4))
    assert dx.tolist() == [0.0, 0.0, 0.0, 1.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_forward_is_finite_and_silent_for_huge_inputs(dtype):
    x = np.array([-1e4, -800.0, -90.0, 0.0, 90.0, 800.0, 1e4], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = o.sigmoid_forward(x)
    assert y.dtype == dtype and np.all(np.isfinite(y))
    assert y[0] == 0.0 and y[3] == 0.5 and y[-1] == 1.0


def test_sigmoid_forward_matches_the_textbook_formula_where_that_is_safe():
    x = np.linspace(-30, 30, 121)
    assert np.allclose(o.sigmoid_forward(x), 1 / (1 + np.exp(-x)), rtol=1e-15, atol=0)


def test_affine_backward_matches_finite_differences_for_4d_input():
    rng = _rng()
    x, W, b = rng.normal(size=(2, 3, 2, 2)), rng.normal(size=(12, 5)), rng.normal(size=5)
    dout = rng.normal(size=(2, 5))
    loss = lambda: np.sum(dout * o.affine_forward(x, W, b))  # noqa: E731
    dx, dW, db = o.affine_backward(x, W, dout)
    assert dx.shape == x.shape
    assert np.allclose(dx, _numerical_gradient(loss, x), atol=FD_TOL)
    assert np.allclose(dW, _numerical_gradient(loss, W), atol=FD_TOL)
    assert np.allclose(db, _numerical_gradient(loss, b), atol=FD_TOL)


def test_softmax_handles_huge_scores_in_1d_and_2d():
    x = np.array([[1000.0, 1000.0, -1000.0], [1e4, 0.0, 0.0]])
    y = o.softmax(x)
    assert np.allclose(y, [[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]], atol=1e-15)
    assert np.array_equal(o.softmax(x[0]), y[0])


def test_softmax_backward_matches_finite_differences():
    rng = _rng()
    x, dout = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    numeric = _numerical_gradient(lambda: np.sum(dout * o.softmax(x)), x)
    assert np.allclose(o.softmax_backward(o.softmax(x), dout), numeric, atol=FD_TOL)


def test_cross_entropy_labels_and_one_hot_agree():
    y = o.softmax(_rng().normal(size=(4, 3)))
    labels = np.array([2, 0, 1, 2])
    assert o.cross_entropy_error(y, labels) == pytest.approx(o.cross_entropy_error(y, np.eye(3)[labels]), rel=1e-15)


def test_cross_entropy_of_one_sample_is_minus_log_of_its_probability():
    y = np.array([0.1, 0.7, 0.2])
    assert o.cross_entropy_error(y, np.array([0, 1, 0])) == pytest.approx(-np.log(0.7 + 1e-7), rel=1e-15)


def test_softmax_with_loss_backward_matches_finite_differences_with_labels_n_ne_k():
    rng = _rng()
    x, labels, dout = rng.normal(size=(5, 3)), np.array([0, 2, 1, 1, 0]), 1.7
    _, y = o.softmax_with_loss_forward(x, labels)
    # The 1e-7 inside the log perturbs the loss by ~1e-7/y, so compare with a looser tolerance.
    numeric = _numerical_gradient(lambda: dout * o.softmax_with_loss_forward(x, labels)[0], x)
    assert np.allclose(o.softmax_with_loss_backward(y, labels, dout), numeric, atol=1e-5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_oracle_preserves_the_input_dtype(dtype):
    rng = _rng()
    x, W, b = rng.normal(size=(2, 3)).astype(dtype), rng.normal(size=(3, 4)).astype(dtype), np.zeros(4, dtype)
    dout, labels = rng.normal(size=(2, 4)).astype(dtype), np.array([1, 3])
    out = o.sigmoid_forward(x)
    loss, y = o.softmax_with_loss_forward(dout, labels)
    arrays = [o.mul_backward(x, x, x)[0], o.exp_forward(x), o.exp_backward(x, x), o.reciprocal_backward(x, x),
              o.relu_forward(x), o.relu_backward(x, x), out, o.sigmoid_backward(out, x), o.affine_forward(x, W, b),
              *o.affine_backward(x, W, dout), o.softmax(x), loss, y, o.softmax_with_loss_backward(y, labels),
              o.cross_entropy_error(y, labels)]
    assert all(np.asarray(a).dtype == dtype for a in arrays)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_two_layer_net_preserves_the_input_dtype(dtype):
    rng = _rng()
    params = {"W1": rng.normal(size=(4, 5)).astype(dtype), "b1": np.zeros(5, dtype),
              "W2": rng.normal(size=(5, 3)).astype(dtype), "b2": np.zeros(3, dtype)}
    x, t = rng.normal(size=(2, 4)).astype(dtype), np.array([2, 0])
    grads = o.two_layer_net_gradient(params, x, t)
    assert np.asarray(o.two_layer_net_loss(params, x, t)).dtype == dtype
    assert all(grads[k].dtype == dtype for k in ("W1", "b1", "W2", "b2"))


def test_two_layer_net_gradient_matches_finite_differences():
    rng = _rng()
    # Small weights keep every probability near 1/3, where the 1e-7 inside the log shifts the
    # gradient by only ~1e-7/y; with a probability near 1e-4 the shift would be ~1e-3.
    params = {"W1": 0.5 * rng.normal(size=(4, 5)), "b1": 0.5 * rng.normal(size=5),
              "W2": 0.5 * rng.normal(size=(5, 3)), "b2": 0.5 * rng.normal(size=3)}
    x, t = rng.normal(size=(3, 4)), np.array([2, 0, 1])
    grads = o.two_layer_net_gradient(params, x, t)
    loss = lambda: o.two_layer_net_loss(params, x, t)  # noqa: E731
    assert all(np.allclose(grads[k], _numerical_gradient(loss, params[k]), atol=1e-5) for k in ("W1", "b1", "W2", "b2"))
