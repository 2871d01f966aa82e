"""softmax, cross_entropy_error and numerical_gradient."""
import numpy as np
import pytest

from reference import cross_entropy_error, numerical_gradient, softmax


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_of_huge_inputs_neither_overflows_nor_warns(dtype):
    x = np.array([[1e4, 1e4 - 1, -1e4], [-1e4, 0.0, 1e4]], dtype)
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # what numpy warns about
        y = softmax(x)
    assert y.dtype == dtype
    assert np.allclose(y.sum(axis=1), 1) and y[1, 2] == 1 and y[0, 0] > y[0, 1] > y[0, 2] == 0


def test_softmax_normalises_each_row_not_the_batch():
    y = softmax(np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]))
    assert np.allclose(y.sum(axis=1), [1, 1])
    assert np.allclose(y[1], 1 / 3)


def test_softmax_of_one_sample():
    x = np.array([0.3, 2.9, 4.0])
    assert np.allclose(softmax(x), softmax(x[None])[0])
    assert np.allclose(softmax(x), np.exp(x) / np.exp(x).sum())


def test_cross_entropy_with_labels_equals_one_hot_and_is_a_batch_mean():
    y = np.array([[0.1, 0.7, 0.2], [0.5, 0.25, 0.25], [0.2, 0.2, 0.6], [0.3, 0.3, 0.4], [0.9, 0.05, 0.05]])
    labels = np.array([1, 0, 2, 2, 0])  # N = 5 differs from K = 3
    expected = -np.mean(np.log(y[np.arange(5), labels] + 1e-7))
    assert cross_entropy_error(y, labels) == pytest.approx(expected, rel=1e-12)
    assert cross_entropy_error(y, np.eye(3)[labels]) == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_of_one_sample():
    y = np.array([0.1, 0.7, 0.2])
    assert cross_entropy_error(y, np.array([0, 1, 0])) == pytest.approx(-np.log(0.7 + 1e-7))
    assert cross_entropy_error(y, 1) == pytest.approx(-np.log(0.7 + 1e-7))


def test_cross_entropy_of_a_zero_probability_is_finite():
    assert cross_entropy_error(np.array([[0.0, 1.0]]), np.array([0])) == pytest.approx(-np.log(1e-7))


def test_numerical_gradient_of_any_shape():
    x = np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 10
    grad = numerical_gradient(lambda v: float(np.sum(v ** 3)), x)
    # for a cubic the central difference is off by exactly h^2 = 1e-8, plus rounding
    assert np.allclose(grad, 3 * x ** 2 + 1e-8, rtol=1e-9, atol=1e-9)


def test_numerical_gradient_restores_every_element_even_when_f_raises():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    saved = x.copy()
    calls = []

    def f(v):
        calls.append(1)
        if len(calls) == 3:
            raise ValueError("boom")
        return float(v.sum())

    with pytest.raises(ValueError, match="boom"):
        numerical_gradient(f, x)
    assert np.array_equal(x, saved)
    numerical_gradient(lambda v: float(v.sum()), x)
    assert np.array_equal(x, saved)
